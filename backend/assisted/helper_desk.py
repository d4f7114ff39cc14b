"""The helper's own desk (``/helper``): the dossiers they helped with, consents about to run out, and the cash
they took and still hold, per service point, to hand over at the end of the day.

A dossier's state is shown only while the helper's consent for it is live (after that, its code and procedure only).
Handing over stamps ``Payment.handed_over_at`` once, for the payments the helper was shown (``upto``): cash taken
after the page was read is not handed over unseen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tortoise.expressions import Q
from tortoise.functions import Count, Max, Sum

from backend.accounts.models import User
from backend.assisted.models import AssistConsent, ConsentState, ServicePoint
from backend.assisted.services import is_live
from backend.core.clock import Clock
from backend.core.paging import Page, fetch_page
from backend.dossiers.constants import Status
from backend.payments.models import Payment, PaymentStatus

PAGE_SIZE = 20
EXPIRING_WITHIN = timedelta(hours=24)
MAX_POINTS = 20  # service points with cash in hand: a helper works at one, perhaps two


@dataclass
class Helped:
    consent: AssistConsent
    live: bool

    @property
    def next_step(self) -> str:
        """What the helper can do next on the dossier (its link on the desk), "" once the consent is over: "fill"
        while a draft the citizen has not declared, "cash" once declared (a declared draft waits for its fee: paying
        sends it), else "follow" (the declaration status page)."""
        dossier = self.consent.dossier
        if not self.live or dossier is None:
            return ""
        if dossier.status is Status.DRAFT:
            return "cash" if self.consent.declared_at else "fill"
        return "follow"


async def helped(helper: User, number: int, clock: Clock) -> Page:
    """The dossiers ``helper`` was given consent for, newest first, each with whether the consent is still live."""
    query = AssistConsent.filter(helper_id=helper.id, dossier_id__isnull=False, granted_at__isnull=False) \
        .select_related("dossier", "procedure", "service_point").order_by("-granted_at", "-id")
    found = await fetch_page(query, number, PAGE_SIZE)
    found.items = [Helped(consent, is_live(consent, clock)) for consent in found.items]
    return found


async def expiring(helper: User, number: int, clock: Clock) -> Page:
    """The helper's live consents that run out within 24 hours, soonest first."""
    now = clock.now()
    query = AssistConsent.filter(helper_id=helper.id, state=ConsentState.ACTIVE, expires_at__gt=now,
                                 expires_at__lte=now + EXPIRING_WITHIN) \
        .select_related("procedure", "dossier").order_by("expires_at", "id")
    found = await fetch_page(query, number, PAGE_SIZE)
    found.items = [Helped(consent, True) for consent in found.items]  # live: each links to its next step
    return found


@dataclass
class CashInHand:
    """Cash the helper took at one service point and has not handed over yet."""

    point: ServicePoint
    total: int
    count: int
    upto: int  # the newest payment counted: handing over covers these and no later ones


def _in_hand(helper: User) -> Q:
    return Q(settled_by_id=helper.id, method="cash", status=PaymentStatus.PAID, refund_due=False,
             handed_over_at__isnull=True)


async def cash_in_hand(helper: User) -> list[CashInHand]:
    """Per service point: the total and number of cash payments not handed over yet (one grouped query)."""
    rows = await Payment.filter(_in_hand(helper)).annotate(
        total=Sum("amount"), count=Count("id"), upto=Max("id")).group_by("service_point_id").limit(
        MAX_POINTS).values("service_point_id", "total", "count", "upto")
    points = {p.id: p for p in await ServicePoint.filter(id__in=[r["service_point_id"] for r in rows])}
    return [CashInHand(points[r["service_point_id"]], int(r["total"] or 0), int(r["count"]), int(r["upto"]))
            for r in rows if r["service_point_id"] in points]


@dataclass(frozen=True)
class HandedOver:
    count: int
    total: int


async def hand_over(helper: User, point_id: int, upto: int, clock: Clock) -> HandedOver:
    """Stamp ``handed_over_at`` on the helper's cash at ``point_id`` up to payment ``upto``, once: a second press
    finds nothing left (``count`` 0)."""
    mine = Payment.filter(_in_hand(helper), service_point_id=point_id, id__lte=upto)
    row = await mine.annotate(total=Sum("amount")).first().values("total")
    total = int((row or {}).get("total") or 0)
    count = await mine.update(handed_over_at=clock.now())
    return HandedOver(count, total if count else 0)
