"""The accessibility audit (issue 5): every HTML page of the portal, in each of its states and languages, under axe.

- ``pages``: which routes are pages, and the explicit table of states that stands for each one.
- ``axe``: runs axe-core (WCAG 2.0, 2.1, 2.2 A and AA) in a page already open in Chromium.
- ``audit``: opens each state as the right person, in every language, and audits it.
- ``nu``: the W3C Nu HTML checker, run once over the HTML the server sent for every audited page.
- ``report``: counts, the readable summary (``make a11y-report``) and the failure message.

The browser test ``tests/browser/test_axe_audit.py`` prepares the data and runs it; the unit test
``tests/unit/test_axe_page_table.py`` fails when the application has a page the table does not cover.
"""
