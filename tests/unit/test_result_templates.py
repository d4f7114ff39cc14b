"""The result templates of ``procedures/<code>.json`` (issue 18): each line shows something that exists."""


from backend.catalogue.loader import read_procedures
from backend.catalogue.result_templates import template_problems


def procedures() -> list[dict]:
    return read_procedures()


def test_every_result_template_of_the_catalogue_is_sound():
    templated = {item["code"]: template_problems(item) for item in procedures() if item.get("result")}
    assert "1.001193" in templated, "birth registration prints a birth extract"
    assert all(not problems for problems in templated.values()), templated


def test_a_line_showing_nothing_that_exists_is_refused():
    birth = next(item for item in procedures() if item["code"] == "1.001193")
    broken = {**birth, "result": {**birth["result"], "lines": [
        {"label": {"vi": "A"}, "answer": "no_such_answer"},
        {"label": {"vi": "B"}, "official": "no_such_key"},
        {"label": {"vi": "C"}},
        {"answer": "child_full_name"},
    ]}}
    assert template_problems(broken) == [
        "a line shows “no_such_answer”, an answer the form does not ask",
        "a line shows “no_such_key”, an official field not declared",
        "a line shows an answer, an official field or the agency",
        "a line has no label",
    ]
