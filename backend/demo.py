"""Demo data for ``make run``: the catalogue plus one account per role (listed in the README)."""

from __future__ import annotations

from backend.accounts.models import PushSubscription, Role, User
from backend.catalogue.loader import load_catalogue
from backend.catalogue.models import Agency
from backend.core.clock import now
from backend.sandboxes.push import demo_subscription
from backend.settings import Settings
from backend.translations.models import TranslatorRole

# phone (as typed), name, role, agency code
DEMO_USERS = [
    ("0912345678", "Nguyễn Thị Lan", Role.CITIZEN, None),
    ("0987654321", "Trần Văn Minh", Role.CITIZEN, None),
    ("0901000001", "Lê Thu Hà (Hoàn Kiếm ward)", Role.OFFICER, "P01-W-HOANKIEM"),
    ("0901000002", "Phạm Quốc Bảo (Hà Nội City Police)", Role.OFFICER, "P01-CA"),
    ("0900000000", "Portal administrator", Role.ADMIN, None),
    ("0913000001", "Đàng Thị Mỹ (Chăm translator)", Role.CITIZEN, None),
    ("0913000002", "Thành Văn Phú (Chăm reviewer)", Role.CITIZEN, None),
    ("0913000003", "Quảng Thị Hoa (Chăm reviewer)", Role.CITIZEN, None),
]
# phone, language, role: native speakers who translate and review in the portal (/translate)
DEMO_TRANSLATORS = [
    ("0913000001", "cjm", "translator"),
    ("0913000002", "cjm", "reviewer"),
    ("0913000003", "cjm", "reviewer"),
]


async def load_demo(settings: Settings | None = None) -> dict[str, int]:
    agencies, procedures = await load_catalogue()
    users = await create_demo_users()
    counts = {"agencies": agencies, "procedures": procedures, "users": users}
    if settings is not None and settings.demo_mode:
        counts["push devices (sandbox)"] = await subscribe_demo_phone(settings)
    return counts


async def subscribe_demo_phone(settings: Settings) -> int:
    """Lan's sandbox phone gets Web Push: /dev/outbox shows what it received, decrypted."""
    subscription = demo_subscription(settings)
    await PushSubscription.update_or_create(
        endpoint=subscription["endpoint"],
        defaults={"user": await User.get(phone="84912345678"), "p256dh": subscription["keys"]["p256dh"],
                  "auth": subscription["keys"]["auth"], "device": "Sandbox phone"},
    )
    return 1


async def create_demo_users() -> int:
    for phone, name, role, agency_code in DEMO_USERS:
        agency = await Agency.get(code=agency_code) if agency_code else None
        await User.update_or_create(
            defaults={"full_name": name, "role": role, "agency": agency}, phone="84" + phone[1:]
        )
    for phone, language, duty in DEMO_TRANSLATORS:
        user = await User.get(phone="84" + phone[1:])
        await TranslatorRole.get_or_create(user=user, language=language, role=duty, defaults={"granted_at": now()})
    return len(DEMO_USERS)
