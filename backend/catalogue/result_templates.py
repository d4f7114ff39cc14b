"""A procedure's ``result`` block (``data/procedures/<code>.json``) checked when the catalogue loads (what it
means, and how a result prints it: ``backend.results.template``)."""

from __future__ import annotations

from typing import Any


def template_problems(item: dict[str, Any]) -> list[str]:
    """What is wrong with a procedure's ``result`` block: every line labelled, and showing an answer of its form, an
    official field it declares, or the agency; every official field with a key and a label."""
    template = item.get("result")
    if template is None:
        return []
    answers = {field["name"] for page in item.get("form", []) for field in page.get("fields", [])}
    official = template.get("official", [])
    keys = {field.get("key") for field in official}
    problems = [f"result: official field {field.get('key')!r} needs a key and a label" for field in official
                if not field.get("key") or not field.get("label")]
    for line in template.get("lines", []):
        if not line.get("label"):
            problems.append("result: a line without a label")
        if "answer" in line:
            if line["answer"] not in answers:
                problems.append(f"result: no answer {line['answer']!r} in the form")
        elif "official" in line:
            if line["official"] not in keys:
                problems.append(f"result: no official field {line['official']!r}")
        elif not line.get("agency"):
            problems.append("result: a line shows an answer, an official field or the agency")
    return problems
