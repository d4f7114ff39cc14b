"""Languages: the first segment of every page's path, negotiated, remembered, with per-message fallback."""

from __future__ import annotations

import html
import re

import pytest

from backend.catalogue.models import Procedure
from backend.core.i18n import resolve_content
from backend.core.languages import LANGUAGES
from backend.core.text_store import STORE
from tests.support import CITIZEN, Portal

pytestmark = pytest.mark.integration
BIRTH = "1.001193"


async def bare(portal: Portal, url: str, **headers):
    """A request exactly as given: no language prefix added, no default Accept-Language."""
    return await portal.client.get(url, headers={"accept-language": "", **headers})


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("km-KH,km;q=0.9,vi;q=0.8", "km"), ("fr-FR,zh-CN;q=0.7", "zh"), ("de", "vi"), ("", "vi"), ("en;q=0.1,vi", "vi")],
)
async def test_unprefixed_pages_redirect_to_the_negotiated_language(portal: Portal, accept, expected):
    response = await bare(portal, "/procedures?q=khai+sinh", **{"accept-language": accept})
    assert response.status_code == 302
    assert response.headers["location"] == f"/{expected}/procedures?q=khai+sinh"
    assert "Accept-Language" in response.headers["vary"]
    home = await bare(portal, "/", **{"accept-language": accept})
    assert home.headers["location"] == f"/{expected}/"


async def test_the_chosen_language_is_remembered_for_the_next_visit(portal: Portal):
    page = await bare(portal, "/km/procedures")
    assert page.status_code == 200
    assert portal.client.cookies.get("portal_lang") == "km"
    again = await bare(portal, "/track", **{"accept-language": "zh"})
    assert again.headers["location"] == "/km/track"


async def test_api_static_and_sandbox_paths_have_no_language(portal: Portal):
    assert (await bare(portal, "/api/v1/procedures")).status_code == 200
    assert (await bare(portal, "/healthz")).status_code == 200
    assert (await bare(portal, "/static/css/portal.css")).status_code == 200


async def test_every_page_names_its_language_and_offers_every_other(portal: Portal):
    page = (await portal.get("/km/procedures")).text
    assert '<html lang="km">' in page
    for code, language in LANGUAGES.items():
        link = f'href="/{code}/procedures" lang="{code}" hreflang="{code}"'
        assert link in page, code
        assert html.escape(language.endonym) in page or language.endonym in page
    assert 'href="/km/procedures" lang="km" hreflang="km" aria-current="true"' in page
    assert 'href="/km/track"' in page  # the page's own links keep its language


async def test_redirects_keep_the_language(portal: Portal):
    portal.lang = "zh"
    response = await portal.post_form("/sign-in", {"phone": CITIZEN})
    assert response.headers["location"] == "/zh/sign-in/code"
    response = await portal.get("/my/dossiers")
    assert response.headers["location"] == "/zh/sign-in?next=/my/dossiers"


async def test_drafts_are_announced_and_reviewed_languages_are_not(portal: Portal):
    km = (await portal.get("/km/")).text
    assert 'class="draft-notice"' in km and "This translation is a draft" not in km  # it is in Khmer (a draft)
    assert 'aria-label=' in km.split('class="draft-notice"')[1][:200]  # a landmark, not loose text
    for code in ("vi", "en"):
        page = (await portal.get(f"/{code}/")).text
        assert "This translation is a draft" not in page


async def test_catalogue_content_in_the_language_with_fallback_and_lang(portal: Portal):
    procedure = await Procedure.get(code=BIRTH)
    khmer_title = resolve_content(procedure.title, "km")[0]
    assert khmer_title != procedure.title["vi"]
    khmer = (await portal.get(f"/km/procedures/{BIRTH}")).text
    assert f'<h1 lang="km">{khmer_title}</h1>' in khmer
    STORE.set_live("tyz", "content", procedure.title["vi"], "")  # as if Tày had no title yet
    tay = (await portal.get(f"/tyz/procedures/{BIRTH}")).text
    assert '<h1 lang="vi">' in tay and procedure.title["vi"] in tay  # Vietnamese, marked so


async def test_search_works_in_every_language(portal: Portal):
    procedure = await Procedure.get(code=BIRTH)
    for code in ("km", "zh", "vi", "en"):
        title = resolve_content(procedure.title, code)[0]
        word = title[1:4] if code == "zh" else title.split()[0]
        page = (await portal.get(f"/{code}/procedures", params={"q": word})).text
        assert f"/{code}/procedures/{BIRTH}" in page, (code, word)


async def test_dates_and_money_use_the_language_or_vietnamese_conventions(portal: Portal):
    tay = (await portal.get("/tyz/procedures/1.001456")).text  # passport: a fee in VND
    assert re.search(r"\d{1,3}(\.\d{3})+\s₫", tay)
