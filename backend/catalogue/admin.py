"""Administrator pages: translate catalogue content, language by language."""

from __future__ import annotations

from litestar import Request, Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from backend.catalogue import editing
from backend.catalogue.models import Procedure
from backend.core.languages import LANGUAGES
from backend.core.web import admin_only, form_dict, page


async def _procedure(code: str) -> Procedure:
    procedure = await Procedure.get_or_none(code=code)
    if procedure is None:
        raise NotFoundException()
    return procedure


def _language(lang: str) -> str:
    if lang not in LANGUAGES or lang == "vi":
        raise NotFoundException()
    return lang


@get("/translations")
async def translations_overview() -> Template:
    procedures = await Procedure.all().order_by("code")
    return page(
        "catalogue/admin_translations.html",
        rows=[(p, editing.coverage(p)) for p in procedures],
        targets=[lang for lang in LANGUAGES.values() if lang.code != "vi"],
    )


@get("/translations/{code:str}/{lang:str}")
async def translation_form(request: Request, code: FromPath[str], lang: FromPath[str]) -> Template:
    procedure = await _procedure(code)
    target = LANGUAGES[_language(lang)]
    saved = request.query_params.get("saved") == "1"
    return page(
        "catalogue/admin_translate.html",
        procedure=procedure,
        target=target,
        texts=editing.editable_texts(procedure, target.code),
        errors={},
        saved=saved,
    )


@post("/translations/{code:str}/{lang:str}")
async def save_translation(request: Request, code: FromPath[str], lang: FromPath[str]) -> Template | Redirect:
    procedure = await _procedure(code)
    target = LANGUAGES[_language(lang)]
    form = await form_dict(request)
    errors = await editing.save_translations(procedure, target.code, form)
    if errors:
        texts = editing.editable_texts(procedure, target.code)
        for text in texts:  # show what was typed, not what is stored
            text.value = str(form.get(text.key, ""))
        return page(
            "catalogue/admin_translate.html",
            400,
            procedure=procedure,
            target=target,
            texts=texts,
            errors=errors,
            saved=False,
        )
    return Redirect(f"/admin/translations/{procedure.code}/{target.code}?saved=1")


admin_router = Router(
    path="/admin", route_handlers=[translations_overview, translation_form, save_translation], guards=[admin_only]
)
