"""Which routes write the access log, and why the others need not (issue 21): the table a test holds the app to.

Every route that staff, helpers or administrators can open (a guarded route, or one under ``IN_SCOPE``) is either
in ``LOGS`` (it writes a row when it shows a citizen's data to someone other than the citizen, and
tests/integration/test_access_log.py opens it and finds that row) or exempt, alone (``EXEMPT``) or with its
group (``EXEMPT_GROUPS``), with the reason. A new route in neither fails tests/integration/test_access_log.py.

How rows get written: ``dossiers.access.visible_dossier`` logs whoever it lets in who is not the applicant (every
dossier page, document and result); a few routes find a citizen's data another way and call
``dossiers.access.opened`` / ``listed`` themselves (payments, the desk's search).
"""

from __future__ import annotations

IN_SCOPE = ("/desk", "/staff", "/admin", "/helper", "/counter", "/api/v1", "/dossiers", "/my", "/payments",
            "/results", "/account", "/dev")
"""Path prefixes checked even without a guard (besides every guarded route)."""

LOGS: dict[str, str] = {
    # The desk: a dossier's page, and every action on it (each re-reads the dossier, and may show it again).
    "GET /desk/dossiers/{code:str}": "dossier",
    "POST /desk/dossiers/{code:str}/assign": "dossier",
    "POST /desk/dossiers/{code:str}/supplement": "dossier",
    "POST /desk/dossiers/{code:str}/{action:str}": "dossier",
    "POST /desk/dossiers/{code:str}/transfer": "dossier",
    "POST /desk/dossiers/{code:str}/results/issue": "dossier",
    "POST /desk/dossiers/{code:str}/results/{result_code:str}/revoke": "dossier",
    "POST /desk/dossiers/{code:str}/delivery/handover": "delivery",
    "POST /desk/dossiers/{code:str}/delivery/new-code": "delivery",
    # A search by name or phone is a look-up of a person: each dossier on the page of results is logged.
    "GET /desk/search": "dossier",
    # The identity a helper checked in person for a citizen with no phone (issue 20): its photo or scan.
    "GET /desk/dossiers/{code:str}/identity-scan": "document",
    "POST /desk/payments/{txn_ref:str}": "payment",
    # Shared with the applicant (logged only when someone else opens them).
    "GET /payments/receipts/{number:str}": "payment",
    "GET /dossiers/{code:str}/files/{document_id:int}": "document",
    "GET /dossiers/{code:str}/result": "result",
    "GET /dossiers/{code:str}/result.pdf": "result",
    "GET /dossiers/{code:str}/results/{result_code:str}": "result",
    "POST /api/v1/dossiers/{code:str}/actions/{action:str}": "dossier",
    # A helper with the citizen's live consent (issue 20): the draft's pages they fill (visible_dossier logs them
    # for the helper, never for the applicant), the counter, and the paper result handed over there.
    "GET /dossiers/{code:str}/form/{page_key:str}": "dossier",
    "POST /dossiers/{code:str}/form/{page_key:str}": "dossier",
    "POST /dossiers/{code:str}/form/{page_key:str}/files": "dossier",
    "GET /dossiers/{code:str}/documents": "dossier",
    "POST /dossiers/{code:str}/documents": "dossier",
    "GET /dossiers/{code:str}/check": "dossier",
    "POST /dossiers/{code:str}/submit": "dossier",
    "GET /dossiers/{code:str}/declare/code": "dossier",
    "POST /dossiers/{code:str}/declare/code": "dossier",
    "GET /dossiers/{code:str}/declare/paper": "dossier",
    "POST /dossiers/{code:str}/declare/paper": "dossier",
    "GET /dossiers/{code:str}/declare/sent": "dossier",
    "GET /helper/dossiers/{code:str}/cash": "dossier",
    "POST /helper/dossiers/{code:str}/cash": "dossier",
    "GET /helper/dossiers/{code:str}/filing-receipt.pdf": "dossier",
    "GET /helper/receipts/{number:str}": "payment",
    "POST /helper/results/arrived": "result",
    "POST /helper/results/collect": "result",
    # Closure requests (issue 21, part F): each request listed or acted on writes an "account" row itself
    # (privacy.rights), checked by tests/integration/test_account_closure.py.
    "GET /admin/closures": "account",
    "POST /admin/closures/{request_id:int}/take": "account",
    "GET /admin/closures/{request_id:int}/complete": "account",
    "POST /admin/closures/{request_id:int}/complete": "account",
}

_OWN = "the applicant's own pages (visible_dossier lets only the applicant in, and would log anyone else)"
_ASKING = ("asking the citizen's consent (assisted's own record keeps each step): nothing of theirs is shown until "
           "it is given, and the dossier's pages then log")
_LIST = ("the agency's work list (code, procedure, name): opening a dossier from it is logged; logging every row "
         "of every view would drown what the citizen should see")

EXEMPT: dict[str, str] = {
    "GET /desk": _LIST,
    "GET /desk/payments": _LIST,
    "GET /desk/transferred": "codes, dates and agencies of dossiers sent on: no citizen's name or data",
    "GET /desk/access": "the access log itself: who opened what, no citizen's data beyond the dossier's code",
    # Assisted filing (issue 20): what a helper does before a consent opens a dossier, and their own lists.
    "GET /helper": "the helper's own work list (codes and states while consents last): opening one is logged",
    "GET /helper/start": _ASKING,
    "POST /helper/start": _ASKING,
    "GET /helper/consents/{consent_id:int}/code": _ASKING,
    "POST /helper/consents/{consent_id:int}/code": _ASKING,
    "GET /helper/in-person": _ASKING,
    "POST /helper/in-person": _ASKING,
    "POST /helper/cash/hand-over": "the service point's cash totals: no citizen's data",
    "GET /helper/results": "a form to type a dossier code: shows nothing until a result is received or handed over",
    "POST /helper/results/new-code": "texts the citizen a new code: shows the helper nothing of theirs",
    "GET /declare/{token:str}": "the citizen's own, through the link texted to them (someone else's link refused)",
    "POST /declare/{token:str}": "the citizen's own, through the link texted to them (someone else's link refused)",
    "GET /dossiers/{code:str}/filing-receipt.pdf": _OWN,
    "GET /procedures/{code:str}/apply": _OWN,
    "POST /procedures/{code:str}/apply": _OWN,
    "GET /procedures/{code:str}/agencies": _OWN,
    "GET /dossiers/{code:str}/agency": _OWN,
    "POST /dossiers/{code:str}/agency": _OWN,
    "POST /dossiers/{code:str}/prefill": _OWN,
    "GET /dossiers/{code:str}/receipt": _OWN,
    "GET /dossiers/{code:str}/supplement": _OWN,
    "POST /dossiers/{code:str}/supplement": _OWN,
    "POST /dossiers/{code:str}/withdraw": _OWN,
    "GET /dossiers/{code:str}/delivery": _OWN,
    "POST /dossiers/{code:str}/delivery": _OWN,
    "POST /dossiers/{code:str}/delivery/pay": _OWN,
    "POST /dossiers/{code:str}/delivery/choose": _OWN,
    "GET /payments/return": "the payer's own payment, back from the gateway",
    "GET /api/v1/payments/{txn_ref:str}/status": "the payer's own payments only",
    "GET /api/v1/dossiers/{code:str}/status": "public: a status by code, no personal data",
    "POST /api/v1/postal/events": "the postal service's webhook: no person opens anything",
    "GET /api/v1/payments/vnpay/ipn": "the payment gateway's call: no person opens anything",
    "GET /api/v1/push/key": "public: the push key",
    "POST /api/v1/push/subscriptions": "the signed-in person's own devices",
    "DELETE /api/v1/push/subscriptions": "the signed-in person's own devices",
}

EXEMPT_GROUPS: dict[str, str] = {
    "/service-points": "service points and the helpers posted there: staff accounts, no citizen's data",
    "/staff": "agency staff accounts, not citizens (their changes have their own audit log)",
    "/admin/procedures": "the procedure editor: procedures, nobody's data",
    "/admin/translators": "translators' roles: volunteers' accounts, not citizens' data",
    "/translate": "translations of the interface and procedures: nobody's data",
    "/questions": "public questions, and the asker's own",
    "/desk/questions": "questions sent to the agency to answer, by the asker's choice: no dossier or account",
    "/results/verify": "anyone checks a result with what its holder shows them (public verification)",
    "/my/": "the signed-in person's own data",
    "/account": "the signed-in person's own account",
    "/api/v1/procedures": "public catalogue",
    "/api/v1/agencies": "public agency directory",
    "/api/v1/statistics": "public statistics",
    "/api/v1/admin-units": "public list of provinces and wards",
    "/dev/": "the demo outbox, on this machine only, in demo mode only",
    "/sandbox": "local stand-ins for the outside services (SMS, registry, post, payments): demo mode, this machine",
}


def route_key(method: str, path: str) -> str:
    return f"{method} {path}"


def declared(key: str) -> bool:
    """Whether the route ``key`` ("GET /desk") is in the table: it logs, or is exempt with a reason."""
    path = key.split(" ", 1)[1]
    return key in LOGS or key in EXEMPT or any(path == group.rstrip("/") or path.startswith(group.rstrip("/") + "/")
                                               for group in EXEMPT_GROUPS)


def in_scope(path: str, guarded: bool) -> bool:
    """Whether a route must be declared: any guarded route, and every route under ``IN_SCOPE``."""
    return guarded or any(path == prefix or path.startswith(prefix + "/") for prefix in IN_SCOPE)
