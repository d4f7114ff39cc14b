"""The dossier state machine through the API: every action from every status, and the clock rules.

The portal runs on a fixed clock here (the ``clock`` fixture): the due-date rules count working days, so a test
on the system clock passed or failed with the season (two weeks after Tết, "two calendar weeks" held only five
working days). One test crosses Tết on purpose.
"""

from datetime import date, timedelta

import pytest

from backend.accounts.models import User
from backend.core.calendar import add_working_days, working_days_between
from backend.core.clock import FixedClock
from backend.dossiers import workflow
from backend.dossiers.constants import STATUS_LABELS, Status
from backend.dossiers.models import Dossier, NotificationOutbox, SupplementRequest, TimelineEvent
from backend.dossiers.workflow import TRANSITIONS
from tests.integration.helpers import CITIZEN_ACTIONS, CRIMINAL_RECORD, act, drive, people, snapshot, take
from tests.support import CITIZEN, OFFICER, OTHER_OFFICER

pytestmark = pytest.mark.integration

S = Status
# What the workflow must allow, written out independently of backend.dossiers.workflow: action -> {from: to}.
# The matrix drives supplements from in_progress, so a resubmission goes back there.
EXPECTED = {
    "submit": {S.DRAFT: S.SUBMITTED},
    "receive": {S.SUBMITTED: S.IN_PROGRESS},
    "request_supplement": {S.SUBMITTED: S.SUPPLEMENT_REQUESTED, S.IN_PROGRESS: S.SUPPLEMENT_REQUESTED},
    "resubmit": {S.SUPPLEMENT_REQUESTED: S.IN_PROGRESS},
    "approve": {S.IN_PROGRESS: S.APPROVED},
    "refuse": {S.SUBMITTED: S.REFUSED, S.IN_PROGRESS: S.REFUSED},
    "withdraw": {S.SUBMITTED: S.WITHDRAWN, S.SUPPLEMENT_REQUESTED: S.WITHDRAWN},
    # To another agency (issue 17): sent again, for that agency to receive it (tests/integration/test_transfer.py).
    "transfer": {S.SUBMITTED: S.SUBMITTED, S.IN_PROGRESS: S.SUBMITTED},
}
EVERY_CASE = [(action, status) for action in EXPECTED for status in Status]


ORDINARY_DAY = date(2026, 3, 10)  # a Tuesday, with no public holiday within three weeks either way


@pytest.fixture
def clock() -> FixedClock:
    """The portal's time in these tests (tests/conftest.py's ``portal`` starts the app with it)."""
    return FixedClock.on(ORDINARY_DAY)


def phone_of(number: str) -> str:
    return "84" + number[1:]


def still_possible(status: Status, citizen: bool) -> list[str]:
    return [a for a, moves in EXPECTED.items() if status in moves and (a in CITIZEN_ACTIONS) == citizen]


def test_the_matrix_covers_every_action_of_the_workflow():
    assert set(TRANSITIONS) == set(EXPECTED)


@pytest.mark.parametrize(("action", "status"), EVERY_CASE, ids=[f"{a}-from-{s}" for a, s in EVERY_CASE])
async def test_every_action_from_every_status(portal, action, status):
    by_citizen = action in CITIZEN_ACTIONS
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, status)
        before = await snapshot(code)
        response = await take(citizen, officer, code, action)
        after = await snapshot(code)

    if status in EXPECTED[action]:
        target = EXPECTED[action][status]
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["code"] == code and body["status"] == target
        assert body["status_label"] == str(STATUS_LABELS[target])
        # A transfer leaves the official's agency nothing more to do: the dossier is the other agency's now.
        assert body["allowed_actions"] == ([] if action == "transfer" else still_possible(target, by_citizen))
        assert after.status is target
        assert after.events == before.events + 1
        # Approving also issues the signed result, which tells the citizen it is ready.
        extra = ["result_ready"] if action == "approve" else []
        assert after.notifications == before.notifications + 1 + len(extra)
        actor = await User.get(phone=phone_of(CITIZEN if by_citizen else OFFICER))
        event = await TimelineEvent.filter(dossier__code=code).order_by("-id").first()
        assert (event.action, event.from_status, event.to_status, event.actor_id) == (action, status, target, actor.id)
        messages = await NotificationOutbox.filter(dossier__code=code).order_by("-id").limit(1 + len(extra))
        assert [m.event for m in messages] == [*extra, action]
        message = messages[-1]
        applicant = await User.get(phone=phone_of(CITIZEN))
        assert message.recipient_id == applicant.id and message.sent_at is None
        assert message.payload == {"code": code, "status": str(target)}
        return

    if status is Status.DRAFT and not by_citizen:
        # Officials cannot see drafts at all: the dossier looks unknown to them.
        assert response.status_code == 404, response.text
    else:
        assert response.status_code == 409, response.text
        detail = response.json()["detail"]
        assert str(STATUS_LABELS[status]) in detail and "cannot be" in detail, detail
    assert after == before, "a refused action must change nothing"


async def test_refusal_needs_a_reason(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.IN_PROGRESS)
        before = await snapshot(code)
        for note in ("", "   "):
            response = await act(officer, code, "refuse", note=note)
            assert response.status_code == 409, response.text
            assert "reason" in response.json()["detail"]
        assert await snapshot(code) == before
        assert (await Dossier.get(code=code)).settled_at is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"note": "The photo is blurred."}, "Select at least one document or answer"),
        ({"documents": ["no_such_document"], "fields": ["no_such_field"], "note": "Fix it."},
         "Select at least one document or answer"),
        ({"documents": ["birth_certificate_medical"]}, "Explain in plain words"),
        ({"fields": ["child_full_name"], "note": "  "}, "Explain in plain words"),
    ],
    ids=["nothing-to-fix", "unknown-keys-only", "no-reason", "blank-reason"],
)
async def test_a_supplement_request_says_what_and_why(portal, body, message):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.IN_PROGRESS)
        before = await snapshot(code)
        response = await act(officer, code, "request_supplement", **body)
    assert response.status_code == 400, response.text
    assert message in response.json()["detail"]
    assert await snapshot(code) == before
    assert await SupplementRequest.filter(dossier__code=code).count() == 0
    assert (await Dossier.get(code=code)).paused_since is None


async def test_an_unknown_action_is_refused(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.SUBMITTED)
        before = await snapshot(code)
        response = await act(officer, code, "archive")
    assert response.status_code == 409 and response.json()["detail"] == "Unknown action."
    assert await snapshot(code) == before


async def test_receiving_sets_the_due_date_in_working_days(portal, clock):
    async with people(portal, CITIZEN, OTHER_OFFICER) as (citizen, police):
        code = await drive(citizen, police, Status.IN_PROGRESS, CRIMINAL_RECORD)
    dossier = await Dossier.get(code=code)
    expected = add_working_days(clock.today(), 10)  # the criminal-record certificate takes 10 working days
    assert dossier.due_date == expected == date(2026, 3, 24), "Tue 10 March + 10 working days: two weeks on"
    assert working_days_between(clock.today(), dossier.due_date) == 10
    assert dossier.received_at is not None and dossier.paused_since is None
    public = (await portal.get(f"/api/v1/dossiers/{code}/status")).json()
    assert public["due_date"] == expected.isoformat() and public["status"] == "in_progress"


async def test_the_clock_stops_while_the_citizen_supplements(portal, clock):
    async with people(portal, CITIZEN, OTHER_OFFICER) as (citizen, police):
        code = await drive(citizen, police, Status.SUPPLEMENT_REQUESTED, CRIMINAL_RECORD)
        asked = await Dossier.get(code=code)
        assert asked.paused_since == clock.today()
        assert asked.due_date == add_working_days(clock.today(), 10), "asking must not move the due date"
        request = await SupplementRequest.get(dossier=asked)
        assert request.from_status is Status.IN_PROGRESS and request.resolved_at is None

        # The citizen took two calendar weeks to answer: ten working days in March.
        paused = clock.today()
        clock.advance(timedelta(days=14))
        response = await take(citizen, police, code, "resubmit", CRIMINAL_RECORD)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "in_progress"
    resumed = await Dossier.get(code=code)
    waited = working_days_between(paused, clock.today())
    assert waited == 10
    assert resumed.due_date == add_working_days(asked.due_date, waited) == date(2026, 4, 7)
    assert resumed.paused_since is None
    assert (await SupplementRequest.get(id=request.id)).resolved_at is not None


async def test_the_clock_stops_across_tet(portal, clock):
    """Tết 2026 is Saturday 14 to Sunday 22 February: nine days off that count for nothing, on either side of
    the pause. The dates are written out here, not computed with backend.core.calendar."""
    clock.set(FixedClock.on(date(2026, 2, 9)).now())  # Monday before Tết: the police receive the application
    async with people(portal, CITIZEN, OTHER_OFFICER) as (citizen, police):
        code = await drive(citizen, police, Status.IN_PROGRESS, CRIMINAL_RECORD)
        assert (await Dossier.get(code=code)).due_date == date(2026, 3, 2), "4 working days before Tết, 6 after"
        clock.advance(timedelta(days=2))  # Wednesday 11 February: they ask for a correction
        assert (await take(citizen, police, code, "request_supplement", CRIMINAL_RECORD)).status_code == 200
        assert (await Dossier.get(code=code)).paused_since == date(2026, 2, 11)
        clock.advance(timedelta(days=14))  # Wednesday 25 February: the citizen answers
        response = await take(citizen, police, code, "resubmit", CRIMINAL_RECORD)
    assert response.status_code == 200, response.text
    resumed = await Dossier.get(code=code)
    # Waited: 12, 13, 23, 24 and 25 February, five working days (the old test assumed at least eight).
    assert resumed.due_date == date(2026, 3, 9) and resumed.paused_since is None


async def test_a_supplement_asked_before_receiving_returns_to_submitted(portal, clock):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.SUPPLEMENT_REQUESTED, path=["submit", "request_supplement"])
        asked = await Dossier.get(code=code)
        assert asked.paused_since is None and asked.due_date is None, "the clock has not started yet"
        response = await take(citizen, officer, code, "resubmit")
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "submitted"
        resubmitted = await Dossier.get(code=code)
        assert resubmitted.status is Status.SUBMITTED and resubmitted.due_date is None
        events = await TimelineEvent.filter(dossier=resubmitted).values_list("action", "to_status")
        assert events == [("submit", "submitted"), ("request_supplement", "supplement_requested"),
                          ("resubmit", "submitted")]
        # The agency can now receive it and the clock starts.
        assert (await take(citizen, officer, code, "receive")).status_code == 200
    assert (await Dossier.get(code=code)).due_date == add_working_days(clock.today(), 1)


async def test_two_officials_cannot_both_receive(portal, clock):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.SUBMITTED)
    official = await User.get(phone=phone_of(OFFICER))
    first, second = await Dossier.get(code=code), await Dossier.get(code=code)
    await workflow.apply(first, "receive", official, clock=clock)
    with pytest.raises(workflow.TransitionRefused, match="changed by someone else"):
        await workflow.apply(second, "receive", official, clock=clock)  # loaded before the first one won
    assert await TimelineEvent.filter(dossier_id=first.id, action="receive").count() == 1
    assert await NotificationOutbox.filter(dossier_id=first.id, event="receive").count() == 1

