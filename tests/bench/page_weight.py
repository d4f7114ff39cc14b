"""Bytes per page (issue 15, item 9): what a first visit transfers, compressed, and what a repeat visit transfers.

A first visit fetches the page and everything it references as a browser does on load: stylesheets, scripts and
the modules they import statically, preloaded fonts, the icon, the manifest and the manifest icon Chromium fetches
to judge installability, each with ``Accept-Encoding: br``;
the bytes counted are the compressed bodies plus the response headers, as DevTools' "transferred" counts them.
A repeat visit fetches the page again; every asset that is ``immutable`` (a hashed ``?v=`` URL) costs 0 bytes,
any other would be asked again and is counted. Fonts the stylesheet declares but the page does not preload are
loaded only for the characters of their ``unicode-range`` that the page shows: none on a Vietnamese page.
Every language of the portal is weighed (its script font is the difference); an asset already fetched for an
earlier page is counted again from memory, not fetched again.

    .venv/bin/python -m tests.bench.page_weight [base URL]   # the served portal: make run, then this
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from backend.core.languages import CODES

BUDGET = 50 * 1024
"""The first visit to a citizen page: at most 50 KB transferred."""
PAGES_IN_ANY_LANGUAGE = (("home", "/"), ("search", "/procedures?q=dang+ky+khai+sinh"),
                         ("procedure page", "/procedures/1.001193"))
"""Paths after the language (``/km`` + path); the form page is a signed-in citizen's draft."""
PAGES = tuple((label, f"/vi{path}") for label, path in PAGES_IN_ANY_LANGUAGE)
_TAG = re.compile(r"<(link|script|img)\b([^>]*)>", re.I)
_ATTR = re.compile(r'([a-z-]+)="([^"]*)"', re.I)
_IMPORT = re.compile(r'''(?:^|[;\s])import\s*(?:[\w*{}\s,]+from\s*)?["']([^"']+)["']''', re.M)
_FETCHED_LINKS = {"stylesheet", "preload", "modulepreload", "icon", "manifest"}


@dataclass
class Weight:
    path: str
    html: int = 0
    assets: dict[str, int] = field(default_factory=dict)
    not_immutable: dict[str, int] = field(default_factory=dict)

    @property
    def fonts(self) -> int:
        return sum(size for url, size in self.assets.items() if ".woff2" in url)

    @property
    def first(self) -> int:
        return self.html + sum(self.assets.values())

    @property
    def repeat_assets(self) -> int:
        return sum(self.not_immutable.values())


def references(html: str) -> list[str]:
    """What the browser fetches for this HTML on load (not links to other pages, not lazy modules)."""
    found, icons = [], []
    for tag, attributes in _TAG.findall(html):
        attrs = {name.lower(): value for name, value in _ATTR.findall(attributes)}
        rels = set(attrs.get("rel", "").lower().split())
        if tag.lower() == "link" and rels == {"icon"} and "href" in attrs:
            icons.append(attrs)
        elif tag.lower() == "link" and rels & _FETCHED_LINKS and "href" in attrs:
            found.append(attrs["href"])
        elif tag.lower() in ("script", "img") and "src" in attrs:
            found.append(attrs["src"])
    # Of several icons a browser fetches one: the scalable one where it is declared, else the first.
    scalable = [icon for icon in icons if icon.get("type") == "image/svg+xml" or icon.get("sizes") == "any"]
    found.extend(icon["href"] for icon in (scalable or icons)[:1])
    return list(dict.fromkeys(found))


def imports(script: str) -> list[str]:
    """Static ``import`` statements of an ES module (``import()`` loads later, when needed)."""
    return _IMPORT.findall(script)


def manifest_icon(manifest: str) -> list[str]:
    """The icon Chromium fetches with the manifest to judge installability: the smallest "any" icon of at least
    144 px (its minimum), else the largest."""
    icons = [(int(icon.get("sizes", "0x0").split("x")[0] or 0), icon["src"]) for icon in json.loads(manifest)
             .get("icons", []) if "any" in icon.get("purpose", "any").split() and icon.get("src")]
    large = sorted(icon for icon in icons if icon[0] >= 144)
    return [large[0][1]] if large else [max(icons)[1]] if icons else []


def _loads(url: str, content: bytes) -> list[str]:
    """What an asset makes the browser fetch in turn: a module's static imports, the manifest's icon."""
    path = url.split("?")[0]
    if path.endswith(".mjs"):
        return imports(content.decode())
    if path.endswith(".webmanifest"):
        return manifest_icon(content.decode())
    return []


async def _fetch(client: httpx.AsyncClient, url: str) -> tuple[int, httpx.Headers, bytes, int]:
    """(status, headers, decoded body, bytes on the wire: compressed body and headers)."""
    async with client.stream("GET", url, headers={"accept-encoding": "br"}) as response:
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
        headers = sum(len(k) + len(v) + 4 for k, v in response.headers.raw) + 17
        body = await _decoded(response, raw)
        return response.status_code, response.headers, body, len(raw) + headers


async def _decoded(response: httpx.Response, raw: bytes) -> bytes:
    if response.headers.get("content-encoding") == "br":
        import brotli

        return brotli.decompress(raw)
    if response.headers.get("content-encoding") == "gzip":
        import gzip

        return gzip.decompress(raw)
    return raw


Fetched = tuple[int, bool, list[str]]
"""An asset: bytes transferred on a first visit, immutable or not, what it loads in turn."""


async def weigh(client: httpx.AsyncClient, path: str, known: dict[str, Fetched] | None = None) -> Weight:
    """A first visit to ``path`` with an empty cache, and what a repeat visit would fetch again. ``known``: assets
    fetched for earlier pages (the same URL is the same file), filled as this page fetches new ones."""
    known = {} if known is None else known
    status, _, body, size = await _fetch(client, path)
    if status != 200:
        raise RuntimeError(f"GET {path}: HTTP {status}")
    weight = Weight(path, html=size)
    queue = [urljoin(path, ref) for ref in references(body.decode())]
    while queue:
        url = queue.pop(0)
        if url in weight.assets or urlsplit(url).netloc:
            continue
        if url not in known:
            status, headers, content, size = await _fetch(client, url)
            known[url] = (size if status == 200 else 0, "immutable" in headers.get("cache-control", ""),
                          _loads(url, content) if status == 200 else [])
        size, immutable, imported = known[url]
        weight.assets[url] = size
        if not immutable:
            weight.not_immutable[url] = size
        queue += [urljoin(url, ref) for ref in imported]
    return weight


def language_pages(code: str, form: str | None = None) -> list[tuple[str, str]]:
    """Home, search and a procedure page in ``code``, and the form page at ``form`` (any language's path)."""
    pages = [(label, f"/{code}{path}") for label, path in PAGES_IN_ANY_LANGUAGE]
    if form:
        pages.append(("form page", f"/{code}/" + form.lstrip("/").split("/", 1)[1]))
    return pages


async def measure(base_url: str, codes: tuple[str, ...] = CODES, cookies: dict[str, str] | None = None,
                  form: str | None = None) -> dict[str, list[tuple[str, Weight]]]:
    """Per language, each page as a first visitor (the form page with ``cookies``, a signed-in citizen's)."""
    out: dict[str, list[tuple[str, Weight]]] = {}
    known: dict[str, Fetched] = {}
    async with httpx.AsyncClient(base_url=base_url, timeout=30, cookies=cookies or {}) as signed_in, \
            httpx.AsyncClient(base_url=base_url, timeout=30) as anonymous:
        for code in codes:
            out[code] = [(label, await weigh(signed_in if label == "form page" else anonymous, path, known))
                         for label, path in language_pages(code, form)]
    return out


HEADERS = ["language", *(label for label, _ in PAGES_IN_ANY_LANGUAGE), "form page", "<= 50 KB", "of which fonts",
           "repeat: page + assets asked again"]


def rows(weights: dict[str, list[tuple[str, Weight]]]) -> list[list[str]]:
    """One row per language: the first visit's bytes per page, then what a repeat visit asks again."""
    out = []
    for code, pages in weights.items():
        again = {urlsplit(url).path for _, w in pages for url in w.not_immutable}
        out.append([code, *(f"{w.first:,}" for _, w in pages),
                    "yes" if all(w.first <= BUDGET for _, w in pages) else "NO",
                    f"{max(w.fonts for _, w in pages):,}", "page + " + (", ".join(sorted(again)) or "nothing")])
    return out


def form_page(base_url: str) -> tuple[dict[str, str], str]:
    """A signed-in citizen's cookies and the first form page of a birth registration draft they start."""
    from tests.bench.seed import CITIZEN, Browser, sign_in

    browser = Browser(base_url)
    try:
        sign_in(browser, CITIZEN)
        location = browser.post("/procedures/1.001193/apply", {"agency": "P01-W-HOANKIEM"}).headers["location"]
        while not re.search(r"/form/[^/]+$", urlsplit(location).path):
            location = browser.client.get(location).headers["location"]
        return dict(browser.client.cookies.items()), urlsplit(location).path
    finally:
        browser.close()


def page_weight_figures(base_url: str) -> list[list[str]]:
    """Rows for the bench's table: home, search, a procedure page and a form page (signed in), every language."""
    cookies, form = form_page(base_url)
    return rows(asyncio.run(measure(base_url, cookies=cookies, form=form)))


def served_figures(work: Path) -> list[list[str]]:
    """The same rows from a portal served as ``make run`` serves it, on its own demo data in ``work``."""
    from tests.browser.served_portal import start_portal

    with start_portal(work) as portal:
        return page_weight_figures(portal.base_url)


if __name__ == "__main__":
    from tests.bench.run import print_table

    print_table("Page weight (bytes transferred, compressed)", HEADERS,
                page_weight_figures(sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8000"))
