"""Assisted filing's starting points for tests (issue 20): a post office, a helper posted there, and a consent as the
code step leaves it (the pages that get there are tested in test_assisted_consent)."""

from __future__ import annotations

from datetime import timedelta

from backend.accounts.models import User
from backend.assisted.models import AssistConsent, ConsentMethod, ConsentState, HelperPost, PointKind, ServicePoint
from backend.core.clock import now
from backend.dossiers.models import Dossier

ADMIN = "84900000000"  # the demo portal administrator, who posts helpers


async def post_office(code: str = "VNP-HN-HK", place: str = "Hoàn Kiếm",
                      address: str = "75 Đinh Tiên Hoàng, Hà Nội") -> ServicePoint:
    return await ServicePoint.create(
        code=code, kind=PointKind.POST_OFFICE, name={"vi": f"Bưu điện {place}", "en": f"{place} post office"},
        address={"vi": address, "en": address})


async def posted(phone: str, point: ServicePoint) -> User:
    """The account of ``phone`` (0903...), made a helper at ``point`` by the portal administrator."""
    user = await User.get(phone="84" + phone[1:])
    await HelperPost.create(user=user, service_point=point, appointed_by=await User.get(phone=ADMIN),
                            appointed_at=now())
    return user


async def granted(helper: User, point: ServicePoint, dossier: Dossier, hours: float = 72,
                  method: ConsentMethod = ConsentMethod.SMS_CODE) -> AssistConsent:
    """A live consent of the dossier's applicant to ``helper`` for it, as the code step leaves it."""
    at = now()
    return await AssistConsent.create(
        helper=helper, service_point=point, citizen_id=dossier.applicant_id, procedure_id=dossier.procedure_id,
        dossier=dossier, method=method, state=ConsentState.ACTIVE, granted_at=at,
        expires_at=at + timedelta(hours=hours))
