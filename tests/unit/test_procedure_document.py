"""The procedure document's checks (issue 18, item 5): its JSON Schema, what a schema cannot say, and the line of
each problem in the text it came from."""

import copy
import json

import jsonschema
import pytest

from backend.catalogue import document_text
from backend.catalogue.document import document_problems, field_types, place, schema
from backend.catalogue.loader import read_procedures
from backend.catalogue.models import FILING_LEVELS
from backend.dossiers.fieldtypes import CHECKERS


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    return read_procedures()


def text(vi: str, en: str) -> dict:
    return {"vi": vi, "en": en}


SAMPLE = {
    "code": "1.001193", "title": text("Đăng ký khai sinh", "Birth registration"), "agency": "P01-W-HOANKIEM",
    "filing_level": "commune", "filing_kind": "people_committee", "fee": 0, "processing_days": 3,
    "documents": [{"key": "marriage_certificate", "name": text("Giấy chứng nhận kết hôn", "Marriage certificate"),
                   "mandatory": False, "types": ["pdf"]}],
    "form": [
        {"key": "child", "title": text("Trẻ", "About the child"), "fields": [
            {"name": "child_full_name", "label": text("Họ tên", "Child's full name"), "type": "text",
             "required": True},
            {"name": "child_gender", "label": text("Giới tính", "Sex"), "type": "select", "required": True,
             "options": [{"value": "male", "label": text("Nam", "Male")},
                         {"value": "female", "label": text("Nữ", "Female")}]}]},
        {"key": "parents", "title": text("Cha mẹ", "About the parents"), "fields": [
            {"name": "mother_full_name", "label": text("Mẹ", "Mother's full name"), "type": "text"},
            {"name": "mother_id_number", "label": text("Số định danh", "Mother's ID"), "type": "identity"},
            {"name": "father_full_name", "label": text("Cha", "Father's full name"), "type": "text"},
            {"name": "father_id_number", "label": text("Số định danh", "Father's ID"), "type": "identity"}]},
        {"key": "applicant", "title": text("Người nộp", "Applicant"), "fields": [
            {"name": "applicant_phone", "label": text("Điện thoại", "Phone"), "type": "phone"}]},
    ],
    "result": {"title": text("Trích lục", "Extract"), "lines": [
        {"label": text("Họ tên", "Full name"), "answer": "child_full_name"}], "official": []},
}


@pytest.fixture
def birth() -> dict:
    return copy.deepcopy(SAMPLE)


def refused(document: dict, **options) -> list:
    """The problems of ``document`` as written in a file (indented JSON), with their lines."""
    text = json.dumps(document, ensure_ascii=False, indent=1)
    return document_problems(json.loads(text), text=text, **options)


def line_with(document: dict, needle: str) -> int:
    text = json.dumps(document, ensure_ascii=False, indent=1)
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(schema())
    assert schema()["properties"]["filing_level"]["enum"] == list(FILING_LEVELS)


def test_the_schema_knows_every_field_type_the_forms_check():
    assert set(CHECKERS) | {"date", "multichoice", "group", "file"} == set(field_types())


def test_every_procedure_of_the_catalogue_is_sound(catalogue):
    assert len(catalogue) >= 26
    assert {item["code"]: document_problems(item) for item in catalogue if document_problems(item)} == {}


def test_an_unknown_field_type_is_refused_with_its_line_and_pointer(birth):
    birth["form"][1]["fields"][2]["type"] = "signature"
    [problem] = refused(birth)
    assert problem.pointer == "/form/1/fields/2/type"
    assert "unknown field type “signature”" in problem.message
    assert problem.message.startswith("Form › page “About the parents” › field “Father's full name” › type")
    assert problem.line == line_with(birth, '"type": "signature"')


def test_a_fee_schedule_without_an_amount_is_refused(birth):
    birth["fee_schedule"] = {"per": {"field": "x", "rates": [{"amount": 1}]}}
    [problem] = refused(birth)
    assert problem.pointer == "/fee_schedule/amount"
    assert problem.message == "Fee schedule: “amount” is missing"
    assert problem.line == line_with(birth, '"fee_schedule"')


def test_a_procedure_without_any_fee_is_refused(birth):
    del birth["fee"]
    [problem] = refused(birth)
    assert problem.pointer == "/fee" and "needs an amount" in problem.message
    assert problem.line == 1  # nothing to point at but the document


def test_a_condition_naming_a_missing_or_later_field_is_refused(birth):
    birth["form"][0]["show_if"] = [{"field": "mother_full_name", "answered": True}]  # asked on the next page
    birth["form"][1]["fields"][2]["show_if"] = [{"field": "no_such_field", "in": ["x"]}]
    birth["form"][1]["fields"][3]["show_if"] = [{"field": "child_gender", "in": ["unknown"]}]
    later, missing, option = refused(birth)
    assert (later.pointer, missing.pointer) == ("/form/0/show_if/0/field", "/form/1/fields/2/show_if/0/field")
    assert "no field “mother_full_name” is asked before this" in later.message
    assert later.message.startswith("Form › page “About the child” › condition 1: ")
    assert later.line == line_with(birth, '"field": "mother_full_name"')
    assert missing.line == line_with(birth, '"field": "no_such_field"')
    assert option.pointer == "/form/1/fields/3/show_if/0/in" and "no option “unknown”" in option.message


def test_a_condition_on_an_earlier_field_of_the_same_page_is_sound(birth):
    birth["form"][1]["fields"][3]["show_if"] = [{"field": "father_full_name", "answered": True}]
    birth["form"][2]["show_if"] = [{"field": "child_gender", "not_in": ["male"]}]
    assert refused(birth) == []


def test_duplicate_field_names_are_refused(birth):
    birth["form"][2]["fields"][0]["name"] = "child_full_name"
    [problem] = refused(birth)
    assert problem.pointer == "/form/2/fields/0/name" and "is used by another field" in problem.message


def test_a_code_already_taken_is_refused_for_a_new_procedure(birth):
    assert refused(birth) == []
    [problem] = refused(birth, new=True)
    assert problem.pointer == "/code" and "already exists" in problem.message
    assert problem.line == line_with(birth, '"code"')
    assert refused(birth, new=True, existing={"9.999999"}) == []


def test_the_semantic_checks_moved_from_the_loader(birth):
    birth["offered_by"] = ["village:people_committee"]
    birth["result"]["lines"][0]["answer"] = "no_such_answer"
    offered, result = refused(birth)
    assert offered.pointer == "/offered_by/0" and "village:people_committee" in offered.message
    assert result.pointer == "/result" and "no_such_answer" in result.message


def test_a_file_field_and_a_repeating_group_are_part_of_the_format(birth):
    birth["form"][0]["fields"].append({"name": "photo", "label": {"vi": "Ảnh", "en": "Photo"}, "type": "file",
                                       "required": False, "types": ["jpg", "png"], "max_mb": 5})
    birth["form"][0]["fields"].append({"name": "siblings", "label": {"vi": "Anh chị em"}, "type": "group",
                                       "fields": [{"name": "sibling_name", "label": {"vi": "Tên"}, "type": "text"}]})
    assert refused(birth) == []
    birth["form"][0]["fields"][-1]["fields"][0]["type"] = "group"
    problems = {problem.pointer: problem.message for problem in refused(birth)}
    assert "cannot hold another group" in problems["/form/0/fields/3/fields/0/type"]


def test_schema_messages_name_the_place_and_the_rule(birth):
    birth["processing_days"] = -1
    birth["documents"][0]["surprise"] = 1
    birth["title"] = {"en": "No Vietnamese"}
    problems = {problem.pointer: problem.message for problem in refused(birth)}
    assert problems["/processing_days"] == "Processing time must be 0 or more"
    assert problems["/title/vi"] == "Title: “vi” is missing"
    assert "/documents/0/surprise" not in problems  # a document may carry keys of its own


def test_the_locator_finds_each_pointer_and_falls_back_to_its_parent():
    text = '{\n "a": [\n  1,\n  {"b": "x/y",\n   "c~d": null}\n ],\n "e": {}\n}\n'
    found = document_text.lines(text)
    assert found["/a"] == 2 and found["/a/0"] == 3 and found["/a/1"] == 4 and found["/a/1/b"] == 4
    assert found["/a/1/c~0d"] == 5 and found["/e"] == 7
    assert document_text.line_of(found, "/e/missing") == 7
    assert document_text.line_of(found, "/nothing/here") == 1


def test_yaml_documents_have_lines_too(birth):
    yaml_text = "code: '1.0'\nform:\n  - key: a\n    fields:\n      - name: x\n        type: signature\n"
    assert document_text.lines(yaml_text, yaml_text=True)["/form/0/fields/0/type"] == 6
    assert document_text.parse("not_before: 1900-01-01", yaml_text=True) == {"not_before": "1900-01-01"}


def test_unreadable_text_names_its_line():
    with pytest.raises(document_text.Unreadable) as caught:
        document_text.parse('{\n "code": "1",\n "title": ,\n}')
    assert caught.value.line == 3


def test_place_in_words(birth):
    assert place(birth, "/documents/0/types") == "Documents › document “Marriage certificate” › types"
    assert place(birth, "") == "The document"
