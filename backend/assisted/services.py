"""A citizen's consent to a helper: whether it is live, ending it, listing it, and the record of what happened.

A consent is **live** while it is ACTIVE and not past ``expires_at`` (72 hours after it was granted; none once the
dossier is sent), and its helper still holds a post at the consent's service point. Only a live consent makes its
helper stand to its dossier (``access.Standing.HELPER``, registered at startup by ``register``). The dossier's
sending lifts the 72 hours; its settlement (or withdrawal) ends the consent.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise.expressions import Q

from backend.accounts.models import User
from backend.assisted.models import AssistConsent, AssistEvent, ConsentState, HelperPost
from backend.core.clock import SYSTEM, Clock
from backend.core.events import EVENTS, Events
from backend.core.paging import Page, fetch_page
from backend.dossiers import access
from backend.dossiers.access import Standing
from backend.dossiers.constants import SETTLED, Status
from backend.dossiers.events import StatusChanged, Submitted
from backend.dossiers.models import Dossier

PAGE_SIZE = 20
OPEN = (ConsentState.ASKED, ConsentState.ACTIVE)  # states a citizen can still end
_clock: Clock = SYSTEM  # the app's clock (``register``): the access rule and the subscribers have no handler


class Outcome(StrEnum):
    ENDED = "ended"
    ALREADY_ENDED = "already_ended"  # ended, expired or run out before: nothing changed
    NOT_FOUND = "not_found"  # no such consent of this citizen's


class Action(StrEnum):
    """``AssistEvent.action``: what the record says happened."""

    ASKED = "asked"
    GRANTED = "granted"
    REFUSED_CODE = "refused_code"  # wrong code
    REFUSED_EXPIRED = "refused_expired"  # the code ran out
    REFUSED_USED = "refused_used"  # the code was used already
    REFUSED_LIMIT = "refused_limit"  # too many tries
    OUTSIDE_CONSENT = "outside_consent"  # a helper acting on a dossier or procedure the consent does not cover
    ENDED = "ended"  # by the citizen
    SETTLED = "settled"  # the dossier was settled or withdrawn: the consent ends with it


async def record(action: str, *, helper: User | int | None = None, consent: AssistConsent | int | None = None,
                 dossier_id: int | None = None, detail: dict[str, Any] | None = None, using_db: Any = None,
                 clock: Clock | None = None) -> AssistEvent:
    """Append one line to the assisted-filing record (ids only: no citizen data in ``detail``)."""
    helper_id = helper.id if isinstance(helper, User) else helper
    consent_id = consent.id if isinstance(consent, AssistConsent) else consent
    if dossier_id is None and isinstance(consent, AssistConsent):
        dossier_id = consent.dossier_id
    return await AssistEvent.create(
        action=str(action), helper_id=helper_id, consent_id=consent_id, dossier_id=dossier_id,
        detail=detail or {}, at=(clock or _clock).now(), using_db=using_db)


async def active_consent(helper: User | None, dossier: Dossier | int, clock: Clock | None = None
                         ) -> AssistConsent | None:
    """The helper's live consent for this dossier, or None."""
    if helper is None:
        return None
    dossier_id = dossier.id if isinstance(dossier, Dossier) else dossier
    now = (clock or _clock).now()
    return await AssistConsent.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        helper_id=helper.id, dossier_id=dossier_id, state=ConsentState.ACTIVE,
        service_point__helpers__user_id=helper.id, service_point__helpers__ended_at__isnull=True,
    ).order_by("-id").first()


async def helper_standing(dossier: Dossier, user: User) -> set[Standing]:
    """The standing source ``access`` asks (only for pages open to helpers): HELPER while the user's consent for
    this dossier is live. A helper refused here (no consent for it, ended, expired) is recorded."""
    if await active_consent(user, dossier):
        return {Standing.HELPER}
    if await HelperPost.exists(user_id=user.id, ended_at__isnull=True):
        await record(Action.OUTSIDE_CONSENT, helper=user, dossier_id=dossier.id)
    return set()


async def end_consent(consent_id: int, citizen: User, clock: Clock | None = None) -> Outcome:
    """The citizen ends the helper's access, at once (one UPDATE: ending twice changes nothing the second time)."""
    now = (clock or _clock).now()
    changed = await AssistConsent.filter(id=consent_id, citizen_id=citizen.id, state__in=OPEN).update(
        state=ConsentState.ENDED, ended_at=now, ended_by_id=citizen.id)
    if not changed:
        found = await AssistConsent.exists(id=consent_id, citizen_id=citizen.id)
        return Outcome.ALREADY_ENDED if found else Outcome.NOT_FOUND
    consent = await AssistConsent.get(id=consent_id)
    await record(Action.ENDED, helper=consent.helper_id, consent=consent, detail={"by": "citizen"}, clock=clock)
    return Outcome.ENDED


async def consents_of_citizen(citizen: User, page: int, size: int = PAGE_SIZE) -> Page:
    """The helpers a citizen has let act for them, newest first, with helper, service point, procedure, dossier."""
    query = AssistConsent.filter(citizen_id=citizen.id).exclude(state=ConsentState.ASKED).select_related(
        "helper", "service_point", "procedure", "dossier").order_by("-created_at", "-id")
    return await fetch_page(query, page, size)


async def consent_of_dossier(dossier: Dossier | int) -> AssistConsent | None:
    """The consent a dossier was started under (the newest granted one), with its helper and service point: what
    the desk, the receipt and the timeline show (``method`` IN_PERSON: the agency sees the flag)."""
    dossier_id = dossier.id if isinstance(dossier, Dossier) else dossier
    return await AssistConsent.filter(dossier_id=dossier_id, granted_at__isnull=False).select_related(
        "helper", "service_point").order_by("-granted_at", "-id").first()


def is_live(consent: AssistConsent, clock: Clock | None = None) -> bool:
    """Whether this consent (already loaded) is ACTIVE and not past its expiry (the post is not checked here)."""
    now = (clock or _clock).now()
    return consent.state is ConsentState.ACTIVE and (consent.expires_at is None or consent.expires_at > now)


async def on_status_changed(event: StatusChanged, conn: Any) -> None:
    """Sent: a live consent no longer runs out at 72 hours. Settled or withdrawn: the consent ends with it."""
    dossier_id, now = event.dossier.id, _clock.now()
    open_ = AssistConsent.filter(dossier_id=dossier_id, state=ConsentState.ACTIVE).using_db(conn)
    if isinstance(event, Submitted):
        await open_.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now)).update(expires_at=None)
    elif event.to_status in SETTLED or event.to_status is Status.WITHDRAWN:
        ids = await open_.values_list("id", "helper_id")
        if ids:
            await AssistConsent.filter(id__in=[i for i, _ in ids]).using_db(conn).update(
                state=ConsentState.EXPIRED, ended_at=now)
            for consent_id, helper_id in ids:
                await record(Action.SETTLED, helper=helper_id, consent=consent_id, dossier_id=dossier_id,
                             detail={"status": str(event.to_status)}, using_db=conn)


def register(events: Events = EVENTS, clock: Clock = SYSTEM) -> None:
    """At startup: the helper's standing joins the access rule; the dossier's status changes move consents."""
    global _clock
    _clock = clock
    access.register_standing_source("assisted", helper_standing)
    events.subscribe(StatusChanged, on_status_changed)
