"""Checking files people hand to the portal (uploaded documents, results to verify), off the event loop.

``inspection`` is what runs inside a worker process (pyHanko, Pillow), within the limits of ``complexity``, and
``findings`` the plain data it returns; ``pool`` runs it there with a time limit. Both the dossiers
and the results domain use them, so this package imports neither.
"""
