"""Demo data for ``make run``: the catalogue, one account per role, the staff of a few agencies in four provinces,
and Lan's dossiers in every state (all listed in the README)."""

from __future__ import annotations

from datetime import timedelta

from backend.accounts.models import AgencyRole, PushSubscription, Role, User
from backend.assisted.demo import create_demo_service_points
from backend.catalogue.loader import load_catalogue
from backend.catalogue.models import Agency, Procedure
from backend.core.calendar import is_working_day
from backend.core.clock import SYSTEM, FixedClock, now
from backend.desk import services as desk
from backend.dossiers import filing, workflow
from backend.dossiers import services as dossiers
from backend.dossiers.forms import all_fields
from backend.dossiers.models import Dossier
from backend.payments.fees import fee_due
from backend.questions.demo import create_demo_questions
from backend.results.services import ResultIssuer
from backend.results.template import input_name
from backend.sandboxes.push import demo_subscription
from backend.settings import Settings
from backend.statistics.rollup import run_incremental
from backend.subscribers import register_all
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
# Issue 17's staff, loaded by ``make run`` only (tests make the staff they need): phone, name, agency, role.
# Communes in four provinces (Sa Pa in Lào Cai, where most people are H'Mông, Dao, Tày or Giáy), and Đà Nẵng's
# Department of Justice with a lead and two officials (a certified copy of a civil-status extract is filed there
# or at a commune: tests/browser/test_agencies_journey.py transfers one from Hải Châu ward).
DEMO_STAFF = [
    ("0901000001", "Lê Thu Hà (Hoàn Kiếm ward)", "P01-W-HOANKIEM", AgencyRole.LEAD),
    ("0901000003", "Ngô Văn Tùng (Hoàn Kiếm ward)", "P01-W-HOANKIEM", AgencyRole.OFFICIAL),
    ("0901000009", "Đỗ Minh Châu (Hoàn Kiếm ward, staff administrator)", "P01-W-HOANKIEM", AgencyRole.AGENCY_ADMIN),
    ("0901000011", "Giàng Thị Mai (Sa Pa ward, Lào Cai)", "P15-W-SAPA", AgencyRole.OFFICIAL),
    ("0901000012", "H'Hoa Niê (Buôn Ma Thuột ward, Đắk Lắk)", "P66-W-BUONMATHUOT", AgencyRole.OFFICIAL),
    ("0901000013", "Trần Minh Khoa (Hải Châu ward, Đà Nẵng)", "P48-W-HAICHAU", AgencyRole.OFFICIAL),
    ("0901000021", "Lê Văn Hùng (Đà Nẵng Department of Justice, lead)", "P48-STP", AgencyRole.LEAD),
    ("0901000022", "Phan Thị Thu (Đà Nẵng Department of Justice)", "P48-STP", AgencyRole.OFFICIAL),
    ("0901000023", "Võ Quang Huy (Đà Nẵng Department of Justice)", "P48-STP", AgencyRole.OFFICIAL),
]
# phone, language, role: native speakers who translate and review in the portal (/translate)
DEMO_TRANSLATORS = [
    ("0913000001", "cjm", "translator"),
    ("0913000002", "cjm", "reviewer"),
    ("0913000003", "cjm", "reviewer"),
]


async def load_demo(settings: Settings | None = None) -> dict[str, int]:
    agencies, procedures = await load_catalogue()
    users = await create_demo_users() + await create_demo_staff()
    counts = {"agencies": agencies, "procedures": procedures, "users": users,
              "dossiers": await create_demo_dossiers(settings or Settings.from_env()),
              "questions": await create_demo_questions(),
              "service points": await create_demo_service_points()}  # a post office and its helper (issue 20)
    counts["days of statistics"] = await run_incremental()  # the public statistics read roll-ups only
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


async def create_demo_staff() -> int:
    """The agencies' staff; a role an administrator changed since (/staff) is left as it is."""
    for phone, name, agency_code, agency_role in DEMO_STAFF:
        agency = await Agency.get(code=agency_code)
        user, created = await User.get_or_create(
            phone="84" + phone[1:],
            defaults={"full_name": name, "role": Role.OFFICER, "agency": agency, "agency_role": agency_role})
        if not created and user.agency_role is None:  # a demo official from before roles: given theirs once
            user.full_name, user.agency_role = name, agency_role
            await user.save(update_fields=["full_name", "agency_role"])
    return len({phone for phone, *_ in DEMO_STAFF} - {phone for phone, *_ in DEMO_USERS})


MARITAL_STATUS, MARRIAGE = "1.004873", "1.000894"  # free, no document required: sent from answers alone
LAN_ANSWERS = {
    MARITAL_STATUS: {"full_name": "Nguyễn Thị Lan", "birth_date": "1990-03-15", "id_number": "001190012345",
                     "residence": "12 Hàng Bài, Hoàn Kiếm, Hà Nội", "marital_status": "single", "purpose": "other",
                     "other_purpose": "Hồ sơ xin việc", "phone": "0912345678"},
    MARRIAGE: {"groom_full_name": "Phạm Văn Đức", "groom_birth_date": "1988-07-02", "groom_id_number": "001088004321",
               "groom_residence": "5 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội", "bride_full_name": "Nguyễn Thị Lan",
               "bride_birth_date": "1990-03-15", "bride_id_number": "001190012345",
               "bride_residence": "12 Hàng Bài, Hoàn Kiếm, Hà Nội", "phone": "0912345678"},
}
# Lan's dossiers: procedure, agency, the official acting, received how many working days ago (None: not yet; 0:
# today), then what. A 3-day certificate received 2 days ago is due soon (within 2 working days), 15 days ago overdue.
DEMO_DOSSIERS: list[tuple[str, str, str, int | None, str]] = [
    (MARITAL_STATUS, "P01-W-HOANKIEM", "0901000001", None, ""),
    (MARITAL_STATUS, "P01-W-HOANKIEM", "0901000001", 0, "assign 0901000003"),
    (MARITAL_STATUS, "P01-W-HOANKIEM", "0901000001", 2, ""),
    (MARITAL_STATUS, "P01-W-HOANKIEM", "0901000001", 15, ""),
    (MARRIAGE, "P01-W-HOANKIEM", "0901000001", 0, "supplement"),
    (MARITAL_STATUS, "P01-W-HOANKIEM", "0901000001", 2, "approve"),
    (MARRIAGE, "P01-W-HOANKIEM", "0901000001", 1, "refuse"),
    (MARITAL_STATUS, "P15-W-SAPA", "0901000011", None, ""),
    (MARITAL_STATUS, "P66-W-BUONMATHUOT", "0901000012", 0, ""),
    (MARITAL_STATUS, "P48-W-HAICHAU", "0901000013", 3, "approve"),
]
NOTES = {
    "supplement": "Ghi ngày sinh của chú rể như trên căn cước. / The groom's date of birth as on his identity card.",
    "approve": "Hồ sơ đầy đủ. / All in order.",
    "refuse": "Hai bên đã đăng ký kết hôn tại phường Ba Đình. / This marriage is already registered at Ba Đình ward.",
}


def working_days_ago(days: int) -> FixedClock:
    """Working hours, ``days`` working days before today (0: today)."""
    day = SYSTEM.today()
    while days > 0:
        day -= timedelta(days=1)
        days -= is_working_day(day)
    return FixedClock.on(day, hour=9)


def register_entry(number: int) -> dict[str, str]:
    """A civil-status register's entry as a ward writes it: number/year, book/year, page."""
    year = now().year
    return {"registration_number": f"{100 + number}/{year}", "register_book": f"01/{year}",
            "register_page": str(20 + number)}


async def create_demo_dossiers(settings: Settings) -> int:
    """Lan's dossiers in every state, through the workflow as the pages would do it (timeline, events, news), with
    clocks set in the past for what is due soon or overdue. Once: nothing is added when Lan has dossiers."""
    lan = await User.get(phone="84912345678")
    if await Dossier.filter(applicant=lan).exists():
        return 0
    register_all()  # the timeline rows and Lan's news are the subscribers' (backend/subscribers.py)
    issuer = ResultIssuer.from_settings(settings)  # an approval issues the signed result, as on the desk
    for code, agency_code, official_phone, received, then in DEMO_DOSSIERS:
        procedure = await Procedure.get(code=code)
        official = await User.get(phone="84" + official_phone[1:])
        at = working_days_ago(received) if received is not None else SYSTEM
        # As the start page does: the agency must take the procedure; her draft of it is taken up (none is left).
        agency = await filing.filing_agency(procedure, agency_code)
        dossier = await dossiers.start_or_resume_draft(lan, procedure, agency)
        errors = await dossiers.save_answers(dossier, all_fields(procedure.form), LAN_ANSWERS[code])
        problems = errors or await dossiers.submit(dossier, lan, True, procedure.result_forms[0], clock=at,
                                                   fee_due=fee_due)
        if problems:
            raise ValueError(f"demo dossier {code} at {agency_code}: {problems}")
        if received is None:
            continue
        await workflow.apply(dossier, "receive", official, clock=at)
        if then.startswith("assign "):
            colleague = await User.get(phone="84" + then.split()[1][1:])
            await desk.assign(dossier, official, str(colleague.id))
        elif then == "supplement":
            await desk.request_supplement(dossier, official, [], ["groom_birth_date"], NOTES[then], clock=SYSTEM)
        elif then in ("approve", "refuse"):
            # Approved with the register's entry its result prints, as an official fills the desk's approve form.
            entry = {input_name(key): value for key, value in register_entry(dossier.id).items()}
            await desk.decide(dossier, then, official, NOTES[then], issuer, clock=SYSTEM,
                              result_fields=entry if then == "approve" else None)
    return len(DEMO_DOSSIERS)
