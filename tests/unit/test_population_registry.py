"""The sandbox registry's synthetic citizens, the identity-number rules, and the catalogue's pre-fill keys."""

import re
from datetime import date

import pytest

from backend.catalogue.loader import read_procedures
from backend.dossiers.prefill import REGISTRY_KEYS, registry_value
from backend.identity.registry import Citizen
from backend.identity.services import MalformedNumber, clean_number, masked
from backend.sandboxes.citizens import (
    COUNT,
    DEMO_ID_NUMBERS,
    LAN_ID_NUMBER,
    MINH_ID_NUMBER,
    PROVINCES,
    directory,
    synthetic_citizens,
)

pytestmark = pytest.mark.unit
VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]", re.IGNORECASE)


def structure_ok(citizen: Citizen) -> bool:
    number = citizen.id_number
    century_sex = int(number[3])
    return (
        re.fullmatch(r"\d{12}", number) is not None
        and number[:3] in PROVINCES
        and century_sex == (0 if citizen.birth_date.year < 2000 else 2) + (citizen.sex == "female")
        and number[4:6] == f"{citizen.birth_date.year % 100:02d}"
    )


def test_300_citizens_with_unique_well_formed_numbers():
    citizens = synthetic_citizens()
    assert len(citizens) == COUNT == 300
    numbers = [c.id_number for c in citizens]
    assert len(set(numbers)) == 300 and not set(numbers) & set(DEMO_ID_NUMBERS)
    assert all(structure_ok(c) for c in citizens), [c.id_number for c in citizens if not structure_ok(c)]
    phones = [c.phone for c in citizens if c.phone]
    assert len(phones) == len(set(phones)) and all(re.fullmatch(r"84[35789]\d{8}", p) for p in phones)
    assert "84912345678" not in phones and "84987654321" not in phones, "demo phones stay the demo people's"


def test_the_same_seed_gives_the_same_people():
    assert synthetic_citizens() == synthetic_citizens()
    assert synthetic_citizens(seed=1) != synthetic_citizens()


def test_names_addresses_and_households_are_plausible():
    citizens = synthetic_citizens()
    assert sum(bool(VIETNAMESE_LETTERS.search(c.full_name)) for c in citizens) > 250, "names carry diacritics"
    for citizen in citizens:
        province, wards, _ = PROVINCES[citizen.id_number[:3]]
        assert citizen.permanent_address.province == province and citizen.permanent_address.ward in wards
        assert citizen.sex in ("male", "female") and date(1940, 1, 1) < citizen.birth_date < date(2025, 1, 1)
        assert citizen.household_head_name, "everyone's household has a head"
        for member in citizen.household:
            assert directory()[member.id_number].permanent_address == citizen.permanent_address
    assert any(len(c.household) >= 2 for c in citizens)


def test_the_demo_citizens():
    lan = directory()[LAN_ID_NUMBER]
    assert (lan.full_name, lan.sex, lan.birth_date.year, lan.phone) == ("Nguyễn Thị Lan", "female", 1990, "84912345678")
    assert lan.permanent_address.province == "Thành phố Hà Nội" and structure_ok(lan)
    assert sorted(m.relationship for m in lan.household) == ["child", "husband"]
    minh = directory()[MINH_ID_NUMBER]
    assert minh.full_name == "Trần Văn Minh" and minh.phone != "84987654321" and structure_ok(minh)
    assert len(directory()) == COUNT + len(DEMO_ID_NUMBERS)


@pytest.mark.parametrize(("typed", "clean"), [("001190012345", "001190012345"), (" 001 190 012 345 ", "001190012345")])
def test_spaces_are_ignored_in_identity_numbers(typed, clean):
    assert clean_number(typed) == clean


@pytest.mark.parametrize("typed", ["", "12345", "0011900123456", "001-190-012-345", "００１１９００１２３４５"])
def test_anything_but_12_digits_is_malformed(typed):
    with pytest.raises(MalformedNumber):
        clean_number(typed)


def test_a_masked_number_shows_only_its_last_four_digits():
    assert masked(LAN_ID_NUMBER) == "••••••••2345" and masked(None) == ""


def test_every_prefill_key_of_the_catalogue_is_one_the_registry_fills():
    procedures = read_procedures()
    lan = directory()[LAN_ID_NUMBER]
    seen = set()
    for procedure in procedures:
        for page in procedure["form"]:
            for field in page["fields"]:
                if "correctable" in field:
                    assert "prefill" in field, (procedure["code"], field["name"])
                if "prefill" in field:
                    assert field["prefill"] in REGISTRY_KEYS, (procedure["code"], field["name"])
                    assert registry_value(lan, field), (procedure["code"], field["name"], "the registry has a value")
                    seen.add(field["prefill"])
    assert seen == set(REGISTRY_KEYS) - {"ethnicity"}, "no procedure asks the applicant's ethnicity yet"
