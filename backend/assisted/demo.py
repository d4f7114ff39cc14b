"""Demo data of assisted filing (``make run``): a post office in Hà Nội and a clerk who helps citizens there."""

from __future__ import annotations

from backend.accounts.models import Role, User
from backend.assisted.models import HelperPost, PointKind, ServicePoint
from backend.core.clock import now

POST_OFFICE = "VNP-HN-HOANKIEM"
HELPER = ("0901000050", "Vũ Thị Hạnh")  # the record adds "at Hoàn Kiếm post office"
ADMIN = "84900000000"


async def create_demo_service_points() -> int:
    """The post office and its helper (posted by the portal administrator); kept as they are when present."""
    point, _ = await ServicePoint.get_or_create(code=POST_OFFICE, defaults={
        "kind": PointKind.POST_OFFICE,
        "name": {"vi": "Bưu điện Hoàn Kiếm", "en": "Hoàn Kiếm post office"},
        "address": {"vi": "75 Đinh Tiên Hoàng, phường Hoàn Kiếm, Hà Nội",
                    "en": "75 Đinh Tiên Hoàng, Hoàn Kiếm ward, Hà Nội"},
    })
    phone, name = HELPER
    helper, _ = await User.get_or_create(phone="84" + phone[1:], defaults={"full_name": name, "role": Role.CITIZEN})
    if not await HelperPost.exists(user_id=helper.id, ended_at__isnull=True):
        admin = await User.get(phone=ADMIN)
        await HelperPost.create(user=helper, service_point=point, appointed_by=admin, appointed_at=now())
    return 1
