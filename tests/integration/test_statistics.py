"""Public statistics (issue 19, items 1-4): the roll-up's figures match a hand count for one agency and one month,
small counts are held back, the open data's shape (JSON and CSV), and the pages in Vietnamese, English and Khmer."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest
from tortoise import connections

from backend.accounts.models import User
from backend.catalogue.models import Agency, Procedure
from backend.core.clock import VIETNAM
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, DossierDocument, PrefillConsent, TimelineEvent
from backend.feedback.models import Rating
from backend.payments.models import Payment, PaymentStatus
from backend.statistics import rollup
from tests.integration.helpers import BIRTH
from tests.support import CITIZEN, Portal

pytestmark = pytest.mark.integration
TODAY = date(2026, 12, 6)
NOVEMBER = "2026-11"


def at(day: int, month: int = 11, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=VIETNAM)


async def _dossier(n: int, agency: Agency, procedure: Procedure, status: Status, *, due: date,
                   settled: datetime | None = None, result_form: str = "online") -> Dossier:
    citizen = await User.get(phone__endswith=CITIZEN[1:])
    dossier = await Dossier.create(
        code=f"ST-{n:04d}", procedure=procedure, agency=agency, applicant=citizen, status=status,
        result_form=result_form, submitted_at=at(3), received_at=at(4), due_date=due, settled_at=settled)
    await TimelineEvent.create(dossier=dossier, action="submit", to_status="submitted")
    return dossier


async def _november(agency: Agency, procedure: Procedure) -> None:
    """Seven dossiers sent on 3 November: four approved on the 20th (due the 25th; three with the result online),
    one refused late on the 28th, one being processed past its due date, one sent and not yet due."""
    citizen = await User.get(phone__endswith=CITIZEN[1:])
    made = []
    for n in range(4):
        made.append(await _dossier(n, agency, procedure, Status.APPROVED, due=date(2026, 11, 25), settled=at(20),
                                   result_form="online" if n < 3 else "post"))
    made.append(await _dossier(4, agency, procedure, Status.REFUSED, due=date(2026, 11, 25), settled=at(28)))
    await _dossier(5, agency, procedure, Status.IN_PROGRESS, due=date(2026, 11, 30))
    await _dossier(6, agency, procedure, Status.SUBMITTED, due=date(2026, 12, 20))
    await Dossier.create(code="ST-DRAFT", procedure=procedure, agency=agency, applicant=citizen)  # never counted
    for n, dossier in enumerate(made):
        await DossierDocument.create(dossier=dossier, doc_key="id", filename="a.pdf", content_type="application/pdf",
                                     size=1, sha256="0" * 64, storage_name=f"st-{n}")
        await Payment.create(txn_ref=f"ST{n}", dossier=dossier, payer=citizen, purpose="fee", amount=10000,
                             description="fee", expires_at=at(3, hour=10),
                             status=PaymentStatus.PAID if n < 4 else PaymentStatus.PENDING)
        rating = await Rating.create(dossier=dossier, score=(5, 5, 4, 4, 2)[n])
        await Rating.filter(id=rating.id).update(created_at=at(29))
        if n < 2:
            await PrefillConsent.create(user=citizen, dossier=dossier, granted=True, fields_filled=["full_name"])


@pytest.fixture
async def seeded(portal: Portal) -> tuple[Agency, Agency]:
    procedure = await Procedure.get(code=BIRTH)
    agency = await Agency.get(id=procedure.agency_id)
    other = await Agency.filter(province_code=agency.province_code).exclude(id=agency.id).first()
    assert other is not None
    await _november(agency, procedure)
    citizen = await User.get(phone__endswith=CITIZEN[1:])
    for n in range(2):  # two dossiers elsewhere: too few to show
        await Dossier.create(code=f"ST-O{n}", procedure=procedure, agency=other, applicant=citizen,
                             status=Status.APPROVED, submitted_at=at(5), due_date=date(2026, 11, 30),
                             settled_at=at(10))
    await rollup.run_incremental(today=TODAY)
    return agency, other


async def _item(portal: Portal, code: str, **query: str) -> dict:
    body = (await portal.get("/api/v1/statistics/agencies", params={"period": NOVEMBER, **query})).json()
    return next(item for item in body["items"] if item["agency"] == code)


async def test_figures_match_a_hand_count_for_one_agency_and_month(portal: Portal, seeded):
    agency, _ = seeded
    item = await _item(portal, agency.code)
    groups = item["groups"]
    assert item["received"] == 7
    assert groups["publicity"]["share"] == 1.0
    on_time = groups["on_time"]
    assert (on_time["share"], on_time["figures"]["settled"], on_time["figures"]["settled_on_time"]) == (0.8, 5, None)
    assert on_time["figures"]["average_days"] == 18.6  # (4 x 17 + 25) / 5
    assert on_time["figures"]["overdue_now"] is None  # one: too few to show
    assert groups["online_services"]["share"] == 1.0
    assert groups["online_payment"]["share"] == 0.8 and groups["online_payment"]["figures"]["fee_due"] == 5
    digital = groups["digitisation"]["figures"]
    # 3 of 4 approved have their result online: 4 is too few to make a share of, so it is left out
    assert (digital["documents_share"], digital["results_share"], digital["prefilled_share"]) == (0.7143, None, 0.2857)
    assert groups["digitisation"]["share"] == 0.5
    assert groups["satisfaction"]["figures"]["average_rating"] == 4.0
    assert groups["satisfaction"]["share"] == 0.75
    assert item["index"] == 78.5  # 18 + 16 + 12 + 8 + 22 x 0.5 + 18 x 0.75, out of 100
    assert [g["points"] for g in groups.values()] == [18, 20, 12, 10, 22, 18]
    assert not any(g["confirmed"] for g in groups.values())


async def test_the_roll_up_is_idempotent_and_a_rebuild_gives_the_same(portal: Portal, seeded):
    agency, _ = seeded
    before = await _item(portal, agency.code)
    await rollup.run_incremental(today=TODAY)
    await rollup.rebuild(date(2026, 10, 1), TODAY, today=TODAY)
    assert await _item(portal, agency.code) == before
    # a rating given today is found by the next incremental run
    dossier = await Dossier.get(code="ST-0006")
    await Rating.create(dossier=dossier, score=1)
    await rollup.run_incremental(today=datetime.now(VIETNAM).date())  # Viet Nam's day, as the worker counts
    current = datetime.now(VIETNAM).strftime("%Y-%m")
    body = (await portal.get("/api/v1/statistics/agencies", params={"period": current})).json()
    assert body["total"] >= 1


async def test_small_counts_are_not_shown(portal: Portal, seeded):
    _, other = seeded
    item = await _item(portal, other.code)
    assert item["received"] is None and item["index"] is None
    assert all(g["share"] is None for g in item["groups"].values())
    page = await portal.get(f"/en/statistics/agencies/{other.code}?period={NOVEMBER}")
    assert page.status_code == 200 and "fewer than 5" in page.text


async def test_the_open_data_shape_and_csv(portal: Portal, seeded):
    agency, _ = seeded
    response = await portal.get("/api/v1/statistics/agencies", params={"period": NOVEMBER,
                                                                        "province": agency.province_code})
    body = response.json()
    assert response.status_code == 200 and "set-cookie" not in response.headers
    assert body["total"] == 2 and body["period"] == NOVEMBER and body["since"] == "2026-11-01"
    assert body["weights_confirmed"] is False and "766" in body["source"]
    assert set(body["items"][0]["groups"]) == {"publicity", "on_time", "online_services", "online_payment",
                                               "digitisation", "satisfaction"}
    assert body["items"][0]["agency"] == agency.code  # the best first
    paged = (await portal.get("/api/v1/statistics/agencies", params={"period": NOVEMBER, "limit": 1,
                                                                     "offset": 1})).json()
    assert paged["total"] == 2 and len(paged["items"]) == 1
    refused = await portal.get("/api/v1/statistics/agencies", params={"period": "2026-13"})
    assert refused.status_code == 400 and "period" in refused.json()["detail"]
    download = await portal.get("/api/v1/statistics/agencies.csv", params={"period": NOVEMBER})
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    mine = next(r for r in rows if r["agency"] == agency.code)
    assert (mine["received"], mine["on_time_share"], mine["index"]) == ("7", "0.8", "78.5")
    schema = (await portal.get("/schema/openapi.json")).json()
    assert "/api/v1/statistics/agencies" in schema["paths"] and "/api/v1/statistics/agencies.csv" in schema["paths"]


@pytest.mark.parametrize(("lang", "score"), [("vi", "78,5"), ("en", "78.5"), ("km", None)])
async def test_pages_render_in_every_language(portal: Portal, seeded, lang: str, score: str | None):
    agency, _ = seeded
    ranking = await portal.get(f"/{lang}/statistics?period={NOVEMBER}")
    assert ranking.status_code == 200
    assert ranking.text.count("<h1") == 1 and 'role="img"' in ranking.text
    assert '<span id="provinces-chart-title" class="visually-hidden">' in ranking.text  # the chart's name, in HTML
    assert "<table" in ranking.text and f"/statistics/agencies/{agency.code}" in ranking.text
    page = await portal.get(f"/{lang}/statistics/agencies/{agency.code}?period={NOVEMBER}")
    assert page.status_code == 200 and page.text.count("<svg class=\"chart\"") == 1
    if score:
        assert score in page.text
    home = await portal.get(f"/{lang}/")
    assert f'href="/{lang}/statistics"' in home.text  # the footer links to it


async def test_bad_filters_are_refused_clearly(portal: Portal, seeded):
    wrong = await portal.get("/en/statistics?period=2026-13&province=01")
    assert wrong.status_code == 400 and "error-summary" in wrong.text and 'value="2026-13"' in wrong.text
    assert (await portal.get("/en/statistics?province=99")).status_code == 400
    assert (await portal.get("/en/statistics/agencies/NO-SUCH-AGENCY")).status_code == 404


async def test_nothing_rolled_up_yet_says_so(portal: Portal):
    page = await portal.get("/en/statistics")
    assert page.status_code == 200 and "have not been computed yet" in page.text
    assert (datetime.now(VIETNAM) - timedelta(days=1)).year >= 2026


async def test_feedback_answered_on_time_joins_satisfaction_through_the_hook(portal: Portal, seeded, monkeypatch):
    """Public questions (issue 19, item 5) register a counter; without one, the figure is left out, not zero."""
    from backend.statistics import index

    agency, _ = seeded
    monkeypatch.setattr(index, "_feedback_counters", [])  # the portal registers questions' counter: none here
    assert "feedback_answered" not in (await _item(portal, agency.code))["groups"]["satisfaction"]["figures"]

    async def answered(agency_ids: list[int], first: date, last: date) -> dict[int, tuple[int, int]]:
        assert first == date(2026, 11, 1)
        return {agency.id: (10, 5)}

    monkeypatch.setattr(index, "_feedback_counters", [answered])
    await rollup.run_incremental(today=TODAY)  # a new roll-up: the kept ranking is not reused
    satisfaction = (await _item(portal, agency.code))["groups"]["satisfaction"]
    assert satisfaction["figures"]["feedback_answered"] == 10
    assert satisfaction["figures"]["feedback_on_time_share"] == 0.5
    assert satisfaction["share"] == 0.625  # the ratings' 0.75 and the feedback's 0.5


async def test_a_transfer_moves_the_dossier_on_its_sending_day(portal: Portal, seeded):
    """The incremental roll-up recounts the day a transferred dossier was sent (days ago), not only today."""
    agency, other = seeded
    dossier = await Dossier.get(code="ST-0006")
    await Dossier.filter(id=dossier.id).update(agency_id=other.id)
    await TimelineEvent.create(dossier=dossier, action="transfer", to_status="submitted")
    await rollup.run_incremental(today=TODAY)
    assert (await _item(portal, agency.code))["received"] == 6


async def test_the_command_line_rebuilds_a_range_of_days(portal: Portal, seeded):
    agency, _ = seeded
    before = await _item(portal, agency.code)
    conn = connections.get("default")
    await conn.execute_query('DELETE FROM "stat_daily"')
    await conn.execute_query('DELETE FROM "stat_monthly"')
    env = {**os.environ, "DATABASE_URL": portal.settings.database_url}
    done = subprocess.run([sys.executable, "-m", "backend.manage", "stats-rebuild", "2026-11-01", "2026-11-30"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "recomputed for 30 days" in done.stdout, done.stderr
    assert await _item(portal, agency.code) == before
