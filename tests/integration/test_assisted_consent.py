"""Assisted filing, part A (issue 20): a citizen's consent to a helper, and the access rule it opens.

A helper stands to a dossier (``Standing.HELPER``) only while the citizen's consent for it is live: ACTIVE, not
expired, the helper still posted at its service point. Everywhere else a helper is a stranger: 404.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.accounts.models import User
from backend.assisted import services
from backend.assisted.models import (
    AssistConsent,
    AssistEvent,
    ConsentMethod,
    ConsentState,
    HelperPost,
    PointKind,
    ServicePoint,
)
from backend.core.clock import now
from backend.dossiers.access import Standing, visible_dossier
from backend.dossiers.models import Dossier
from tests.integration.helpers import BIRTH, people
from tests.support import CITIZEN, fill_draft

pytestmark = pytest.mark.integration
HELPER_PHONE = "0903200001"  # no other test signs in with these
OTHER_HELPER_PHONE = "0903200002"


async def post_office(code: str = "VNP-HN-HK") -> ServicePoint:
    return await ServicePoint.create(
        code=code, kind=PointKind.POST_OFFICE, name={"vi": "Bưu điện Hoàn Kiếm", "en": "Hoàn Kiếm post office"},
        address={"vi": "75 Đinh Tiên Hoàng, Hà Nội", "en": "75 Đinh Tiên Hoàng, Hà Nội"})


async def posted(phone: str, point: ServicePoint) -> User:
    user = await User.get(phone="84" + phone[1:])
    admin = await User.get(phone="84900000000")
    await HelperPost.create(user=user, service_point=point, appointed_by=admin, appointed_at=now())
    return user


async def granted(helper: User, point: ServicePoint, dossier: Dossier, hours: float = 72) -> AssistConsent:
    """A consent as the code step leaves it (the pages that get there are tested below)."""
    at = now()
    return await AssistConsent.create(
        helper=helper, service_point=point, citizen_id=dossier.applicant_id, procedure_id=dossier.procedure_id,
        dossier=dossier, method=ConsentMethod.SMS_CODE, state=ConsentState.ACTIVE, granted_at=at,
        expires_at=at + timedelta(hours=hours))


async def test_a_live_consent_opens_only_the_pages_that_name_the_helper(portal):
    async with people(portal, CITIZEN, HELPER_PHONE, OTHER_HELPER_PHONE) as (lan, _, _):
        code = await fill_draft(lan, BIRTH)
        dossier = await Dossier.get(code=code)
        point = await post_office()
        helper = await posted(HELPER_PHONE, point)
        other = await posted(OTHER_HELPER_PHONE, point)
        consent = await granted(helper, point, dossier)

        assert (await services.active_consent(helper, dossier)).id == consent.id
        assert await visible_dossier(code, helper, Standing.APPLICANT, Standing.HELPER) is not None
        assert await visible_dossier(code, helper) is None  # not among those concerned by default
        assert await visible_dossier(code, other, Standing.HELPER) is None  # another helper at the same point

        citizen = await User.get(id=dossier.applicant_id)
        assert await services.end_consent(consent.id, citizen) is services.Outcome.ENDED
        assert await visible_dossier(code, helper, Standing.HELPER) is None
        assert await services.end_consent(consent.id, citizen) is services.Outcome.ALREADY_ENDED
        assert await services.end_consent(consent.id, other) is services.Outcome.NOT_FOUND
        assert await AssistEvent.filter(consent_id=consent.id, action="ended").count() == 1
        page = await services.consents_of_citizen(citizen, 1)
        assert [c.id for c in page.items] == [consent.id] and page.items[0].helper.id == helper.id


async def test_an_expired_consent_or_an_ended_post_closes_the_dossier(portal):
    async with people(portal, CITIZEN, HELPER_PHONE) as (lan, _):
        dossier = await Dossier.get(code=await fill_draft(lan, BIRTH))
        point = await post_office()
        helper = await posted(HELPER_PHONE, point)
        await granted(helper, point, dossier, hours=-1)
        assert await services.active_consent(helper, dossier) is None
        await granted(helper, point, dossier)
        assert await services.active_consent(helper, dossier) is not None
        await HelperPost.filter(user=helper).update(ended_at=now())
        assert await services.active_consent(helper, dossier) is None
        assert await visible_dossier(dossier.code, helper, Standing.HELPER) is None
