"""Dossier statuses, with the words a citizen reads for each."""

from enum import StrEnum

from backend.core.i18n import lazy_gettext as _


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_PROGRESS = "in_progress"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


STATUS_LABELS = {
    Status.DRAFT: _("Draft, not sent yet"),
    Status.SUBMITTED: _("Sent, waiting for the agency to receive it"),
    Status.IN_PROGRESS: _("Received, being processed"),
    Status.SUPPLEMENT_REQUESTED: _("The agency needs more from you"),
    Status.APPROVED: _("Approved"),
    Status.REFUSED: _("Refused"),
    Status.WITHDRAWN: _("Withdrawn"),
}

SETTLED = frozenset({Status.APPROVED, Status.REFUSED})


def status_label(status: str | Status) -> str:
    """A status in words, in the reader's language (the ``status_label`` filter of the templates)."""
    return str(STATUS_LABELS[Status(status)])
