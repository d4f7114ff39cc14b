"""The procedure editor (``/admin/procedures``, issue 18): administrators list procedures, change each section of
one (every save a draft version, ``catalogue.versions``), publish a draft, read the history, compare two versions and
restore one. Plain forms: everything works without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Request, Router, get, post
from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from backend.accounts.models import Role
from backend.accounts.web import current_user, signed_in
from backend.catalogue import versions
from backend.catalogue.agencies import KINDS
from backend.catalogue.models import FILING_LEVELS, Agency
from backend.catalogue.services import LIFE_EVENTS
from backend.core.i18n import gettext, resolve_content
from backend.core.paging import page_number
from backend.core.web import form_dict, page
from backend.dossiers.display import result_form_label
from backend.publisher import form_pages, forms, services
from backend.publisher.forms import Built, Form
from backend.publisher.money_and_result import apply_fee, apply_result, fee_form, result_form

BASE = "/admin/procedures"
# section -> (its inputs from the document, the document from its inputs, the input a stray problem leads to)
SECTIONS: dict[str, tuple[Callable[[dict], Form], Callable[[dict, Form], Built], str]] = {
    "details": (forms.details_form, forms.apply_details, "title-vi"),
    "documents": (forms.documents_form, forms.apply_documents, "doc-0-name-vi"),
    "fee": (fee_form, apply_fee, "amount"),
    "delivery": (forms.delivery_form, forms.apply_delivery, "result_forms"),
    "result": (result_form, apply_result, "title-vi"),
}


def editors_only(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    signed_in(connection, handler)
    if not services.may_edit(connection.state.user):
        raise PermissionDeniedException(gettext("Only administrators can edit procedures"))


async def _editing(request: Request, code: str) -> services.Editing:
    found = await services.editing(code)
    if found is None:
        raise NotFoundException()
    if not services.may_edit_procedure(current_user(request), found.procedure):
        raise PermissionDeniedException(gettext("You can only edit your own agency's procedures"))
    return found


def _notice(request: Request) -> str | None:
    return request.session.pop("notice", None) if request.session else None


def _done(request: Request, code: str, notice: str, where: str = "") -> Redirect:
    request.session["notice"] = notice
    return Redirect(f"{BASE}/{code}{where}")


def _choices(document: dict[str, Any]) -> dict[str, Any]:
    """What the section pages offer to choose from, as (value, label) pairs."""
    fields = [f for p in document.get("form") or [] for f in p.get("fields", [])]
    officials = (document.get("result") or {}).get("official") or []

    def named(item: dict[str, Any], key: str) -> str:
        return f"{resolve_content(item.get('label') or item.get('name'))[0]} ({item[key]})"

    return {
        "level_choices": [(level, str(services.LEVEL_LABELS.get(level, level))) for level in FILING_LEVELS],
        "kind_choices": [(kind, str(KINDS.get(kind, kind))) for kind in services.filing_kinds()],
        "event_choices": [(key, str(label)) for key, label in LIFE_EVENTS.items()],
        "type_pairs": [(kind, kind.upper()) for kind in forms.FILE_TYPES],
        "delivery_pairs": [(way, result_form_label(way)) for way in forms.RESULT_FORMS],
        "unit_pairs": [("copy", gettext("Copies")), ("page", gettext("Pages"))],
        "number_pairs": [(f["name"], named(f, "name")) for f in fields if f.get("type") == "number"],
        "document_pairs": [(d["key"], named(d, "key")) for d in document.get("documents") or []],
        "shows_pairs": [("agency", gettext("The agency that issues it"))]
        + [(f"answer:{f['name']}", gettext("Answer: %(field)s", field=named(f, "name"))) for f in fields]
        + [(f"official:{o['key']}", gettext("Official's field: %(field)s", field=named(o, "key")))
           for o in officials if o.get("key")],
    }


def _section_page(request: Request, found: services.Editing, section: str, form: Form, status_code: int = 200,
                  saved: services.Saved | None = None, **extra: Any) -> Template:
    return page(f"publisher/section_{section}.html", status_code, editing=found, p=found.procedure,
                doc=found.document, form=form, errors=saved.errors if saved else {},
                hrefs=saved.hrefs if saved else {}, section=section, **_choices(found.document), **extra)


# --- the list and a new procedure -----------------------------------------------------------------------------

@get("/", name="publisher")
async def procedure_list(request: Request, q: FromQuery[str] = "") -> Template:
    user = current_user(request)
    found = await services.procedures_page(user, q, page_number(request.query_params.get("page")))
    return page("publisher/list.html", q=q, found=found, to_check=await services.to_check_count(user),
                notice=_notice(request), portal_admin=user.role is Role.ADMIN)


def _new_page(form: Form, status_code: int = 200, saved: services.Saved | None = None) -> Template:
    return page("publisher/new.html", status_code, form=form, errors=saved.errors if saved else {},
                hrefs=saved.hrefs if saved else {}, **_choices({}))


@get("/new")
async def new_form(request: Request) -> Template:
    user = current_user(request)
    form = forms.details_form({"filing_level": "commune", "filing_kind": "people_committee"})
    if user.role is not Role.ADMIN and (agency := await Agency.get_or_none(id=user.agency_id)):
        form["agency"] = agency.code
    return _new_page(form)


@post("/new")
async def create(request: Request) -> Template | Redirect:
    user = current_user(request)
    form = await form_dict(request)
    skeleton = {"documents": [], "form": [], "fee": 0, "result_forms": ["office"], "full_online": False,
                "faq": [], "life_events": []}
    built = forms.apply_details(skeleton, form, new=True)
    await services.check_owner(built, user, new=True)
    code = built.document.get("code", "")
    saved = await services.save(code, built, user, "code", note=gettext("Created"))
    if saved.errors:
        return _new_page(form, 400, saved)
    return _done(request, code, gettext("Procedure created as a draft. Add its documents, form and fee, then "
                                        "publish it."))


# --- one procedure ----------------------------------------------------------------------------------------------

@get("/{code:str}")
async def overview(request: Request, code: FromPath[str]) -> Template:
    found = await _editing(request, code)
    return page("publisher/overview.html", editing=found, p=found.procedure, doc=found.document,
                notice=_notice(request), portal_admin=current_user(request).role is Role.ADMIN,
                **_choices(found.document))


@get("/{code:str}/sections/{section:str}")
async def section_form(request: Request, code: FromPath[str], section: FromPath[str]) -> Template:
    if section not in SECTIONS:
        raise NotFoundException()
    found = await _editing(request, code)
    return _section_page(request, found, section, SECTIONS[section][0](found.document))


@post("/{code:str}/sections/{section:str}")
async def save_section(request: Request, code: FromPath[str], section: FromPath[str]) -> Template | Redirect:
    if section not in SECTIONS:
        raise NotFoundException()
    found = await _editing(request, code)
    form = await form_dict(request)
    _, apply, fallback = SECTIONS[section]
    built = apply(found.document, form)
    if section == "details":
        await services.check_owner(built, current_user(request))
    saved = await services.save(code, built, current_user(request), fallback)
    if saved.errors:
        return _section_page(request, found, section, form, 400, saved)
    return _done(request, code, gettext("Saved in the draft. Publish it when the procedure is ready."))


# --- the form's pages and fields --------------------------------------------------------------------------------

def _pages_page(request: Request, found: services.Editing, form: Form | None = None, status_code: int = 200,
                saved: services.Saved | None = None) -> Template:
    return page("publisher/pages.html", status_code, editing=found, p=found.procedure, doc=found.document,
                form=form or {}, errors=saved.errors if saved else {}, hrefs=saved.hrefs if saved else {},
                notice=_notice(request))


@get("/{code:str}/form")
async def pages(request: Request, code: FromPath[str]) -> Template:
    return _pages_page(request, await _editing(request, code))


@post("/{code:str}/form")
async def add_page(request: Request, code: FromPath[str]) -> Template | Redirect:
    found = await _editing(request, code)
    form = await form_dict(request)
    saved = await services.save(code, form_pages.add_page(found.document, form), current_user(request), "title-vi")
    if saved.errors:
        return _pages_page(request, found, form, 400, saved)
    return _done(request, code, gettext("Page added. Add its questions."),
                 f"/form/{len(found.document.get('form') or []) + 1}")  # the page just added, after the others


def _order(items: list[Any], action: str) -> bool:
    """``up:2``, ``down:2`` or ``remove:2`` on ``items``; False when it does nothing."""
    verb, _, raw = action.partition(":")
    if not raw.isdigit() or int(raw) >= len(items):
        return False
    if verb == "remove":
        del items[int(raw)]
        return True
    return verb in ("up", "down") and form_pages.move(items, int(raw), -1 if verb == "up" else 1)


async def _reordered(request: Request, found: services.Editing, items: Callable[[dict], list], where: str,
                     refused: Callable[[services.Saved], Template]) -> Template | Redirect:
    built = forms.start(found.document)
    if not _order(items(built.document), str((await form_dict(request)).get("action", ""))):
        return _done(request, found.procedure.code, gettext("Nothing to move there."), where)
    saved = await services.save(found.procedure.code, built, current_user(request), "order")
    if saved.errors:  # a condition that now names a later field, say: the problems say which
        return refused(saved)
    return _done(request, found.procedure.code, gettext("Saved in the draft."), where)


@post("/{code:str}/form/order")
async def order_pages(request: Request, code: FromPath[str]) -> Template | Redirect:
    found = await _editing(request, code)
    return await _reordered(request, found, lambda doc: doc.setdefault("form", []), "/form",
                            lambda saved: _pages_page(request, found, {}, 400, saved))


def _page_of(found: services.Editing, number: int) -> int:
    if not 1 <= number <= len(found.document.get("form") or []):
        raise NotFoundException()
    return number - 1


def _form_page(request: Request, found: services.Editing, index: int, form: Form, status_code: int = 200,
               saved: services.Saved | None = None) -> Template:
    return page("publisher/page.html", status_code, editing=found, p=found.procedure, doc=found.document,
                index=index, fp=found.document["form"][index], form=form, errors=saved.errors if saved else {},
                hrefs=saved.hrefs if saved else {}, notice=_notice(request),
                **form_pages.rule_choices(form_pages.earlier_fields(found.document, index)))


@get("/{code:str}/form/{number:int}")
async def form_page(request: Request, code: FromPath[str], number: FromPath[int]) -> Template:
    found = await _editing(request, code)
    index = _page_of(found, number)
    return _form_page(request, found, index, form_pages.page_form(found.document, index))


@post("/{code:str}/form/{number:int}")
async def save_page(request: Request, code: FromPath[str], number: FromPath[int]) -> Template | Redirect:
    found = await _editing(request, code)
    index = _page_of(found, number)
    form = await form_dict(request)
    saved = await services.save(code, form_pages.apply_page(found.document, index, form), current_user(request),
                                "title-vi")
    if saved.errors:
        return _form_page(request, found, index, form, 400, saved)
    return _done(request, code, gettext("Page saved in the draft."), f"/form/{number}")


@post("/{code:str}/form/{number:int}/order")
async def order_fields(request: Request, code: FromPath[str], number: FromPath[int]) -> Template | Redirect:
    found = await _editing(request, code)
    index = _page_of(found, number)
    return await _reordered(request, found, lambda doc: doc["form"][index]["fields"], f"/form/{number}",
                            lambda saved: _form_page(request, found, index, form_pages.page_form(found.document,
                                                                                                 index), 400, saved))


def _field_of(found: services.Editing, index: int, which: str) -> int | None:
    if which == "new":
        return None
    fields = found.document["form"][index]["fields"]
    if not which.isdigit() or not 1 <= int(which) <= len(fields):
        raise NotFoundException()
    return int(which) - 1


def _field_page(request: Request, found: services.Editing, index: int, at: int | None, form: Form,
                status_code: int = 200, saved: services.Saved | None = None) -> Template:
    return page("publisher/field.html", status_code, editing=found, p=found.procedure, doc=found.document,
                index=index, at=at, fp=found.document["form"][index], form=form,
                errors=saved.errors if saved else {}, hrefs=saved.hrefs if saved else {},
                type_choices=[(kind, str(form_pages.TYPE_LABELS.get(kind, kind))) for kind in form_pages.FIELD_TYPES],
                type_pairs=[(kind, kind.upper()) for kind in forms.FILE_TYPES],
                **form_pages.rule_choices(form_pages.earlier_fields(found.document, index,
                                                                    at if at is not None else 10_000)))


@get("/{code:str}/form/{number:int}/fields/{which:str}")
async def field_form(request: Request, code: FromPath[str], number: FromPath[int], which: FromPath[str]) -> Template:
    found = await _editing(request, code)
    index = _page_of(found, number)
    at = _field_of(found, index, which)
    return _field_page(request, found, index, at, form_pages.field_form(found.document, index, at))


@post("/{code:str}/form/{number:int}/fields/{which:str}")
async def save_field(request: Request, code: FromPath[str], number: FromPath[int], which: FromPath[str]
                     ) -> Template | Redirect:
    found = await _editing(request, code)
    index = _page_of(found, number)
    at = _field_of(found, index, which)
    form = await form_dict(request)
    built = form_pages.apply_field(found.document, index, at, form)
    saved = await services.save(code, built, current_user(request), "name")
    if saved.errors:
        return _field_page(request, found, index, at, form, 400, saved)
    return _done(request, code, gettext("Question saved in the draft."), f"/form/{number}")


# --- publish, history, compare, restore -------------------------------------------------------------------------

@get("/{code:str}/publish")
async def publish_form(request: Request, code: FromPath[str]) -> Template:
    found = await _editing(request, code)
    broken = await versions.drafts_broken_by(code, found.document) if found.draft else 0
    return page("publisher/publish.html", editing=found, p=found.procedure, broken=broken, errors={})


@post("/{code:str}/publish")
async def publish(request: Request, code: FromPath[str]) -> Template | Redirect:
    found = await _editing(request, code)
    if found.draft is None:
        return _done(request, code, gettext("There is no draft to publish."))
    form = await form_dict(request)
    broken = await versions.drafts_broken_by(code, found.document)
    if broken and form.get("confirm") != "yes":
        errors = {"confirm": gettext("Confirm that open drafts will have to be changed, or do not publish yet")}
        return page("publisher/publish.html", 400, editing=found, p=found.procedure, broken=broken, errors=errors)
    await versions.publish(code, found.draft.number, current_user(request))
    return _done(request, code, gettext("Version %(number)s is live.", number=found.draft.number))


@get("/{code:str}/versions")
async def history(request: Request, code: FromPath[str]) -> Template:
    found = await _editing(request, code)
    return page("publisher/history.html", editing=found, p=found.procedure, notice=_notice(request),
                found=await services.history_page(code, page_number(request.query_params.get("page"))),
                numbers=await services.numbers(code), states=services.STATE_LABELS, sources=services.SOURCE_LABELS)


@get("/{code:str}/versions/compare")
async def compare(request: Request, code: FromPath[str], old: FromQuery[int | None] = None,
                  new: FromQuery[int | None] = None) -> Template:
    found = await _editing(request, code)
    numbers = await services.numbers(code)
    new = new or (numbers[0] if numbers else 0)
    old = old or (numbers[1] if len(numbers) > 1 else new)
    changes = await services.changes(code, old, new)
    if changes is None:
        raise NotFoundException()
    shown = services.paged(changes, page_number(request.query_params.get("page")))
    return page("publisher/compare.html", editing=found, p=found.procedure, numbers=numbers, old=old, new=new,
                found=shown)


@post("/{code:str}/versions/{number:int}/restore")
async def restore(request: Request, code: FromPath[str], number: FromPath[int]) -> Redirect:
    await _editing(request, code)
    if await versions.version(code, number) is None:
        raise NotFoundException()
    restored = await versions.restore(code, number, current_user(request))
    return _done(request, code, gettext("Version %(old)s is copied into draft %(new)s. Publish it to make it live.",
                                        old=number, new=restored.number))


route_handlers = [
    Router(path=BASE, guards=[editors_only], request_max_body_size=256 * 1024, route_handlers=[
        procedure_list, new_form, create, overview, section_form, save_section, pages, add_page, order_pages,
        form_page, save_page, order_fields, field_form, save_field, publish_form, publish, history, compare,
        restore,
    ]),
]
