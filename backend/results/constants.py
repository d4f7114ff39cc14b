"""Result statuses, with the words a reader of the verification page sees for each."""

from enum import StrEnum

from backend.core.i18n import lazy_gettext as _


class ResultStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


RESULT_STATUS_LABELS = {
    ResultStatus.VALID: _("Valid"),
    ResultStatus.REVOKED: _("Revoked"),
    ResultStatus.SUPERSEDED: _("Replaced by a newer result"),
}
