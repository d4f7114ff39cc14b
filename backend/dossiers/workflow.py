"""The dossier workflow: one state machine, every transition atomic with its history and messages.

A transition is refused unless the dossier is in one of its source states and the actor may take
it. The status change is a conditional UPDATE, so two officials clicking at once cannot both win.
Each transition publishes its event (``dossiers.events``: ``Submitted``, ``Approved``...) inside the same
transaction; its subscribers write the timeline row and the notification outbox row (``dossiers.history``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from tortoise.transactions import in_transaction

from backend.accounts.models import Role, User
from backend.catalogue.agencies import terms
from backend.catalogue.models import Agency, Procedure
from backend.core.calendar import add_working_days, working_days_between
from backend.core.clock import Clock
from backend.core.events import publish
from backend.core.i18n import gettext
from backend.core.i18n import lazy_gettext as _
from backend.dossiers.constants import STATUS_LABELS, Status
from backend.dossiers.events import BY_TRANSITION
from backend.dossiers.models import Dossier, SupplementRequest

S = Status


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[Status]
    target: Status | None  # None: decided from the dossier (resubmission returns where it was)
    role: Role
    label: Any


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", frozenset({S.DRAFT}), S.SUBMITTED, Role.CITIZEN, _("sent")),
        Transition("receive", frozenset({S.SUBMITTED}), S.IN_PROGRESS, Role.OFFICER, _("received")),
        Transition(
            "request_supplement",
            frozenset({S.SUBMITTED, S.IN_PROGRESS}),
            S.SUPPLEMENT_REQUESTED,
            Role.OFFICER,
            _("sent back for a supplement"),
        ),
        Transition("resubmit", frozenset({S.SUPPLEMENT_REQUESTED}), None, Role.CITIZEN, _("resubmitted")),
        Transition("approve", frozenset({S.IN_PROGRESS}), S.APPROVED, Role.OFFICER, _("approved")),
        Transition("refuse", frozenset({S.SUBMITTED, S.IN_PROGRESS}), S.REFUSED, Role.OFFICER, _("refused")),
        Transition(
            "withdraw", frozenset({S.SUBMITTED, S.SUPPLEMENT_REQUESTED}), S.WITHDRAWN, Role.CITIZEN, _("withdrawn")
        ),
        # Sent on to the agency found competent (dossiers.transfers): sent again, for that agency to receive. Not
        # while the citizen answers a supplement request: that request is the first agency's, and the citizen's
        # answer goes back to it (the official transfers once it is in).
        Transition("transfer", frozenset({S.SUBMITTED, S.IN_PROGRESS}), S.SUBMITTED, Role.OFFICER, _("transferred")),
    )
}


class WorkflowError(Exception):
    """Base for refusals; ``str()`` is a sentence a person can read."""


class TransitionRefused(WorkflowError):
    """The dossier is not in a state where this can happen (HTTP 409)."""


class NotAllowed(WorkflowError):
    """This person may not do this to this dossier (HTTP 403)."""


# Separation of duties (README, *Security*): one rule, used by every transition and by the desks' other actions
# (results, payments, delivery). Answers naming a person's identity number: the applicant, a parent, a spouse...
_PERSON_NUMBER_SUFFIX = "id_number"


def conflict_of_interest(dossier: Dossier, official: User) -> str | None:
    """Why ``official`` must leave ``dossier`` to a colleague (they applied for it, or its answers name them)."""
    if dossier.applicant_id == official.id:
        return gettext("You applied for this dossier: another official must handle it.")
    number = official.identity_number
    named = (str(v).strip() for k, v in (dossier.answers or {}).items() if k.endswith(_PERSON_NUMBER_SUFFIX))
    if number and number in named:
        return gettext("This dossier names you (your identity number is in its answers): another official must "
                       "handle it.")
    return None


def ensure_may_handle(dossier: Dossier, official: User) -> None:
    """Raise ``NotAllowed`` (HTTP 403) when ``official`` has a stake in ``dossier``."""
    if (why := conflict_of_interest(dossier, official)) is not None:
        raise NotAllowed(why)


def allowed_actions(dossier: Dossier, user: User) -> list[str]:
    """Actions ``user`` could take now; pages use it to show only the buttons that work."""
    return [t.action for t in TRANSITIONS.values() if dossier.status in t.sources and _may_act(t, dossier, user)]


def check(dossier: Dossier, action: str, actor: User) -> Transition:
    """Raise unless ``actor`` may take ``action`` on ``dossier`` in its current state."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionRefused(gettext("Unknown action."))
    if not _may_act(transition, dossier, actor):
        if transition.role is Role.OFFICER and actor.role is Role.OFFICER and actor.agency_id == dossier.agency_id:
            ensure_may_handle(dossier, actor)  # says why, when that is the reason
        raise NotAllowed(gettext("You may not do this to this dossier."))
    if dossier.status not in transition.sources:
        raise TransitionRefused(_refusal(dossier.status, transition))
    return transition


def _may_act(transition: Transition, dossier: Dossier, user: User) -> bool:
    if transition.role is Role.CITIZEN:
        return user.id == dossier.applicant_id
    return (
        user.role is Role.OFFICER
        and user.agency_id == dossier.agency_id
        and conflict_of_interest(dossier, user) is None
    )


def _changes(
    transition: Transition, dossier: Dossier, processing_days: int, open_request: Any, clock: Clock, to_agency: Any
) -> dict:
    """Dates and fields that move with each transition (the clock rules live here)."""
    today, now = clock.today(), clock.now()
    match transition.action:
        case "transfer":  # the receiving agency's clock starts when it receives it (``receive``); its lead assigns
            return {"agency_id": to_agency.id, "received_at": None, "due_date": None, "paused_since": None,
                    "assignee_id": None}
        case "submit":
            return {"submitted_at": now}
        case "receive":
            return {"received_at": now, "due_date": add_working_days(today, processing_days)}
        case "request_supplement" if dossier.status is S.IN_PROGRESS:
            return {"paused_since": today}
        case "resubmit" if open_request.from_status is S.IN_PROGRESS and dossier.paused_since and dossier.due_date:
            waited = working_days_between(dossier.paused_since, today)
            return {"paused_since": None, "due_date": add_working_days(dossier.due_date, waited)}
        case "approve" | "refuse":
            return {"settled_at": now, "paused_since": None}
    return {}


async def apply(
    dossier: Dossier,
    action: str,
    actor: User,
    *,
    clock: Clock,
    note: str = "",
    also: Callable[[Any], Awaitable[None]] | None = None,
    to_agency: Any = None,
) -> Dossier:
    """Take ``action`` on ``dossier`` as ``actor`` at ``clock``'s time; ``also`` runs inside the same transaction.
    ``to_agency``: where ``transfer`` sends it (``dossiers.transfers`` checks it first)."""
    transition = check(dossier, action, actor)
    if action == "refuse" and not note.strip():
        raise TransitionRefused(gettext("Give the reason for the refusal: the citizen will read it."))
    if action == "transfer" and (to_agency is None or to_agency.id == dossier.agency_id or not note.strip()):
        raise TransitionRefused(gettext("Choose another agency and give the reason for the transfer."))

    async with in_transaction() as conn:
        open_request = None
        if action == "resubmit":
            open_request = await _open_supplement(dossier, conn)
        if transition.target is not None:
            target = transition.target
        else:  # resubmission: back where the supplement request found it
            assert open_request is not None
            target = open_request.from_status
        days = 0
        if action == "receive":  # the time limit of the agency receiving it (a province may set its own)
            procedure = await Procedure.get(id=dossier.procedure_id, using_db=conn)
            days = terms(procedure, await Agency.get(id=dossier.agency_id, using_db=conn))[1]
        changes = _changes(transition, dossier, days, open_request, clock, to_agency)
        if action in {"approve", "refuse"}:
            changes["decision_reason"] = note
        # Its status and its agency as read: a transfer leaves the status as it was (sent), and an official of
        # the agency it just left must not act on it any more.
        updated = await (
            Dossier.filter(id=dossier.id, status=dossier.status, agency_id=dossier.agency_id).using_db(conn)
            .update(status=target, **changes)
        )
        if updated != 1:  # someone else moved it first
            raise TransitionRefused(gettext("This dossier has just been changed by someone else. Reload it."))
        if open_request is not None:
            open_request.resolved_at = clock.now()
            await open_request.save(using_db=conn, update_fields=["resolved_at"])
        # What happened, to its subscribers (the timeline and the citizen's news: dossiers.history), in this
        # transaction: the status, its history and its outbox row commit together.
        moved = {"from_agency_id": dossier.agency_id, "to_agency_id": to_agency.id} if action == "transfer" else {}
        event = BY_TRANSITION[action](dossier=dossier, actor=actor, note=note, transition=action,
                                      from_status=dossier.status, to_status=target, **moved)
        await publish(event, conn)
        before = {name: getattr(dossier, name) for name in ("status", *changes)}
        dossier.status = target
        for name, value in changes.items():
            setattr(dossier, name, value)
        if also is not None:
            try:
                await also(conn)
            except Exception:
                for name, value in before.items():
                    setattr(dossier, name, value)
                raise
    if to_agency is not None:
        dossier.agency = to_agency
    return dossier


async def _open_supplement(dossier: Dossier, conn: Any) -> SupplementRequest:
    request = (
        await SupplementRequest.filter(dossier_id=dossier.id, resolved_at__isnull=True)
        .using_db(conn)
        .order_by("-id")
        .first()
    )
    if request is None:
        raise TransitionRefused(gettext("There is no open supplement request on this dossier."))
    return request


def _refusal(status: Status, transition: Transition) -> str:
    return gettext(
        "This dossier is “%(status)s”: it cannot be %(action)s now.",
        status=str(STATUS_LABELS[status]),
        action=str(transition.label),
    )
