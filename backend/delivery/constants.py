"""Delivery stages, time windows and fees, with the words people read for each."""

from enum import StrEnum

from backend.core.i18n import lazy_gettext as _


class Stage(StrEnum):
    BOOKED = "booked"  # the citizen booked it; the result is not with the post yet
    HANDING_OVER = "handing_over"  # the official is booking the parcel with the post: no more changes
    HANDED_OVER = "handed_over"  # the official gave the result to the post: no more changes
    ACCEPTED = "accepted"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    FAILED_ATTEMPT = "failed_attempt"
    DELIVERED = "delivered"
    RETURNED = "returned"


# What the postal service reports through its webhook.
TRACKING_STAGES = (
    Stage.ACCEPTED,
    Stage.IN_TRANSIT,
    Stage.OUT_FOR_DELIVERY,
    Stage.FAILED_ATTEMPT,
    Stage.DELIVERED,
    Stage.RETURNED,
)
FINAL = frozenset({Stage.DELIVERED, Stage.RETURNED})
MAX_HANDOVER_FAILURES = 5  # wrong handover codes before the booking is locked (one in 200,000 to guess it)

STAGE_LABELS = {
    Stage.BOOKED: _("Delivery booked"),
    Stage.HANDING_OVER: _("Being handed to the post"),
    Stage.HANDED_OVER: _("Result handed to the post"),
    Stage.ACCEPTED: _("Accepted by the post"),
    Stage.IN_TRANSIT: _("On its way"),
    Stage.OUT_FOR_DELIVERY: _("Out for delivery today"),
    Stage.FAILED_ATTEMPT: _("Delivery attempt failed: the post will try again"),
    Stage.DELIVERED: _("Delivered"),
    Stage.RETURNED: _("Returned to the agency"),
}

TIME_WINDOWS = {
    "morning": _("Morning, 8:00 to 12:00"),
    "afternoon": _("Afternoon, 13:00 to 17:00"),
    "evening": _("Evening, 17:00 to 20:00"),
}

PAYMENT_METHODS = ("cod", "online")

# Fees in VND: one rate inside the agency's own province, another anywhere else in the country.
FEE_SAME_PROVINCE = 25_000
FEE_OTHER_PROVINCE = 40_000
