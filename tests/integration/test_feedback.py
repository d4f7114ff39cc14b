"""Citizens rate a settled dossier from 1 to 5, once, and may change their mind."""

import pytest

from backend.dossiers.constants import Status
from backend.feedback.models import Rating
from tests.integration.helpers import drive, people
from tests.support import CITIZEN, OFFICER

pytestmark = pytest.mark.integration


async def rate(citizen, code: str, score: str, comment: str = ""):
    return await citizen.post_form(f"/my/dossiers/{code}/rating", {"score": score, "comment": comment})


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.IN_PROGRESS,
                                    Status.SUPPLEMENT_REQUESTED, Status.WITHDRAWN])
async def test_a_dossier_is_rated_only_once_settled(portal, status):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, status)
        response = await rate(citizen, code, "5", "Fast")
    assert response.status_code == 400
    assert "You can rate a dossier once it is settled" in response.text and 'id="score-error"' in response.text
    assert await Rating.filter(dossier__code=code).count() == 0


@pytest.mark.parametrize("status", [Status.APPROVED, Status.REFUSED])
async def test_an_approved_or_refused_dossier_can_be_rated(portal, status):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, status)
        response = await rate(citizen, code, "4", "  Clear explanations  ")
        assert response.status_code in (302, 303)
        assert response.headers["location"] == f"/en/my/dossiers/{code}?rated=1#rating"
        rating = await Rating.get(dossier__code=code)
        assert (rating.score, rating.comment) == (4, "Clear explanations")
        page = await citizen.get(response.headers["location"])
        assert "Thank you for your rating." in page.text and 'value="4" checked' in page.text


@pytest.mark.parametrize("score", ["0", "6", "-1", "4.5", "five", ""])
async def test_only_scores_from_1_to_5(portal, score):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.APPROVED)
        response = await rate(citizen, code, score)
    assert response.status_code == 400
    assert "Choose a rating from 1 to 5" in response.text
    assert await Rating.filter(dossier__code=code).count() == 0


async def test_a_long_comment_is_refused(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.APPROVED)
        response = await rate(citizen, code, "3", "x" * 2001)
    assert response.status_code == 400 and "2000 characters or fewer" in response.text
    assert await Rating.filter(dossier__code=code).count() == 0


async def test_rating_again_updates_the_same_rating(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.APPROVED)
        assert (await rate(citizen, code, "2", "Slow")).status_code in (302, 303)
        first = await Rating.get(dossier__code=code)
        assert (await rate(citizen, code, "5", "They called me back")).status_code in (302, 303)
        assert (await rate(citizen, code, "9")).status_code == 400  # a bad change leaves the rating alone
    [rating] = await Rating.filter(dossier__code=code)
    assert rating.id == first.id
    assert (rating.score, rating.comment) == (5, "They called me back")
