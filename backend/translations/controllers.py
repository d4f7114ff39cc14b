"""Pages for translators and reviewers (``/translate``), the administrator's roles page, the public languages page."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.types import ControllerRouterHandler

from backend.accounts.models import User
from backend.accounts.web import signed_in
from backend.core.i18n import gettext
from backend.core.languages import LANGUAGES
from backend.core.text_store import STORE
from backend.core.web import form_dict, page
from backend.translations import roles, services, texts
from backend.translations.checks import glossary_terms
from backend.translations.exchange import MAX_IMPORT_BYTES, export_po, import_po
from backend.translations.models import Proposal

KINDS = ("interface", "catalogue", "forms", "pdf")


def _target(lang: str) -> str:
    if lang not in texts.TARGETS:
        raise NotFoundException()
    return lang


async def _require(user: User, lang: str, *wanted: str) -> None:
    """Refuse unless the account holds one of the ``wanted`` roles for the language."""
    if not (await services.roles_of(user)).get(_target(lang), set()) & set(wanted):
        raise PermissionDeniedException(gettext("You do not have this role for this language"))


@get("/translate", guards=[signed_in])
async def workspace(request: Request) -> Template:
    held = await services.roles_of(request.state.user)
    return page("translations/workspace.html", held=held, languages=LANGUAGES)


def _int(value: str | None, default: int = 0) -> int:
    return max(int(value), 0) if value and value.isdigit() else default


@get("/translate/{lang:str}", guards=[signed_in])
async def text_list(request: Request, lang: FromPath[str]) -> Template:
    await _require(request.state.user, lang, *services.ROLES)
    held = (await services.roles_of(request.state.user)).get(lang, set())
    query = request.query_params
    status = query.get("status", "") if query.get("status", "") in texts.STATUSES else ""
    kind = query.get("kind", "") if query.get("kind", "") in KINDS else ""
    q = (query.get("q") or "").strip()[:200]
    offset = _int(query.get("offset"))
    rows, total = await texts.texts(lang, status=status, kind=kind, q=q, offset=offset)
    notice = request.session.pop("notice", None) if request.session else None
    return page("translations/list.html", target=LANGUAGES[lang], rows=rows, total=total, status=status, kind=kind,
                q=q, offset=offset, page_size=texts.PAGE_SIZE, held=held, kinds=KINDS,
                statuses=texts.STATUSES, notice=notice)


async def _text_page(request: Request, lang: str, key: str, *, status_code: int = 200, errors: list | None = None,
                     warnings: list | None = None, typed: str | None = None, notice: str | None = None) -> Template:
    row = await texts.text_row(lang, key)
    if row is None:
        raise NotFoundException()
    held = (await services.roles_of(request.state.user)).get(lang, set())
    return page(
        "translations/text.html", status_code, target=LANGUAGES[lang], row=row, held=held,
        errors=errors or [], warnings=warnings or [], typed=row.text if typed is None else typed,
        glossary=glossary_terms(lang, row.vietnamese), proposals=await services.proposals(lang, key),
        history=await services.history(lang, key), link=texts.page_for(row.source),
        critical=texts.CRITICAL_REASONS.get(row.source.critical or "", row.source.critical),
        notice=notice or request.session.pop("notice", None),
        user=request.state.user,
    )


@get("/translate/{lang:str}/texts/{key:str}", guards=[signed_in])
async def text_page(request: Request, lang: FromPath[str], key: FromPath[str]) -> Template:
    await _require(request.state.user, lang, *services.ROLES)
    return await _text_page(request, lang, key)


@post("/translate/{lang:str}/texts/{key:str}", guards=[signed_in])
async def propose(request: Request, lang: FromPath[str], key: FromPath[str]) -> Template | Redirect:
    await _require(request.state.user, lang, "translator")
    form = await form_dict(request)
    text = str(form.get("text", ""))
    result = await services.propose(request.state.user, lang, key, text)
    if result.errors:
        return await _text_page(request, lang, key, status_code=400, errors=result.errors, warnings=result.warnings,
                                typed=text)
    request.session["notice"] = gettext("Your translation is proposed. A reviewer will approve it or send it back.")
    if result.warnings:
        request.session["notice"] += " " + " ".join(result.warnings)
    return Redirect(f"/translate/{lang}/texts/{key}")


async def _proposal(lang: str, proposal_id: int) -> Proposal:
    proposal = await services.proposal(lang, proposal_id)
    if proposal is None:
        raise NotFoundException()
    return proposal


@post("/translate/{lang:str}/proposals/{proposal_id:int}/approve", guards=[signed_in])
async def approve(request: Request, lang: FromPath[str], proposal_id: FromPath[int]) -> Template | Redirect:
    await _require(request.state.user, lang, "reviewer")
    proposal = await _proposal(lang, proposal_id)
    error = await services.approve(request.state.user, proposal)
    if error:
        return await _text_page(request, lang, proposal.key, status_code=409, errors=[error])
    request.session["notice"] = (gettext("Approved: pages show this translation now.") if proposal.state == "approved"
                                 else gettext("Approved once. This critical text needs a second reviewer."))
    return Redirect(f"/translate/{lang}/texts/{proposal.key}")


@post("/translate/{lang:str}/proposals/{proposal_id:int}/return", guards=[signed_in])
async def send_back(request: Request, lang: FromPath[str], proposal_id: FromPath[int]) -> Template | Redirect:
    await _require(request.state.user, lang, "reviewer")
    proposal = await _proposal(lang, proposal_id)
    form = await form_dict(request)
    error = await services.send_back(request.state.user, proposal, str(form.get("comment", "")))
    if error:
        return await _text_page(request, lang, proposal.key, status_code=400, errors=[error])
    request.session["notice"] = gettext("Sent back to the translator with your comment.")
    return Redirect(f"/translate/{lang}/texts/{proposal.key}")


@get("/translate/{lang:str}/export/{domain:str}", guards=[signed_in])
async def export(request: Request, lang: FromPath[str], domain: FromPath[str]) -> Response:
    await _require(request.state.user, lang, *services.ROLES)
    name = {"messages.po": "messages", "content.po": "content"}.get(domain)
    if name is None or lang == "en":
        raise NotFoundException()
    return Response(await export_po(lang, name), media_type="text/x-gettext-translation; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{lang}-{domain}"'})


@post("/translate/{lang:str}/import", guards=[signed_in])
async def upload(request: Request, lang: FromPath[str]) -> Template | Redirect:
    await _require(request.state.user, lang, "translator")
    file = (await request.form()).get("file")
    content = await file.read() if isinstance(file, UploadFile) else b""
    if not content or len(content) > MAX_IMPORT_BYTES:
        errors = [gettext("Choose a .po file of at most 2 MB")]
    else:
        proposed, problems = await import_po(request.state.user, lang, content)
        if problems == [("", "")]:
            errors = [gettext("This file is not a .po catalogue the portal can read.")]
        else:
            request.session["notice"] = gettext("%(n)s translations proposed from the file.", n=proposed) + "".join(
                f" {source[:60]}: {error}" for source, error in problems[:10])
            return Redirect(f"/translate/{lang}?status=proposed")
    rows, total = await texts.texts(lang, offset=0)
    held = (await services.roles_of(request.state.user)).get(lang, set())
    return page("translations/list.html", 400, target=LANGUAGES[lang], rows=rows, total=total, status="", kind="",
                q="", offset=0, page_size=texts.PAGE_SIZE, held=held, kinds=KINDS, statuses=texts.STATUSES,
                notice=None, import_errors=errors)


@get("/languages")
async def languages_page() -> Template:
    """Public: each language's coverage and review state, and an invitation to help."""
    return page("translations/languages.html", coverage=STORE.coverage_table(), languages=LANGUAGES, kinds=KINDS)


route_handlers: list[ControllerRouterHandler] = [
    workspace, text_list, text_page, propose, approve, send_back, export, upload, languages_page, *roles.route_handlers,
]
