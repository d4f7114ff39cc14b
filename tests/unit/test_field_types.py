"""The field types' checks (backend/dossiers/fieldtypes.py) and how answers are shown (backend/dossiers/display.py)."""

from datetime import date

import pytest

from backend.core import clock
from backend.dossiers.display import answer_text, group_identity, result_form_label
from backend.dossiers.fieldtypes import PROVINCE_CODES, identity_problem
from backend.dossiers.forms import check_answers, check_field

LABEL = {"vi": "Số định danh", "en": "Identity number"}


def field(kind: str, **extra) -> dict:
    return {"name": "answer", "label": LABEL, "type": kind, "required": True, **extra}


def test_the_63_province_codes():
    assert len(PROVINCE_CODES) == 63 and {"001", "079", "096"} <= PROVINCE_CODES and "003" not in PROVINCE_CODES


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("001090012345", None),
        ("079305000001", None),  # born in 2005, female
        ("12345", "Identity number must have 12 digits: you typed 5"),
        ("0010900123456", "Identity number must have 12 digits: you typed 13"),
        ("00109001234O", "Identity number can only have digits, with no letters or signs"),
        ("099090012345", "The first 3 digits of identity number (099) are not a province code"),
        ("001499012345", "give a year of birth of 2199, which is in the future"),
        ("001299012345", "give a year of birth of 2099, which is in the future"),
    ],
)
def test_identity_number(typed, error):
    problem = identity_problem(typed, "Identity number", today=date(2026, 12, 6))
    assert (problem is None) if error is None else (error in problem)


def test_identity_number_against_the_date_of_birth_and_spaces():
    spec = field("identity", birth_date="born")
    assert check_field(spec, "001 0 90 012345", {"born": "1990-01-02"}) == ("001090012345", None)
    value, error = check_field(spec, "001085012345", {"born": "1990-01-02"})
    assert value == "001085012345" and "but the date of birth given is in 1990" in error


@pytest.mark.parametrize(
    ("typed", "ok"),
    [("0912345678", True), ("0912 345 678", True), ("+84 912 345 678", True), ("+84912345678", True),
     ("091234567", False), ("12345", False), ("1912345678", False), ("09123456789", False), ("call me", False)],
)
def test_mobile_phone(typed, ok):
    assert (check_field(field("phone"), typed)[1] is None) is ok


@pytest.mark.parametrize(
    ("spec", "typed", "error"),
    [
        (field("number", integer=True, min=1, max=10), "3", None),
        (field("number", integer=True, min=1, max=10), "2,5", "Identity number must be a whole number, like 3"),
        (field("number", min=1), "0", "Identity number must be 1 or more"),
        (field("number", max=10), "11", "Identity number must be 10 or less"),
        (field("number"), "nan", "Identity number must be a number"),
        (field("text", min_length=3), "ab", "Identity number must be 3 characters or more: you typed 2"),
        (field("text", max_length=3), "abcd", "Identity number must be 3 characters or fewer"),
        (field("yesno"), "yes", None),
        (field("yesno"), "maybe", "Select identity number"),
        (field("choice", options=[{"value": "a", "label": {"en": "A"}}]), "b", "Select identity number"),
    ],
)
def test_number_text_and_choices(spec, typed, error):
    assert check_field(spec, typed)[1] == error


def test_dates_against_today_a_day_and_another_answer():
    today = clock.today().isoformat()
    assert check_field(field("date", not_after="today"), today)[1] is None
    assert check_field(field("date", not_after="today"), "2100-01-01")[1] == "Identity number cannot be in the future"
    assert check_field(field("date", not_before="today"), "1990-01-01")[1] == "Identity number cannot be in the past"
    assert "must be on or after" in check_field(field("date", not_before="2000-01-01"), "1999-12-31")[1]
    fields = [{"name": "born", "label": {"en": "Date of birth"}, "type": "date", "required": True},
              {"name": "died", "label": {"en": "Date of death"}, "type": "date", "required": True,
               "not_before": "born"}]
    _, errors = check_answers(fields[1:], {"died": "1980-01-01"}, {"born": "1990-01-02"}, fields)
    assert errors == {"died": "Date of death cannot be before date of birth (January 2, 1990)"}
    _, errors = check_answers(fields[1:], {"died": "1980-01-01"}, {"born": "not yet"}, fields)
    assert errors == {}  # the date it refers to is not a date yet: its own check says so


def test_multichoice_keeps_the_offered_order_and_refuses_others():
    spec = field("multichoice", options=[{"value": "a", "label": {"en": "A"}}, {"value": "b", "label": {"en": "B"}}])
    assert check_answers([spec], {"answer[]": ["b", "a"]})[0] == {"answer": ["a", "b"]}
    refused = check_answers([spec], {"answer[]": ["c"]})[1]
    assert refused == {"answer": "Select only the options offered for identity number"}
    assert check_answers([spec], {})[1] == {"answer": "Select at least one option for identity number"}
    assert answer_text(spec, ["a", "b"]) == "A, B"


def test_answers_shown_in_words():
    assert group_identity("001090012345") == "001 0 90 012345"
    assert answer_text(field("date"), "2025-03-27") == "March 27, 2025"
    assert answer_text(field("yesno"), "no") == "No"
    assert answer_text(field("phone"), "0912345678") == "0912 345 678"
    assert answer_text(field("select", options=[{"value": "post", "label": {"en": "By post"}}]), "post") == "By post"
    assert result_form_label("post") == "At home by post" and result_form_label("online") != "online"
