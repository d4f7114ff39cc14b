"""A citizen's answer to a supplement request: the corrections it allows, what must be fixed, resubmitting."""

from __future__ import annotations

from backend.accounts.models import User
from backend.core.clock import Clock
from backend.core.i18n import gettext, localized
from backend.dossiers import workflow
from backend.dossiers.forms import all_fields, belongs_to, check_answers, visible_fields
from backend.dossiers.models import Dossier, SupplementRequest
from backend.dossiers.services import Problem, current_documents, file_documents, open_supplement, save_answers


async def save_corrections(dossier: Dossier, request: SupplementRequest, submitted: dict) -> dict[str, str]:
    """Save the answers the official asked to correct; a post changing any other answer is refused whole."""
    known = all_fields(dossier.procedure.form)
    if any(belongs_to(f, key) and f["name"] not in request.fields_to_fix for f in known for key in submitted):
        return {"corrections": gettext("Only the answers the agency asked for can be changed now. Nothing was saved.")}
    return await save_answers(dossier, [f for f in known if f["name"] in request.fields_to_fix], submitted)


async def problems_before_resubmit(dossier: Dossier, request: SupplementRequest) -> list[Problem]:
    """Only what the official asked for must be fixed: flagged answers valid, flagged files uploaded anew."""
    problems: list[Problem] = []
    every = all_fields(dossier.procedure.form)
    fields = [f for f in visible_fields(dossier.procedure.form, dossier.answers)
              if f["name"] in request.fields_to_fix and f.get("type") != "file"]
    _, errors = check_answers(fields, dossier.answers, dossier.answers, every)
    problems += [Problem(msg, f"/dossiers/{dossier.code}/supplement#{name}") for name, msg in errors.items()]
    uploaded = await current_documents(dossier)
    asked = [d for d in dossier.procedure.documents if d["key"] in request.documents]
    asked += [d for d in file_documents(dossier) if d["key"] in request.fields_to_fix]  # a file field: uploaded anew
    for spec in asked:
        document = uploaded.get(spec["key"])
        if document is None or document.uploaded_at < request.created_at:
            problems.append(
                Problem(
                    gettext("Upload a new %(name)s", name=localized(spec["name"])),
                    f"/dossiers/{dossier.code}/supplement#doc-{spec['key']}",
                )
            )
    return problems


async def resubmit(dossier: Dossier, user: User, *, clock: Clock) -> list[Problem]:
    workflow.check(dossier, "resubmit", user)
    request = await open_supplement(dossier)
    if request is None:
        raise workflow.TransitionRefused(gettext("There is no open supplement request on this dossier."))
    problems = await problems_before_resubmit(dossier, request)
    if not problems:
        await workflow.apply(dossier, "resubmit", user, clock=clock)
    return problems
