"""A procedure's ``result`` block (``data/procedures/<code>.json``) checked when the catalogue loads (what it
means, and how a result prints it: ``backend.results.template``)."""

from __future__ import annotations

from typing import Any

from backend.core.i18n import gettext


def template_problems(item: dict[str, Any]) -> list[str]:
    """What is wrong with a procedure's ``result`` block: every line labelled, and showing an answer of its form, an
    official field it declares, or the agency; every official field with a key and a label."""
    template = item.get("result")
    if template is None:
        return []
    answers = {field["name"] for page in item.get("form", []) for field in page.get("fields", [])}
    official = template.get("official", [])
    keys = {field.get("key") for field in official}
    problems = [gettext("an official field (“%(key)s”) needs a key and a label", key=field.get("key") or "")
                for field in official if not field.get("key") or not field.get("label")]
    for line in template.get("lines", []):
        if not line.get("label"):
            problems.append(gettext("a line has no label"))
        if "answer" in line:
            if line["answer"] not in answers:
                problems.append(gettext("a line shows “%(name)s”, an answer the form does not ask",
                                            name=line["answer"]))
        elif "official" in line:
            if line["official"] not in keys:
                problems.append(gettext("a line shows “%(key)s”, an official field not declared", key=line["official"]))
        elif not line.get("agency"):
            problems.append(gettext("a line shows an answer, an official field or the agency"))
    return problems
