"""The access log in plain words: what was opened, on which screen (for the lead's page and the citizen's)."""

from __future__ import annotations

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
    "delivery.hand_over": _("Handed the result over"),
    "delivery.new_handover_code": _("Made a new handover code"),
    "payments.receipt_page": _("Opened the payment receipt"),
    "payments.desk_payment_action": _("Acted on the payment"),
    "journey.download": _("Downloaded a document"),
    "results.result_page": _("Opened the result"),
    "results.download_current": _("Downloaded the result"),
    "results.download_one": _("Downloaded the result"),
    "journey.dossier_action": _("Acted on the dossier through the API"),
}


def reason_label(reason: str) -> str:
    """The screen or action in plain words; a route without its words yet says so plainly."""
    label = REASON_LABELS.get(reason)
    return str(label) if label is not None else str(_("Opened it on another screen"))


def what_label(what: str) -> str:
    return str(WHAT_LABELS.get(what, what))


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))
