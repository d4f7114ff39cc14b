"""What changed between two versions of a procedure, in words (issue 18, item 4: catalogue.diff)."""

import copy

from backend.catalogue.versions import diff

BEFORE = {
    "code": "9.000001",
    "title": {"vi": "Đăng ký khai sinh", "en": "Birth registration"},
    "fee": 0,
    "life_events": ["birth"],
    "documents": [{"key": "proof", "name": {"vi": "Giấy chứng sinh", "en": "Birth certificate"}, "mandatory": True,
                   "types": ["pdf"]}],
    "form": [
        {"key": "child", "title": {"vi": "Về trẻ", "en": "About the child"}, "fields": [
            {"name": "child_birth_date", "label": {"vi": "Ngày sinh", "en": "Date of birth"}, "type": "date",
             "required": True, "hint": None},
            {"name": "child_gender", "label": {"vi": "Giới tính", "en": "Sex"}, "type": "select", "required": True,
             "options": [{"value": "male", "label": {"vi": "Nam", "en": "Male"}},
                         {"value": "female", "label": {"vi": "Nữ", "en": "Female"}}]},
        ]},
    ],
}


def changed(**edits):
    after = copy.deepcopy(BEFORE)
    for edit in edits.values():
        edit(after)
    return after


def test_the_same_document_has_no_changes():
    assert diff(BEFORE, copy.deepcopy(BEFORE)) == []


def test_a_hint_changed_is_named_by_page_and_field():
    after = changed(hint=lambda d: d["form"][0]["fields"][0].update(hint={"vi": "Theo giấy chứng sinh", "en": "x"}))
    [change] = diff(BEFORE, after)
    assert change.path == "Form › page “About the child” › field “Date of birth” › hint"
    assert change.pointer == "/form/0/fields/0/hint"
    assert change.before is None and change.after == {"vi": "Theo giấy chứng sinh", "en": "x"}
    assert change.kind == "added"  # from nothing


def test_added_removed_and_changed_items_in_words():
    def edit(d):
        fields = d["form"][0]["fields"]
        fields[1]["options"].append({"value": "other", "label": {"vi": "Khác", "en": "Other"}})
        del fields[0]
        d["documents"][0]["mandatory"] = False
        d["title"] = {"vi": "Đăng ký khai sinh (mới)", "en": "Birth registration (new)"}
        d["form"].append({"key": "parents", "title": {"vi": "Cha mẹ", "en": "About the parents"}, "fields": []})

    sentences = [c.sentence() for c in diff(BEFORE, changed(edit=edit))]
    assert sentences == [
        "Title: changed",
        "Documents › document “Birth certificate” › mandatory: changed",
        "Form › page “About the child” › field “Sex” › option “other”: added",
        "Form › page “About the child” › field “Date of birth”: removed",
        "Form › page “About the parents”: added",
    ]


def test_a_content_text_is_one_value_and_scalar_lists_are_compared_whole():
    after = changed(events=lambda d: d.update(life_events=["birth", "identity"]),
                    title=lambda d: d["title"].update(en="Registering a birth"))
    changes = diff(BEFORE, after)
    assert [(c.pointer, c.path) for c in changes] == [("/title", "Title"), ("/life_events", "Life events")]
    assert changes[0].before == BEFORE["title"]


def test_the_format_keys_are_not_changes():
    assert diff(BEFORE, {**BEFORE, "format": 1, "$schema": "/api/v1/procedures/schema.json"}) == []


def test_answers_that_still_fit_are_kept_and_the_others_dropped():
    from backend.dossiers.redraft import fit

    form = changed(edit=lambda d: d["form"][0]["fields"].append(
        {"name": "child_name", "label": {"vi": "Tên", "en": "Name"}, "type": "date", "required": False}))["form"]
    form[0]["fields"][1]["options"] = [{"value": "boy", "label": {"vi": "Nam", "en": "Boy"}}]
    answers = {"child_birth_date": "2026-01-02", "child_gender": "male", "child_name": "An", "gone": "x",
               "emptied": "", "not_a_question": "kept"}
    asked = {"child_birth_date", "child_gender", "child_name", "gone", "emptied"}
    kept, dropped = fit(form, answers, asked)
    assert kept == {"child_birth_date": "2026-01-02", "not_a_question": "kept"}
    assert dropped == ["child_gender", "child_name", "gone"]  # an option gone, a text now a date, a question gone
    assert fit(form, {"child_birth_date": ""}, None) == ({"child_birth_date": ""}, [])  # nothing lost: kept empty
