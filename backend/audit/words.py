"""The access log in plain words: what was opened, on which screen (for the lead's page and the citizen's)."""

from __future__ import annotations

from backend.core.i18n import gettext
from backend.core.i18n import lazy_gettext as _

WHAT_LABELS = {
    "dossier": _("the dossier"),
    "document": _("a document of the dossier"),
    "result": _("the result"),
    "account": _("the account"),
    "payment": _("a payment"),
    "delivery": _("the delivery"),
}

ROLE_LABELS = {
    "official": _("Official"),
    "lead": _("Lead"),
    "agency_admin": _("Agency administrator"),
    "helper": _("Helper"),
    "admin": _("Portal administrator"),
}

REASON_LABELS = {
    "desk.dossier_page": _("Opened the dossier on the desk"),
    "desk.assign": _("Assigned the dossier"),
    "desk.request_supplement": _("Asked for more information"),
    "desk.decide": _("Received, approved or refused the dossier"),
    "desk.transfer": _("Transferred the dossier"),
    "desk.issue_result": _("Issued the result again"),
    "desk.revoke_result": _("Revoked the result"),
    "desk.search_page": _("Found the dossier in a search"),
    "desk.identity_scan": _("Opened the scan of the identity document checked in person"),
    "delivery.hand_over": _("Handed the result over"),
    "delivery.new_handover_code": _("Made a new handover code"),
    "payments.receipt_page": _("Opened the payment receipt"),
    "payments.desk_payment_action": _("Acted on the payment"),
    "journey.download": _("Downloaded a document"),
    "results.result_page": _("Opened the result"),
    "results.download_current": _("Downloaded the result"),
    "results.download_one": _("Downloaded the result"),
    "journey.dossier_action": _("Acted on the dossier through the API"),
    # A helper at a service point, with the citizen's consent (issue 20).
    "journey.form_page": _("Filled in the form for the citizen"),
    "journey.save_form_page": _("Filled in the form for the citizen"),
    "journey.save_form_page_with_files": _("Filled in the form for the citizen"),
    "journey.documents_page": _("Added documents for the citizen"),
    "journey.upload_document": _("Added documents for the citizen"),
    "journey.check_page": _("Checked the answers with the citizen"),
    "journey.submit": _("Checked the answers with the citizen"),
    "journey.code_page": _("Took the citizen's declaration code"),
    "journey.check_code": _("Took the citizen's declaration code"),
    "journey.paper_page": _("Printed the declaration for the citizen to sign"),
    "journey.declare_on_paper": _("Attached the citizen's signed declaration"),
    "journey.helper_status": _("Followed the dossier"),
    "assisted.cash_page": _("Took the fee in cash"),
    "assisted.take_cash": _("Took the fee in cash"),
    "assisted.cash_receipt": _("Printed the cash receipt"),
    "assisted.helper_filing_receipt": _("Printed the filing receipt"),
    "assisted.result_arrived": _("Received the paper result at the counter"),
    "assisted.result_collected": _("Handed the paper result over"),
    # The portal's administrator, handling a request to close an account (issue 21).
    "privacy.admin_closures": _("Looked at the requests to close accounts"),
    "privacy.admin_closure_action": _("Handled the request to close the account"),  # rows logged before 12/2026
    "privacy.admin_closure_take": _("Handled the request to close the account"),
    "privacy.admin_closure_confirm": _("Handled the request to close the account"),
    "privacy.admin_closure_complete": _("Handled the request to close the account"),
}


def reason_label(reason: str, what: str) -> str:
    """What was done, on which screen, in plain words; a route without its words yet names what was opened."""
    label = REASON_LABELS.get(reason)
    if label is not None:
        return str(label)
    return gettext("Opened %(what)s on another screen", what=what_label(what))


def what_label(what: str) -> str:
    return str(WHAT_LABELS.get(what, what))


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))
