"""The catalogue's compact index for searching offline, and the texts the service worker builds pages from
(issue 15, item 8; issue 22, items 1, 2)."""

from __future__ import annotations

import json
import shutil
import subprocess

import brotli
import pytest

from backend.catalogue.search import document_tokens
from backend.pwa.controllers import service_worker_source
from backend.pwa.shell import STATIC_DIR
from tests.support import Portal

pytestmark = pytest.mark.integration


async def index_of(portal: Portal, lang: str) -> dict:
    portal.client.cookies.clear()
    response = await portal.client.get(f"/{lang}/catalogue-index.json", headers={"accept-encoding": "br"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-encoding"] == "br"  # the portal's compression
    cookies = response.headers.get_list("set-cookie")
    assert not [c for c in cookies if c.startswith(("portal_session", "portal_csrf"))], cookies
    assert "public" in response.headers["cache-control"]
    return response.json()


async def test_the_index_holds_every_published_procedure_with_its_words_folded(portal: Portal):
    index = await index_of(portal, "vi")
    assert index["lang"] == "vi" and index["generated"]
    items = {code: (title, words.split()) for code, title, words in index["items"]}
    total = (await portal.client.get("/api/v1/procedures?limit=1")).json()["total"]
    pages = [(await portal.client.get(f"/api/v1/procedures?limit=100&offset={start}")).json()
             for start in range(0, total, 100)]
    assert set(items) == {p["code"] for page in pages for p in page["items"]}
    title, words = items["1.001193"]
    assert title == "Đăng ký khai sinh"
    assert {"dang", "ky", "khai", "sinh", "birth", "registration"} <= set(words)  # Vietnamese folded, English
    # The same folding as the database's search (backend/catalogue/search.py).
    assert set(document_tokens("Đăng ký khai sinh")) <= set(words)


async def test_the_index_in_khmer_and_chinese_has_the_title_and_its_pairs(portal: Portal):
    km = {code: (title, words.split()) for code, title, words in (await index_of(portal, "km"))["items"]}
    title, words = km["1.001193"]
    assert any("\u1780" <= ch <= "\u17ff" for ch in title)
    assert set(document_tokens(title)) <= set(words) and "dang" in words  # Vietnamese without accents too
    zh = {code: (title, words.split()) for code, title, words in (await index_of(portal, "zh"))["items"]}
    assert all(len(w) <= 2 for w in document_tokens(zh["1.001193"][0]))


async def test_the_index_is_small(portal: Portal):
    portal.client.cookies.clear()
    response = await portal.client.get("/vi/catalogue-index.json", headers={"accept-encoding": "br"})
    # About 50 bytes a procedure with brotli: 104 procedures are 5.5 KB on the wire, well under a page's weight.
    items = len(response.json()["items"])
    assert len(brotli.compress(response.content)) < max(4_000, 70 * items)


async def test_the_offline_page_carries_the_texts_of_an_offline_search(portal: Portal):
    page = (await portal.get("/en/offline")).text
    assert "<!--offline-content-->" in page and "<!--/offline-content-->" in page
    assert 'data-i18n-saved="You are offline. These results come from the list of procedures saved on this phone' \
           ' on {time}."' in page
    assert 'name="q"' in page  # a search form, answered offline by the service worker
    for name in ("title", "not-kept", "none", "no-index"):
        assert f"data-i18n-{name}=" in page
    home = (await portal.get("/en/")).text
    assert "data-i18n-saved-copy=" in home and "{time}" in home
    # Dates as the portal writes them: a language CLDR does not know in figures, the Vietnamese way.
    assert 'data-i18n-dates="km"' in (await portal.get("/km/offline")).text
    assert 'data-i18n-dates="vi numeric"' in (await portal.get("/jra/offline")).text


def test_the_service_worker_loads_the_search_and_is_valid_javascript(tmp_path):
    source = service_worker_source()
    assert "/static/js/catalogue-search.js?v=" in source and "__SEARCH__" not in source
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    (tmp_path / "sw.js").write_text(source)
    subprocess.run([node, "--check", str(tmp_path / "sw.js")], check=True)


def test_the_scripts_search_folds_as_the_server_does(tmp_path):
    """catalogue-search.js, run by node over the demo index, finds what the database search puts first."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    def item(code: str, title: str, more: str = "") -> list[str]:
        return [code, title, " ".join(document_tokens(f"{title} {more}"))]

    index = {"items": [item("1.001193", "Đăng ký khai sinh", "Birth registration"),
                       item("1.000894", "Đăng ký kết hôn", "Marriage registration"),
                       item("km", "ការចុះបញ្ជីកំណើត"), item("zh", "出生登记")]}
    script = (STATIC_DIR / "js/catalogue-search.js").read_text()
    probe = script + f"""
const index = {json.dumps(index, ensure_ascii=False)};
const codes = (q) => self.portalSearch.search(index, q).map((r) => r.code);
console.log(JSON.stringify([codes("dang ky khai sinh"), codes("ĐĂNG KÝ KẾT"), codes("kết hôn"), codes("birth"),
  codes("កំណើត"), codes("登记"), codes("出"), codes("nothing here")]));
"""
    (tmp_path / "probe.js").write_text("const self = globalThis;\n" + probe)
    out = subprocess.run([node, str(tmp_path / "probe.js")], check=True, capture_output=True, text=True).stdout
    # Three words: one may be missing (as on the server), ranked below the full match.
    assert json.loads(out) == [["1.001193"], ["1.000894", "1.001193"], ["1.000894"], ["1.001193"], ["km"], ["zh"],
                               ["zh"], []]
