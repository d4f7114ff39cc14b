"""Demo data for ``make run``: the catalogue plus one account per role (listed in the README)."""

from __future__ import annotations

from backend.accounts.models import Role, User
from backend.catalogue.loader import load_catalogue
from backend.catalogue.models import Agency

# phone (as typed), name, role, agency code
DEMO_USERS = [
    ("0912345678", "Nguyễn Thị Lan", Role.CITIZEN, None),
    ("0987654321", "Trần Văn Minh", Role.CITIZEN, None),
    ("0901000001", "Lê Thu Hà (Hoàn Kiếm ward)", Role.OFFICER, "P01-W-HOANKIEM"),
    ("0901000002", "Phạm Quốc Bảo (Hà Nội City Police)", Role.OFFICER, "P01-CA"),
    ("0900000000", "Portal administrator", Role.ADMIN, None),
]


async def load_demo() -> dict[str, int]:
    agencies, procedures = await load_catalogue()
    users = await create_demo_users()
    return {"agencies": agencies, "procedures": procedures, "users": users}


async def create_demo_users() -> int:
    for phone, name, role, agency_code in DEMO_USERS:
        agency = await Agency.get(code=agency_code) if agency_code else None
        await User.update_or_create(
            defaults={"full_name": name, "role": role, "agency": agency}, phone="84" + phone[1:]
        )
    return len(DEMO_USERS)
