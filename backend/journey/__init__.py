"""The citizen's journey on the web: the dossier pages (``pages``) and the dossier JSON API (``api``).

They sit above the domains they bring together on one page or in one request: the dossier (its workflow, forms and
documents), its fee (payments), its home delivery, its signed results, its rating, and the desk's decisions.
"""
