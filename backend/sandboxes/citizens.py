"""Synthetic citizens for the sandbox population registry: deterministic, in memory, never real people.

Identity numbers follow the real structure: a 3-digit code of the province where the birth was registered,
one digit for century and sex (0/1: 1900s male/female, 2/3: 2000s male/female), the last two digits of
the birth year, then six digits. Addresses use communes and wards in force since 1 July 2025 (no
districts). The ward names below are a small hand-picked list of real ones; the streets are real streets
of the same city but not checked against the ward. Issue 7 brings the full administrative-unit package.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import cache

from backend.identity.registry import Address, Citizen, HouseholdMember

SEED = 20250701
COUNT = 300

# The demo accounts of backend/demo.py. Lan's phone is on record; Minh's record carries another phone.
LAN_ID_NUMBER = "001190012345"
LAN_HUSBAND_ID_NUMBER = "001088004321"
LAN_CHILD_ID_NUMBER = "001218006789"
MINH_ID_NUMBER = "079088001234"
MINH_PHONE_ON_RECORD = "84977123456"
DEMO_ID_NUMBERS = (LAN_ID_NUMBER, LAN_HUSBAND_ID_NUMBER, LAN_CHILD_ID_NUMBER, MINH_ID_NUMBER)
_RESERVED_PHONES = {"84912345678", "84987654321", "84901000001", "84901000002", "84900000000", "84913579246",
                    MINH_PHONE_ON_RECORD}

# Province code in identity numbers -> (province since 1 July 2025, a few of its wards, a few of its streets).
PROVINCES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "001": ("Thành phố Hà Nội",
            ("Phường Hoàn Kiếm", "Phường Cửa Nam", "Phường Ba Đình", "Phường Ngọc Hà", "Phường Giảng Võ",
             "Phường Hai Bà Trưng", "Phường Vĩnh Tuy", "Phường Bạch Mai", "Phường Đống Đa", "Phường Kim Liên",
             "Phường Văn Miếu - Quốc Tử Giám", "Phường Láng", "Phường Ô Chợ Dừa", "Phường Hồng Hà",
             "Phường Tây Hồ", "Phường Cầu Giấy", "Phường Long Biên", "Xã Bát Tràng"),
            ("phố Hàng Bạc", "phố Hàng Gai", "phố Tràng Tiền", "phố Lý Thường Kiệt", "đường Kim Mã", "phố Đội Cấn",
             "đường Láng", "đường Xuân Thủy", "phố Bạch Mai", "đường Giải Phóng")),
    "079": ("Thành phố Hồ Chí Minh",
            ("Phường Sài Gòn", "Phường Bến Thành", "Phường Tân Định", "Phường Cầu Ông Lãnh", "Phường Bàn Cờ",
             "Phường Xuân Hòa", "Phường Nhiêu Lộc", "Phường Chợ Lớn", "Phường Bình Thạnh", "Phường Gia Định",
             "Phường Gò Vấp", "Phường Thủ Đức", "Phường Thủ Dầu Một", "Phường Vũng Tàu"),
            ("đường Lê Lợi", "đường Nguyễn Huệ", "đường Hai Bà Trưng", "đường Pasteur", "đường Võ Văn Tần",
             "đường Cách Mạng Tháng Tám", "đường Nguyễn Trãi", "đường Phan Đăng Lưu")),
    "048": ("Thành phố Đà Nẵng",
            ("Phường Hải Châu", "Phường Hòa Cường", "Phường Thanh Khê", "Phường Sơn Trà", "Phường An Hải",
             "Phường Ngũ Hành Sơn", "Phường Hội An", "Phường Tam Kỳ"),
            ("đường Bạch Đằng", "đường Trần Phú", "đường Nguyễn Văn Linh", "đường Lê Duẩn", "đường Võ Nguyên Giáp")),
    "031": ("Thành phố Hải Phòng",
            ("Phường Hồng Bàng", "Phường Ngô Quyền", "Phường Lê Chân", "Phường Hải An", "Phường Gia Viên"),
            ("đường Lạch Tray", "đường Điện Biên Phủ", "đường Tô Hiệu", "đường Lê Lợi")),
    "046": ("Thành phố Huế",
            ("Phường Thuận Hóa", "Phường Phú Xuân", "Phường Kim Long", "Phường Vỹ Dạ", "Phường Thuận An"),
            ("đường Lê Lợi", "đường Hùng Vương", "đường Nguyễn Huệ", "đường Điện Biên Phủ")),
    "092": ("Thành phố Cần Thơ",
            ("Phường Ninh Kiều", "Phường Cái Khế", "Phường Tân An", "Phường Bình Thủy", "Phường Cái Răng"),
            ("đường Hòa Bình", "đường Nguyễn Văn Cừ", "đường Trần Hưng Đạo", "đường 30 Tháng 4")),
}
_PROVINCE_WEIGHTS = (30, 30, 12, 10, 8, 10)
SURNAMES = ("Nguyễn",) * 8 + ("Trần",) * 3 + ("Lê",) * 3 + (
    "Phạm", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
MIDDLE = {"male": ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Công", "Gia"),
          "female": ("Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Mai", "Hồng", "Bảo")}
GIVEN = {"male": ("An", "Bình", "Cường", "Dũng", "Hùng", "Huy", "Khánh", "Long", "Nam", "Phong", "Quân", "Sơn",
                  "Thắng", "Tuấn", "Việt", "Hiếu", "Đạt", "Khoa", "Lâm", "Trung"),
         "female": ("Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga",
                    "Ngọc", "Phương", "Quỳnh", "Thảo", "Trang", "Vy", "Yến", "Hằng")}
ETHNICITIES = ("Kinh",) * 17 + ("Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "H'Mông", "Dao", "Chăm")


def id_number(province: str, born: date, sex: str, serial: int) -> str:
    century_sex = (0 if born.year < 2000 else 2) + (1 if sex == "female" else 0)
    return f"{province}{century_sex}{born.year % 100:02d}{serial:06d}"


def _demo_citizens() -> list[Citizen]:
    lan_address = Address("Số 12 phố Hàng Bạc", "Phường Hoàn Kiếm", "Thành phố Hà Nội")
    lan = HouseholdMember("Nguyễn Thị Lan", "head", date(1990, 5, 14), LAN_ID_NUMBER)
    husband = HouseholdMember("Phạm Văn Đức", "husband", date(1988, 9, 2), LAN_HUSBAND_ID_NUMBER)
    child = HouseholdMember("Phạm Gia Bảo", "child", date(2018, 3, 20), LAN_CHILD_ID_NUMBER)
    family = [(lan, "female", "84912345678"), (husband, "male", "84913579246"), (child, "male", "")]
    citizens = [
        Citizen(me.id_number, me.full_name, me.birth_date, sex, "Kinh", phone, lan_address, me.relationship,
                tuple(m for m, _, _ in family if m is not me))
        for me, sex, phone in family
    ]
    minh_address = Address("Số 45 đường Lê Lợi", "Phường Bến Thành", "Thành phố Hồ Chí Minh")
    citizens.append(Citizen(MINH_ID_NUMBER, "Trần Văn Minh", date(1988, 11, 23), "male", "Kinh",
                            MINH_PHONE_ON_RECORD, minh_address, "head"))
    return citizens


def synthetic_citizens(seed: int = SEED, count: int = COUNT) -> list[Citizen]:
    """``count`` citizens in households, the same ones for the same seed."""
    rng = random.Random(seed)
    numbers, phones = set(DEMO_ID_NUMBERS), set(_RESERVED_PHONES)
    citizens: list[Citizen] = []

    def unique_number(province: str, born: date, sex: str) -> str:
        while (number := id_number(province, born, sex, rng.randrange(1_000_000))) in numbers:
            pass
        numbers.add(number)
        return number

    def unique_phone() -> str:
        while (phone := f"84{rng.choice('35789')}{rng.randrange(10**8):08d}") in phones:
            pass
        phones.add(phone)
        return phone

    def born_in(year: int) -> date:
        return date(year, 1, 1) + timedelta(days=rng.randrange(365))

    while len(citizens) < count:
        province = rng.choices(list(PROVINCES), _PROVINCE_WEIGHTS)[0]
        name, wards, streets = PROVINCES[province]
        address = Address(f"Số {rng.randint(1, 250)} {rng.choice(streets)}", rng.choice(wards), name)
        ethnicity = rng.choice(ETHNICITIES)
        head_sex = rng.choice(("male", "female"))
        head_year = rng.randint(1950, 2000)
        people = [("head", head_sex, born_in(head_year), rng.choice(SURNAMES))]
        if rng.random() < 0.7:
            sex = "female" if head_sex == "male" else "male"
            people.append(("wife" if sex == "female" else "husband", sex, born_in(head_year + rng.randint(-5, 5)),
                           rng.choice(SURNAMES)))
        fathers = [surname for _, sex, _, surname in people if sex == "male"]
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            year = min(head_year + rng.randint(20, 38), 2024)
            people.append(("child", rng.choice(("male", "female")), born_in(year), (fathers or [people[0][3]])[0]))
        people = people[: count - len(citizens)]
        members = []
        for relationship, sex, born, surname in people:
            full_name = f"{surname} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"
            adult = (2025 - born.year) >= 16
            members.append((HouseholdMember(full_name, relationship, born, unique_number(province, born, sex)),
                            sex, unique_phone() if adult else ""))
        for me, sex, phone in members:
            others = tuple(m for m, _, _ in members if m is not me)
            citizens.append(Citizen(me.id_number, me.full_name, me.birth_date, sex, ethnicity, phone, address,
                                    me.relationship, others))
    return citizens


@cache
def directory() -> dict[str, Citizen]:
    """Everyone the sandbox registry knows, by identity number (built on first use, not at import)."""
    return {c.id_number: c for c in (*_demo_citizens(), *synthetic_citizens())}
