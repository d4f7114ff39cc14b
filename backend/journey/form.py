"""Citizen pages that start an application and fill its form, page by page, with the registry pre-fill."""

from __future__ import annotations

from functools import partial

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from backend.accounts.web import current_user, signed_in
from backend.catalogue.models import Procedure
from backend.catalogue.services import get_procedure
from backend.core.i18n import gettext
from backend.core.web import form_dict, page
from backend.documents.checks import inspect_upload
from backend.documents.pool import CheckPool
from backend.dossiers import filing, prefill, services
from backend.dossiers.forms import visible
from backend.dossiers.models import Dossier
from backend.dossiers.storage import Quota
from backend.dossiers.uploads import UploadRejected
from backend.dossiers.web import FORM_POST
from backend.identity.registry import Outcome, PopulationRegistry
from backend.journey.agency import Choice, new_picker, suggestion, terms_of
from backend.journey.common import own_dossier
from backend.pwa.idempotency import idempotent  # offline drafts (issue 6): a form sent twice counts once
from backend.settings import Settings
from backend.storage import Storage


def _pages(dossier: Dossier, page_key: str | None = None) -> list[dict]:
    """The form's pages that apply to the dossier's answers (``forms.visible``); ``page_key``'s own questions
    all shown while it is being filled."""
    return visible(dossier.procedure.form, dossier.answers, page_key)


def _after(dossier: Dossier) -> str:
    """Where the form leads once its last page is answered."""
    return f"/dossiers/{dossier.code}/documents" if dossier.procedure.documents else f"/dossiers/{dossier.code}/check"


def _next_step(dossier: Dossier, page_key: str) -> str:
    """The next page that applies after ``page_key`` (by its place in the whole form: it may be skipped itself)."""
    order = [p["key"] for p in dossier.procedure.form]
    later = [p["key"] for p in _pages(dossier) if order.index(p["key"]) > order.index(page_key)]
    return f"/dossiers/{dossier.code}/form/{later[0]}" if later else _after(dossier)


async def _form_page(
    request: Request, dossier: Dossier, page_key: str, errors: dict, status_code: int = 200, **extra
) -> Template:
    form = _pages(dossier, page_key)
    index = next(i for i, p in enumerate(form) if p["key"] == page_key)
    back = (
        f"/dossiers/{dossier.code}/form/{form[index - 1]['key']}" if index else f"/procedures/{dossier.procedure.code}"
    )
    return page(
        "dossiers/form_page.html",
        status_code,
        dossier=dossier,
        form_page=form[index],
        step=index + 1,
        steps=len(form),
        next_step=_next_step(dossier, page_key),
        errors=errors,
        back=back,
        prefill=await prefill.state(dossier, current_user(request)),
        **extra,
    )


async def _start_choice(
    request: Request, procedure: Procedure, registry: PopulationRegistry, code: str | None
) -> tuple[Choice | None, dict[str, str]]:
    """The agency the start page proposes: the one just chosen in the picker, the open draft's, else a suggestion."""
    user = current_user(request)
    if code and filing.chosen_by_citizen(procedure):  # a procedure filed at one agency has nothing to choose
        try:
            return Choice(await filing.filing_agency(procedure, code), "chosen"), {}
        except filing.AgencyRefused as exc:
            return None, {"agency": str(exc)}
    draft = await services.open_draft(user, procedure)
    if draft is not None:
        return Choice(draft.agency, "draft"), {}
    return await suggestion(user, procedure, registry), {}


def _start_page(procedure: Procedure, current: Choice | None, errors: dict, status_code: int = 200) -> Template:
    fee, days = terms_of(procedure, current.agency if current else None)
    return page("dossiers/start.html", status_code, procedure=procedure, current=current, errors=errors,
                choose=filing.chosen_by_citizen(procedure), fee=fee, days=days)


@get("/procedures/{code:str}/apply", guards=[signed_in])
async def start_page(
    request: Request, population_registry: NamedDependency[PopulationRegistry], code: FromPath[str],
    agency: FromQuery[str | None] = None,
) -> Template:
    """Where signing in leads back to: where the application goes, and one button that starts (or resumes) it."""
    procedure = await get_procedure(code)
    if procedure is None:
        raise NotFoundException()
    current, errors = await _start_choice(request, procedure, population_registry, agency)
    return _start_page(procedure, current, errors, 400 if errors else 200)


@post("/procedures/{code:str}/apply", guards=[signed_in])
@idempotent
async def start_application(request: Request, code: FromPath[str]) -> Template | Redirect:
    """Start (or resume) the application at the agency posted; a commune or province procedure posted without
    one goes to the picker first (an open draft resumes where it is filed)."""
    procedure = await get_procedure(code)
    if procedure is None:
        raise NotFoundException()
    user, form = current_user(request), await form_dict(request)
    posted = str(form.get("agency") or "").strip()
    try:
        if posted:
            agency = await filing.filing_agency(procedure, posted)
        elif (draft := await services.open_draft(user, procedure)) is not None:
            agency = draft.agency
        elif (sole := await filing.sole_agency(procedure)) is not None:
            agency = sole
        else:
            return Redirect(f"/procedures/{procedure.code}/agencies", status_code=303)
    except filing.AgencyRefused as exc:
        return await new_picker(request, procedure, None, errors={"agency": str(exc)}, status_code=400, values=form)
    dossier = await services.start_or_resume_draft(user, procedure, agency)
    return Redirect(f"/dossiers/{dossier.code}/form/{procedure.form[0]['key']}")


@get("/dossiers/{code:str}/form/{page_key:str}", guards=[signed_in])
async def form_page(
    request: Request, code: FromPath[str], page_key: FromPath[str], prefilled: FromQuery[str | None] = None
) -> Template | Redirect:
    dossier = await own_dossier(request, code, draft=True, helper=True)
    if not any(p["key"] == page_key for p in dossier.procedure.form):
        raise NotFoundException()
    if not any(p["key"] == page_key for p in _pages(dossier, page_key)):  # skipped by an answer: on to what applies
        return Redirect(_next_step(dossier, page_key), status_code=303)
    return await _form_page(request, dossier, page_key, {}, just_prefilled=prefilled == "1")


@post("/dossiers/{code:str}/prefill", guards=[signed_in], **FORM_POST)
async def choose_prefill(
    request: Request, population_registry: NamedDependency[PopulationRegistry], code: FromPath[str]
) -> Template | Redirect:
    """The citizen's yes or no to filling the form from the national population database."""
    dossier = await own_dossier(request, code, draft=True)
    choice = (await form_dict(request)).get("choice")
    first = dossier.procedure.form[0]["key"]
    if choice not in ("yes", "no"):
        return Redirect(f"/dossiers/{dossier.code}/form/{first}")
    try:
        await prefill.record_choice(dossier, current_user(request), choice == "yes", population_registry)
    except prefill.PrefillRefused as exc:
        raise PermissionDeniedException(
            gettext("Verify your identity first to fill in forms from the national population database.")
        ) from exc
    except prefill.RegistryFailed as exc:
        down = exc.outcome is Outcome.UNAVAILABLE
        if down:  # literal strings in each gettext call, so that Babel extracts them
            problem = gettext("The national population database cannot be reached now. Try again later, or type them.")
        else:
            problem = gettext("We could not get your details from the national population database. Type them in.")
        return await _form_page(request, dossier, first, {}, 503 if down else 409, prefill_problem=problem)
    suffix = "?prefilled=1" if choice == "yes" else ""
    return Redirect(f"/dossiers/{dossier.code}/form/{first}{suffix}")


def _rows_action(dossier: Dossier, page_key: str, action: str) -> tuple[str | None, int | None]:
    """A repeating group's button: ``children+`` adds a row (None), ``children-2`` removes the third."""
    groups = {f["name"] for p in dossier.procedure.form if p["key"] == page_key for f in p["fields"]
              if f.get("type") == "group"}
    if action.endswith("+") and action[:-1] in groups:
        return action[:-1], None
    name, sign, index = action.rpartition("-")
    if sign and name in groups and index.isdigit():
        return name, int(index)
    return None, None


@post("/dossiers/{code:str}/form/{page_key:str}", guards=[signed_in], **FORM_POST)
@idempotent
async def save_form_page(request: Request, code: FromPath[str], page_key: FromPath[str]) -> Template | Redirect:
    dossier = await own_dossier(request, code, draft=True, helper=True)
    return await _save_page(request, dossier, page_key, await form_dict(request), {})


@post("/dossiers/{code:str}/form/{page_key:str}/files", guards=[signed_in])
async def save_form_page_with_files(
    request: Request, settings: NamedDependency[Settings], storage: NamedDependency[Storage],
    file_checks: NamedDependency[CheckPool], trust_roots: NamedDependency[list], code: FromPath[str],
    page_key: FromPath[str],
) -> Template | Redirect:
    """A form page with file fields (multipart, as large as an upload): each file chosen is checked and kept like
    the procedure's documents, then the page's other answers are saved as on any page. A file refused leaves
    the rest of what was typed saved, with the file's error on the page."""
    dossier = await own_dossier(request, code, draft=True, helper=True)
    posted = await form_dict(request)
    upload_errors: dict[str, str] = {}
    page_now = next((p for p in _pages(dossier, page_key) if p["key"] == page_key), None)
    for field in page_now["fields"] if page_now else ():
        upload = posted.pop(field["name"], None) if field.get("type") == "file" else None
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        try:
            await services.store_document(
                dossier, field["name"], upload.filename, await upload.read(), storage, settings.upload_max_bytes,
                quota=Quota.of(settings), inspect=partial(inspect_upload, file_checks, trust_roots=trust_roots))
        except UploadRejected as exc:
            upload_errors[field["name"]] = str(exc)
    posted = {key: value for key, value in posted.items() if not isinstance(value, UploadFile)}
    return await _save_page(request, dossier, page_key, posted, upload_errors)


async def _save_page(
    request: Request, dossier: Dossier, page_key: str, posted: dict, upload_errors: dict[str, str]
) -> Template | Redirect:
    """Save a page's answers; the page again with its errors (and those of its files), else the next step."""
    group, rows = _rows_action(dossier, page_key, str(posted.pop("_rows", "") or ""))
    if group is not None and rows is not None:  # "Remove": its row is not saved
        posted = {k: v for k, v in posted.items() if not k.startswith(f"{group}-{rows}-")}
    errors = await services.save_page(dossier, page_key, posted)
    if errors is None:
        raise NotFoundException()
    if not any(p["key"] == page_key for p in _pages(dossier, page_key)):  # a page skipped: nothing was kept
        return Redirect(_next_step(dossier, page_key), status_code=303)
    errors |= upload_errors  # a file refused says why, not only that it is missing
    if group is not None:  # "Add another" or "Remove": the page again, saved, with its rows (errors after "Save")
        return await _form_page(request, dossier, page_key, upload_errors, added_rows={group: 1 if rows is None else 0})
    if errors:
        return await _form_page(request, dossier, page_key, errors, 400)
    return Redirect(_next_step(dossier, page_key))
