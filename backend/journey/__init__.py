"""The citizen's journey on the web: the dossier pages and the dossier JSON API (``api``).

The pages: ``form`` (start, form pages, pre-fill), ``documents`` (upload, check and send, receipt, download), ``pages``
(my dossiers, supplements, withdrawal, and ``route_handlers``: every citizen page), ``common`` (what they share).

They sit above the domains they bring together on one page or in one request: the dossier (its workflow, forms and
documents), its fee (payments), its home delivery, its signed results, its rating, and the desk's decisions.
"""
