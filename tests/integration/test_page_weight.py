"""Page weight (issue 15, item 9): a first visit to a citizen page transfers at most 50 KB, compressed, with
everything it loads, in every language of the portal (each script's font included); on a repeat visit every asset
is cached for good (hashed and immutable), fonts included."""

from __future__ import annotations

import re

import pytest

from backend.core.languages import CODES as LANGUAGES
from tests.bench.page_weight import (
    BUDGET,
    PAGES_IN_ANY_LANGUAGE,
    imports,
    language_pages,
    manifest_icon,
    references,
    weigh,
)
from tests.support import CITIZEN, Portal

pytestmark = pytest.mark.integration


async def form_page(portal: Portal) -> str:
    await portal.sign_in(CITIZEN)
    response = await portal.post_form("/procedures/1.001193/apply", {"agency": "P01-W-HOANKIEM"})
    assert response.status_code in (302, 303), response.text
    path = response.headers["location"]
    assert "/form/" in path, path
    return path


async def test_the_first_visit_of_a_citizen_page_is_at_most_50_kb_in_every_language(portal: Portal):
    portal.client.cookies.clear()
    known: dict = {}  # an asset is fetched once for all the pages that load it: 48 pages stay fast
    weights = [await weigh(portal.client, path, known) for code in LANGUAGES for _, path in language_pages(code)]
    form = await form_page(portal)
    weights += [await weigh(portal.client, language_pages(code, form)[-1][1], known) for code in LANGUAGES]
    assert len(weights) == len(LANGUAGES) * (len(PAGES_IN_ANY_LANGUAGE) + 1)
    for weight in weights:
        assert weight.first <= BUDGET, (weight.path, weight.first, weight.assets)
        assert any(url.endswith(".css") or ".css?" in url for url in weight.assets)  # everything was counted
        assert any(".mjs?" in url for url in weight.assets)
        # A repeat visit asks for no asset again: each is hashed and immutable. The manifest is no file but the
        # app's description in the page's language (no-cache: an install sees its changes; 304 when unchanged).
        asked_again = {url.split("?")[0] for url in weight.not_immutable}
        assert asked_again <= {"/manifest.webmanifest"}, (weight.path, weight.not_immutable)
    fonts = {code: {url for w in weights if w.path.startswith(f"/{code}/") for url in w.assets if ".woff2" in url}
             for code in LANGUAGES}
    assert [url for url in fonts["km"] if "khmer" in url] and [url for url in fonts["blt"] if "tai-viet" in url]
    assert not fonts["vi"] and not fonts["zh"]


async def test_no_font_is_preloaded_where_the_page_does_not_need_it(portal: Portal):
    portal.client.cookies.clear()
    vietnamese = (await portal.get("/vi/")).text
    assert not [ref for ref in references(vietnamese) if ".woff2" in ref]
    khmer = (await portal.get("/km/")).text
    assert [ref for ref in references(khmer) if "khmer" in ref]


async def test_every_font_the_stylesheet_names_is_served_immutable_at_the_url_the_page_preloads(portal: Portal):
    portal.client.cookies.clear()
    css_url = next(ref for ref in references((await portal.get("/km/")).text) if ".css" in ref)
    css = (await portal.get(css_url)).text
    fonts = {"/static/fonts/" + name for name in re.findall(r"url\(\.\./fonts/([^)]+)\)", css)}
    assert len(fonts) >= 4 and all("?v=" in url for url in fonts), fonts
    for url in fonts:
        response = await portal.get(url)
        assert response.status_code == 200 and "immutable" in response.headers["cache-control"], url
    for code in ("km", "blt", "cjm"):  # a preload the stylesheet's URL does not match would be fetched twice
        preloaded = {ref for ref in references((await portal.get(f"/{code}/")).text) if ".woff2" in ref}
        assert preloaded and preloaded <= fonts, (code, preloaded)


def test_the_counting_finds_what_a_browser_loads():
    html = ('<link rel="stylesheet" href="/a.css?v=1"><link rel="preload" href="/f.woff2" as="font">'
            '<link rel="alternate" href="/x"><script type="module" src="/m.mjs"></script><a href="/page">')
    assert references(html) == ["/a.css?v=1", "/f.woff2", "/m.mjs"]
    icons = ('<link rel="icon" href="/i.ico" sizes="48x48">'
             '<link rel="icon" href="/i.svg" sizes="any" type="image/svg+xml">')
    assert references(icons) == ["/i.svg"] and references(icons[:icons.index("><") + 1]) == ["/i.ico"]
    assert imports('import { a } from "./b.mjs";\nimport "./c.mjs";\nconst d = import("./lazy.mjs");') == [
        "./b.mjs", "./c.mjs"]
    manifest = ('{"icons": [{"src": "/512.png", "sizes": "512x512"}, {"src": "/m.png", "sizes": "192x192", '
                '"purpose": "maskable"}, {"src": "/192.png", "sizes": "192x192", "purpose": "any"}]}')
    assert manifest_icon(manifest) == ["/192.png"]  # Chromium's pick for installability
