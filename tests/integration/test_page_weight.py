"""Page weight (issue 15, item 9): a first visit to a citizen page transfers at most 50 KB, compressed, with
everything it loads; on a repeat visit every asset is cached for good (hashed and immutable)."""

from __future__ import annotations

import pytest

from tests.bench.page_weight import BUDGET, PAGES, imports, references, weigh
from tests.support import CITIZEN, Portal

pytestmark = pytest.mark.integration


async def form_page(portal: Portal) -> str:
    await portal.sign_in(CITIZEN)
    response = await portal.post_form("/procedures/1.001193/apply")
    assert response.status_code in (302, 303), response.text
    path = response.headers["location"]
    assert "/form/" in path, path
    return path.replace("/en/", "/vi/", 1)


async def test_the_first_visit_of_a_citizen_page_is_at_most_50_kb(portal: Portal):
    portal.client.cookies.clear()
    weights = [await weigh(portal.client, path) for _, path in PAGES]
    weights.append(await weigh(portal.client, await form_page(portal)))
    for weight in weights:
        assert weight.first <= BUDGET, (weight.path, weight.first, weight.assets)
        assert any(url.endswith(".css") or ".css?" in url for url in weight.assets)  # everything was counted
        assert any(".mjs?" in url for url in weight.assets)
        # A repeat visit asks for no asset again: each is hashed and immutable. The manifest is no file but the
        # app's description in the page's language (no-cache: an install sees its changes; 304 when unchanged).
        asked_again = {url.split("?")[0] for url in weight.not_immutable}
        assert asked_again <= {"/manifest.webmanifest"}, (weight.path, weight.not_immutable)


async def test_no_font_is_preloaded_where_the_page_does_not_need_it(portal: Portal):
    portal.client.cookies.clear()
    vietnamese = (await portal.get("/vi/")).text
    assert not [ref for ref in references(vietnamese) if ".woff2" in ref]
    khmer = (await portal.get("/km/")).text
    assert [ref for ref in references(khmer) if "khmer" in ref]


def test_the_counting_finds_what_a_browser_loads():
    html = ('<link rel="stylesheet" href="/a.css?v=1"><link rel="preload" href="/f.woff2" as="font">'
            '<link rel="alternate" href="/x"><script type="module" src="/m.mjs"></script><a href="/page">')
    assert references(html) == ["/a.css?v=1", "/f.woff2", "/m.mjs"]
    assert imports('import { a } from "./b.mjs";\nimport "./c.mjs";\nconst d = import("./lazy.mjs");') == [
        "./b.mjs", "./c.mjs"]
