"""Issue 18, conditional pages and questions (``show_if``) in the birth registration: branch pages appear and
disappear with the answers, the pages skipped are not checked, not on the check page or the desk, and their answers
are dropped when the dossier is sent; three branches on one choice."""

import json
import re

import pytest

from backend.catalogue.conditions import visible
from backend.catalogue.loader import DATA_DIR
from backend.dossiers.models import Dossier
from tests.integration.helpers import start_draft
from tests.support import CITIZEN, OFFICER, answer_pages, procedure_definition, upload_mandatory

pytestmark = pytest.mark.integration
BIRTH = "1.001193"
CHILD = {"child_full_name": "Lò Thị Mai", "child_birth_date": "2025-03-27", "child_gender": "female",
         "child_birth_place": "Bệnh viện Sơn La", "child_ethnicity": "Thái"}


def keys(form: list[dict], answers: dict) -> list[str]:
    return [page["key"] for page in visible(form, answers)]


def test_the_rule_branches_chain_and_a_skipped_answer_counts_as_not_given():
    form = json.loads((DATA_DIR / "procedures" / f"{BIRTH}.json").read_text(encoding="utf-8"))["form"]
    common = ["child", "birth_notice", "parents"]
    married = {"birth_circumstance": "health_facility", "parents_married": "yes"}
    assert keys(form, married) == [*common, "father", "applicant"]
    assert keys(form, {**married, "parents_married": "no"}) == [*common, "acknowledgement", "father", "applicant"]
    not_acknowledged = {**married, "parents_married": "no", "father_acknowledges": "no"}
    assert keys(form, not_acknowledged) == [*common, "acknowledgement", "applicant"]
    # Married again: the acknowledgement page is skipped, so its "no" no longer hides the father's page.
    assert keys(form, {**not_acknowledged, "parents_married": "yes"}) == [*common, "father", "applicant"]
    # The father's proof is asked only when the parents are not married.
    father = {**married, "parents_married": "no", "father_acknowledges": "yes"}
    assert [f["name"] for f in visible(form, father)[4]["fields"]] == [
        "father_full_name", "father_id_number", "father_proof"]
    assert [f["name"] for f in visible(form, married)[3]["fields"]] == ["father_full_name", "father_id_number"]


async def _post(portal, code: str, page: str, data: dict, files: dict | None = None):
    url = f"/dossiers/{code}/form/{page}" + ("/files" if files else "")
    return await portal.post_form(url, data, files=files)


async def test_pages_follow_the_answers_forward_and_back(portal):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, BIRTH)
    # Three branches on one choice: each leads to its own page.
    for circumstance, page in (("health_facility", "birth_notice"), ("outside_facility", "witness"),
                               ("abandoned", "abandoned")):
        sent = await _post(portal, code, "child", {**CHILD, "birth_circumstance": circumstance})
        assert sent.headers["location"] == f"/en/dossiers/{code}/form/{page}", circumstance
    # An abandoned child: no parents' page; after the record, the applicant.
    sent = await _post(portal, code, "abandoned", {"found_record_date": "2025-03-28", "found_place": "Chợ Mai Sơn"})
    assert sent.headers["location"] == f"/en/dossiers/{code}/form/applicant"
    skipped = await portal.get(f"/dossiers/{code}/form/parents")
    assert skipped.status_code == 303 and skipped.headers["location"].endswith(f"/dossiers/{code}/form/applicant")
    applicant = await portal.get(f"/dossiers/{code}/form/applicant")
    assert f'href="/en/dossiers/{code}/form/abandoned"' in applicant.text  # Back: the page before that applies
    assert "step 3 of 3" in applicant.text

    # Born at home, with no witness: the witness's number (required, asked only with a name) is not checked.
    await _post(portal, code, "child", {**CHILD, "birth_circumstance": "outside_facility"})
    witness = await portal.get(f"/dossiers/{code}/form/witness")
    assert 'id="witness_id_number"' in witness.text  # shown without JavaScript: its condition is on this page
    assert """<div data-show-if='[{"answered": true, "field": "witness_full_name"}]'>""" in witness.text
    assert 'src="/static/js/show-if.mjs"' in witness.text  # which hides it until a witness is named
    sent = await _post(portal, code, "witness", {"witness_full_name": "", "witness_id_number": ""})
    assert sent.headers["location"] == f"/en/dossiers/{code}/form/parents"
    refused = await _post(portal, code, "witness", {"witness_full_name": "Lò Văn Pọm", "witness_id_number": ""})
    assert refused.status_code == 400 and "Enter witness" in refused.text

    # Parents not married: the acknowledgement page; the father does not acknowledge: no father's page.
    parents = {"mother_full_name": "Lò Thị Hoa", "mother_id_number": "014190012345"}
    sent = await _post(portal, code, "parents", {**parents, "parents_married": "no"})
    assert sent.headers["location"] == f"/en/dossiers/{code}/form/acknowledgement"
    sent = await _post(portal, code, "acknowledgement", {"father_acknowledges": "no"})
    assert sent.headers["location"] == f"/en/dossiers/{code}/form/applicant"
    assert (await portal.get(f"/dossiers/{code}/form/father")).status_code == 303
    # He does: his page, with the evidence of the relationship asked for.
    sent = await _post(portal, code, "acknowledgement", {"father_acknowledges": "yes"})
    assert sent.headers["location"] == f"/en/dossiers/{code}/form/father"
    father = await portal.get(f"/dossiers/{code}/form/father")
    assert 'enctype="multipart/form-data"' in father.text and 'type="file"' in father.text
    assert f'href="/en/dossiers/{code}/form/acknowledgement"' in father.text


async def test_answers_of_skipped_pages_are_dropped_when_sent_and_never_shown(portal):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, BIRTH)
    definition = await procedure_definition(BIRTH)
    # First married, with the father's name; then not married, and he does not acknowledge the child.
    await answer_pages(portal, code, definition["form"], {"parents_married": "yes", "father_full_name": "Cầm Bá Thước"})
    await _post(portal, code, "parents", {"mother_full_name": "Lò Thị Hoa", "mother_id_number": "014190012345",
                                          "parents_married": "no"})
    await _post(portal, code, "acknowledgement", {"father_acknowledges": "no"})
    draft = await Dossier.get(code=code)
    assert draft.answers["father_full_name"] == "Cầm Bá Thước"  # kept in the draft: nothing typed is lost

    check = await portal.get(f"/dossiers/{code}/check")
    assert "Cầm Bá Thước" not in check.text and "Father&#39;s full name" not in check.text
    assert "Does the father acknowledge the child" in check.text
    await upload_mandatory(portal, code, BIRTH)
    sent = await portal.post_form(f"/dossiers/{code}/submit",
                                  {"declaration": "yes", "result_form": definition["result_forms"][0]})
    assert sent.status_code in (302, 303), sent.text
    answers = (await Dossier.get(code=code)).answers
    assert "father_full_name" not in answers and "father_id_number" not in answers
    assert answers["father_acknowledges"] == "no" and answers["birth_notice_number"]

    await portal.sign_in(OFFICER)
    desk = await portal.get(f"/desk/dossiers/{code}")
    assert "Cầm Bá Thước" not in desk.text and "Does the father acknowledge the child" in desk.text
    assert not re.search(r'id="sup-field-father_full_name"', desk.text)  # nor can it be asked to be corrected
    assert 'id="sup-field-father_acknowledges"' in desk.text


def test_each_kind_of_condition():
    from backend.catalogue.conditions import holds

    assert holds({"field": "a", "in": ["x"]}, {"a": "x"}) and not holds({"field": "a", "in": ["x"]}, {})
    assert holds({"field": "a", "not_in": ["x"]}, {}) and not holds({"field": "a", "not_in": ["x"]}, {"a": "x"})
    assert holds({"field": "a", "answered": False}, {"a": ""}) and holds({"field": "a", "answered": True}, {"a": 3})
    assert holds({"field": "ticks", "in": ["b"]}, {"ticks": ["a", "b"]})  # multiple choice: any value ticked
    assert not holds({"field": "ticks", "not_in": ["b"]}, {"ticks": ["a", "b"]})
    form = [{"key": "p", "fields": [{"name": "a"}, {"name": "b", "show_if": [{"field": "a", "in": ["1"]},
                                                                              {"field": "a", "answered": True}]}]}]
    assert [f["name"] for f in visible(form, {"a": "1"})[0]["fields"]] == ["a", "b"]  # all must hold
    assert [f["name"] for f in visible(form, {"a": "2"})[0]["fields"]] == ["a"]
    assert [f["name"] for f in visible(form, {}, pending_page="p")[0]["fields"]] == ["a", "b"]  # being filled


def test_a_question_inside_a_repeating_group_follows_the_item_s_answers():
    from backend.dossiers.fieldtypes import group_errors

    group = {"name": "children", "type": "group", "label": {"en": "Children"}, "fields": [
        {"name": "adopted", "type": "yesno", "label": {"en": "Adopted"}, "required": True},
        {"name": "decision", "type": "text", "label": {"en": "Adoption decision"}, "required": True,
         "show_if": [{"field": "adopted", "in": ["yes"]}]}]}
    values, errors = group_errors(group, [{"adopted": "no", "decision": "x"}, {"adopted": "yes"}], {}, {})
    assert values == [{"adopted": "no"}, {"adopted": "yes", "decision": ""}]
    assert list(errors) == ["children-1-decision"]
