"""An open draft follows its procedure's newest published version (issue 18, item 4): when the citizen next opens
it, the answers that still fit (same question, still valid for its type and options) are kept, the others dropped,
and the citizen is told what changed. A sent dossier keeps the version it was started on (``definition_for``)."""

from __future__ import annotations

from typing import Any

from backend.catalogue import versions
from backend.core.i18n import gettext, ngettext, resolve_content
from backend.dossiers.constants import Status
from backend.dossiers.fieldtypes import check_value
from backend.dossiers.forms import all_fields
from backend.dossiers.models import Dossier

# What a citizen is told about: the parts of a procedure that change what they answer, bring or pay.
CITIZEN_PARTS = ("/form", "/documents", "/fee", "/fee_schedule", "/fee_options", "/result_forms")
BATCH = 500
MAX_CHANGES = 8  # a notice, not the administrators' history
NOTICE = "procedure_changed"  # the session key of what the citizen is told (layouts/base.html shows it once)


def register() -> None:
    """At startup: the editor's warning counts open drafts with this module's rule."""
    versions.count_broken_drafts_with(count_broken)


def fit(form: list[dict[str, Any]], answers: dict[str, Any], asked: set[str] | None = None
        ) -> tuple[dict[str, Any], list[str]]:
    """The answers that still fit ``form``, and the names of those dropped. ``asked``: the questions of the
    version the answers were given to (an answer to none of them is not the form's: kept); None: any answer may
    be dropped. An empty answer is never a loss."""
    fields = {field["name"]: field for field in all_fields(form)}
    kept, dropped = {}, []
    for name, value in answers.items():
        field = fields.get(name)
        if field is None:
            if asked is not None and name not in asked:
                kept[name] = value
            elif value not in ("", None, []):
                dropped.append(name)
            continue
        _, error = check_value(field, value, answers, fields)
        if error and value not in ("", None, []):
            dropped.append(name)
        else:
            kept[name] = value
    return kept, dropped


async def count_broken(code: str, document: dict[str, Any]) -> int:
    """How many open drafts of procedure ``code`` would lose an answer to ``document``'s form (as ``move_to_live``
    would fit them: each against the questions of its own version)."""
    form, count, last = document.get("form") or [], 0, 0
    drafts = Dossier.filter(procedure__code=code, status=Status.DRAFT).order_by("id")
    while rows := await drafts.filter(id__gt=last).limit(BATCH).values_list("id", "answers", "procedure_version"):
        for _, answers, number in rows:
            count += bool(fit(form, answers or {}, await _asked(code, number))[1])
        last = rows[-1][0]
    return count


async def _asked(code: str, number: int | None) -> set[str] | None:
    then = await versions.document_at(code, number) if number else None
    return {field["name"] for field in all_fields(then["form"])} if then else None


async def move_to_live(dossier: Dossier) -> list[str]:
    """Move an open draft (procedure loaded) to the live version; returns what the citizen should be told (empty:
    nothing to tell, or nothing moved)."""
    live = dossier.procedure
    if dossier.status is not Status.DRAFT or dossier.procedure_version == live.version or not live.published:
        return []
    then = await versions.document_at(live.code, dossier.procedure_version) if dossier.procedure_version else None
    kept, dropped = fit(live.form, dossier.answers, await _asked(live.code, dossier.procedure_version))
    questions = all_fields(then["form"] if then else live.form)
    labels = {field["name"]: resolve_content(field.get("label"))[0] for field in questions}
    dossier.answers, dossier.procedure_version = kept, live.version
    await dossier.save(update_fields=["answers", "procedure_version", "updated_at"])
    lost = [_dropped(labels.get(name, name)) for name in dropped]
    now = await versions.document_at(live.code, live.version)
    if then is None or now is None:  # a draft older than versions: only what it lost
        return lost
    changes = [c.sentence() for c in versions.diff(then, now) if c.pointer.startswith(CITIZEN_PARTS)]
    if len(changes) > MAX_CHANGES:  # the answers lost are always listed; the rest is summed up past a few
        more = len(changes) - MAX_CHANGES + 1
        changes = changes[: MAX_CHANGES - 1] + [ngettext("and %(num)s other change", "and %(num)s other changes",
                                                        more, num=more)]
    return changes + lost


def _dropped(label: str) -> str:
    return gettext("Your answer to “%(question)s” no longer fits the form: answer it again.", question=label)
