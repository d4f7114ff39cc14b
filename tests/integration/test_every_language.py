"""Every page in every language: its ``lang``, no English left where a translation exists, local formats."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import httpx
import pytest
from babel.dates import format_date
from babel.messages.pofile import read_po

from backend.core.i18n import gettext_in, resolve_content
from backend.core.languages import LANGUAGES, language
from backend.core.text_store import STORE
from backend.dossiers.models import Dossier
from backend.translations.texts import text_key
from tests.support import CITIZEN, ENGLISH, OFFICER, Portal, submit_dossier

pytestmark = pytest.mark.integration
BIRTH = "1.001193"
ADMIN = "0900000000"
POT = Path(__file__).resolve().parents[2] / "locales" / "messages.pot"


@cache
def checkable_messages() -> list[str]:
    """Interface messages that are whole phrases without placeholders: found verbatim if left untranslated."""
    with POT.open("rb") as handle:
        catalog = read_po(handle)
    return [m.id for m in catalog if isinstance(m.id, str) and "%" not in m.id and len(m.id.split()) >= 3]


def untranslated(page: str, code: str) -> list[str]:
    text = html.unescape(page)
    return [m for m in checkable_messages() if gettext_in(code, m) != m and m in text]


async def browser(portal: Portal, phone: str | None) -> Portal:
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=portal.app), base_url=portal.client.base_url, headers=ENGLISH
    )
    visitor = Portal(client, portal.app)
    if phone:
        await visitor.sign_in(phone)
    return visitor


async def test_every_page_in_every_language(portal: Portal):
    await portal.sign_in(CITIZEN)
    code = await submit_dossier(portal, BIRTH)
    officer = await browser(portal, OFFICER)
    await officer.post_form(f"/desk/dossiers/{code}/receive")
    pages: dict[str | None, list[str]] = {
        None: [
            "/",
            "/procedures",
            "/procedures?q=khai+sinh",
            f"/procedures/{BIRTH}",
            "/sign-in",
            "/track",
            f"/track?code={code}",
        ],
        CITIZEN: [
            "/my/dossiers",
            f"/my/dossiers/{code}",
            "/account",
            "/account/identity",
            f"/procedures/{BIRTH}/apply",
        ],
        OFFICER: ["/desk", "/desk?view=in_progress", f"/desk/dossiers/{code}"],
        ADMIN: ["/admin/translators", "/translate/km", f"/translate/km/texts/{text_key('content', 'Giới tính')}",
                "/languages"],
    }
    dossier = await Dossier.get(code=code)
    assert dossier.due_date is not None
    visitors = {phone: await browser(portal, phone) for phone in pages}
    problems: list[str] = []
    try:
        for lang in LANGUAGES:
            due = (format_date(dossier.due_date, format="dd/MM/yyyy", locale="vi") if language(lang).numeric_dates
                   else format_date(dossier.due_date, format="long", locale=language(lang).format_locale))
            for phone, paths in pages.items():
                for path in paths:
                    response = await visitors[phone].client.get(f"/{lang}{path}")
                    where = f"/{lang}{path}" + (f" as {phone}" if phone else "")
                    if response.status_code != 200:
                        problems.append(f"{where}: HTTP {response.status_code}")
                        continue
                    page = response.text
                    if f'<html lang="{lang}">' not in page:
                        problems.append(f"{where}: <html lang> is not {lang}")
                    left = untranslated(page, lang)
                    if left:
                        problems.append(f"{where}: left in English although translated: {left[:3]}")
                    if path.startswith(("/my/dossiers/", "/desk/dossiers/")) and due not in html.unescape(page):
                        problems.append(f"{where}: due date not written as {due!r}")
    finally:
        for visitor in [officer, *visitors.values()]:
            await visitor.client.aclose()
    assert not problems, "\n".join(problems)


def test_the_check_itself_finds_english_left_behind():
    page = "<p>There is a problem</p>"
    assert untranslated(page, "vi") == ["There is a problem"]
    assert untranslated(page, "en") == []
    assert untranslated(page, "mtq") == ["There is a problem"]  # Mường falls back to the Vietnamese text


@pytest.mark.parametrize("lang", ["km", "zh", "tyz", "vi", "en"])
async def test_content_falls_back_to_vietnamese_and_says_so(portal: Portal, lang):
    from backend.catalogue.models import Procedure

    procedure = await Procedure.get(code=BIRTH)
    STORE.set_live("tyz", "content", procedure.title["vi"], "")  # Tày without a title: Vietnamese, said so
    page = (await portal.get(f"/{lang}/procedures/{BIRTH}")).text
    title, expected = resolve_content(procedure.title, lang)
    assert expected == ("vi" if lang == "tyz" else lang)
    assert re.search(rf'<h1 lang="{expected}">{re.escape(title)}</h1>', page)


async def test_search_finds_by_a_khmer_title_and_a_vietnamese_title_without_accents(portal: Portal):
    from backend.catalogue.models import Procedure

    procedure = await Procedure.get(code=BIRTH)
    for lang, query in (("km", resolve_content(procedure.title, "km")[0]), ("vi", "dang ky khai sinh")):
        page = (await portal.get(f"/{lang}/procedures", params={"q": query})).text
        first = re.search(r'href="/' + lang + r'/procedures/([^"?]+)"', page)
        assert first and first.group(1) == BIRTH, (lang, query)
