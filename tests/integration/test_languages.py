"""Languages: the first segment of every page's path, negotiated, remembered, with per-message fallback."""

from __future__ import annotations

import html
import re

import pytest

from backend.catalogue.models import Procedure
from backend.core.i18n import gettext_in
from backend.core.languages import LANGUAGES
from tests.support import CITIZEN, Portal

pytestmark = pytest.mark.integration
BIRTH = "1.001193"
ADMIN = "0900000000"


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


async def test_messages_fall_back_one_by_one():
    # H'Mông has a draft for "Sign in"; Mường has none yet, so it reads Vietnamese; English is the source.
    assert gettext_in("hmn", "Sign in") not in ("Sign in", gettext_in("vi", "Sign in"))
    assert gettext_in("mtq", "Sign in") == gettext_in("vi", "Sign in") == "Đăng nhập"
    assert gettext_in("en", "Sign in") == "Sign in"


async def test_drafts_are_announced_and_reviewed_languages_are_not(portal: Portal):
    notice = "This translation is a draft"
    vi_notice = gettext_in(
        "vi",
        "This translation is a draft for review by native speakers. Parts not yet translated are shown in Vietnamese.",
    )
    km = (await portal.get("/km/")).text
    assert 'class="draft-notice"' in km and vi_notice in km
    for code in ("vi", "en"):
        page = (await portal.get(f"/{code}/")).text
        assert 'class="draft-notice"' not in page and notice not in page


async def test_catalogue_content_in_the_language_with_fallback_and_lang(portal: Portal):
    procedure = await Procedure.get(code=BIRTH)
    khmer = (await portal.get(f"/km/procedures/{BIRTH}")).text
    assert f'<h1 lang="km">{procedure.title["km"]}</h1>' in khmer
    tay = (await portal.get(f"/tyz/procedures/{BIRTH}")).text
    assert f'<h1 lang="vi">{procedure.title["vi"]}</h1>' in tay  # no Tày title yet: Vietnamese, marked so


async def test_search_works_in_every_language(portal: Portal):
    procedure = await Procedure.get(code=BIRTH)
    for code in ("km", "zh", "vi", "en"):
        title = procedure.title[code]
        word = title[1:4] if code == "zh" else title.split()[0]
        page = (await portal.get(f"/{code}/procedures", params={"q": word})).text
        assert f"/{code}/procedures/{BIRTH}" in page, (code, word)


async def test_dates_and_money_use_the_language_or_vietnamese_conventions(portal: Portal):
    tay = (await portal.get("/tyz/procedures/1.001456")).text  # passport: a fee in VND
    assert re.search(r"\d{1,3}(\.\d{3})+\s₫", tay)


async def test_an_administrator_translates_catalogue_content(portal: Portal):
    await portal.sign_in(CITIZEN)
    assert (await portal.get("/admin/translations")).status_code == 403
    await portal.sign_in(ADMIN)
    overview = await portal.get("/admin/translations")
    assert overview.status_code == 200 and f"/en/admin/translations/{BIRTH}/tyz" in overview.text

    form = (await portal.get(f"/admin/translations/{BIRTH}/tyz")).text
    assert 'name="title" lang="tyz"' in form
    too_long = await portal.post_form(f"/admin/translations/{BIRTH}/tyz", {"title": "x" * 4001, "summary": "Kept"})
    assert too_long.status_code == 400
    assert 'href="#title"' in too_long.text and ">Kept</textarea>" in too_long.text

    saved = await portal.post_form(f"/admin/translations/{BIRTH}/tyz", {"title": "Tăng ký khai sinh Tày"})
    assert saved.status_code in (302, 303)
    page = (await portal.get(f"/tyz/procedures/{BIRTH}")).text
    assert '<h1 lang="tyz">Tăng ký khai sinh Tày</h1>' in page
    results = (await portal.get("/tyz/procedures", params={"q": "tang ky khai sinh tay"})).text
    assert f"/tyz/procedures/{BIRTH}" in results
    # Emptying a box removes the translation: Vietnamese shows again.
    await portal.post_form(f"/admin/translations/{BIRTH}/tyz", {"title": ""})
    assert "tyz" not in (await Procedure.get(code=BIRTH)).title
