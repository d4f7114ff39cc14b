"""Bytes per page (issue 15, item 9): what a first visit transfers, compressed, and what a repeat visit transfers.

A first visit fetches the page and everything it references as a browser does on load: stylesheets, scripts and
the modules they import statically, preloaded fonts, the icon and the manifest, each with ``Accept-Encoding: br``;
the bytes counted are the compressed bodies plus the response headers, as DevTools' "transferred" counts them.
A repeat visit fetches the page again; every asset that is ``immutable`` (a hashed ``?v=`` URL) costs 0 bytes,
any other would be asked again and is counted. Fonts the stylesheet declares but the page does not preload are
loaded only for the characters of their ``unicode-range`` that the page shows: none on a Vietnamese page.

    .venv/bin/python -m tests.bench.page_weight [base URL]   # the served portal: make run, then this
"""

from __future__ import annotations

import asyncio
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

BUDGET = 50 * 1024
"""The first visit to a citizen page: at most 50 KB transferred."""
PAGES = (("home", "/vi/"), ("search", "/vi/procedures?q=dang+ky+khai+sinh"),
         ("procedure page", "/vi/procedures/1.001193"))
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
    def first(self) -> int:
        return self.html + sum(self.assets.values())

    @property
    def repeat_assets(self) -> int:
        return sum(self.not_immutable.values())


def references(html: str) -> list[str]:
    """What the browser fetches for this HTML on load (not links to other pages, not lazy modules)."""
    found = []
    for tag, attributes in _TAG.findall(html):
        attrs = {name.lower(): value for name, value in _ATTR.findall(attributes)}
        if tag.lower() == "link" and set(attrs.get("rel", "").lower().split()) & _FETCHED_LINKS and "href" in attrs:
            found.append(attrs["href"])
        elif tag.lower() in ("script", "img") and "src" in attrs:
            found.append(attrs["src"])
    return list(dict.fromkeys(found))


def imports(script: str) -> list[str]:
    """Static ``import`` statements of an ES module (``import()`` loads later, when needed)."""
    return _IMPORT.findall(script)


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


async def weigh(client: httpx.AsyncClient, path: str) -> Weight:
    """A first visit to ``path`` with an empty cache, and what a repeat visit would fetch again."""
    status, _, body, size = await _fetch(client, path)
    if status != 200:
        raise RuntimeError(f"GET {path}: HTTP {status}")
    weight = Weight(path, html=size)
    queue = [urljoin(path, ref) for ref in references(body.decode())]
    while queue:
        url = queue.pop(0)
        if url in weight.assets or urlsplit(url).netloc:
            continue
        status, headers, content, size = await _fetch(client, url)
        weight.assets[url] = size if status == 200 else 0
        if "immutable" not in headers.get("cache-control", ""):
            weight.not_immutable[url] = size
        if url.split("?")[0].endswith(".mjs"):
            queue += [urljoin(url, ref) for ref in imports(content.decode())]
    return weight


def rows(weights: list[tuple[str, Weight]]) -> list[list[str]]:
    return [[label, w.path, f"{w.html:,}", f"{len(w.assets)}", f"{w.first:,}", "yes" if w.first <= BUDGET else "NO",
             f"{w.html:,} + {w.repeat_assets:,}", ", ".join(urlsplit(u).path for u in w.not_immutable) or "-"]
            for label, w in weights]


HEADERS = ["page", "path", "HTML B", "assets", "first visit B", "<= 50 KB", "repeat B (page, at most + assets)",
           "assets asked again"]


async def measure(base_url: str, pages: tuple[tuple[str, str], ...] = PAGES,
                  cookies: dict[str, str] | None = None, signed_in: tuple[tuple[str, str], ...] = ()
                  ) -> list[tuple[str, Weight]]:
    """Each page as an anonymous first visitor; ``signed_in`` pages with ``cookies`` (a session)."""
    out = []
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        for label, path in pages:
            out.append((label, await weigh(client, path)))
    if signed_in:
        async with httpx.AsyncClient(base_url=base_url, timeout=30, cookies=cookies or {}) as client:
            for label, path in signed_in:
                out.append((label, await weigh(client, path)))
    return out


def form_page(base_url: str) -> tuple[dict[str, str], str]:
    """A signed-in citizen's cookies and the first form page of a birth registration draft they start."""
    from tests.bench.seed import CITIZEN, Browser, sign_in

    browser = Browser(base_url)
    try:
        sign_in(browser, CITIZEN)
        location = browser.post("/procedures/1.001193/apply").headers["location"]
        while not re.search(r"/form/[^/]+$", urlsplit(location).path):
            location = browser.client.get(location).headers["location"]
        return dict(browser.client.cookies.items()), urlsplit(location).path
    finally:
        browser.close()


def page_weight_figures(base_url: str) -> list[list[str]]:
    """Rows for the bench's table: home, search, a procedure page and a form page (signed in)."""
    cookies, form = form_page(base_url)
    return rows(asyncio.run(measure(base_url, cookies=cookies, signed_in=(("form page", form),))))


def served_figures(work: Path) -> list[list[str]]:
    """The same rows from a portal served as ``make run`` serves it, on its own demo data in ``work``."""
    from tests.browser.served_portal import start_portal

    with start_portal(work) as portal:
        return page_weight_figures(portal.base_url)


if __name__ == "__main__":
    from tests.bench.run import print_table

    print_table("Page weight (bytes transferred, compressed)", HEADERS,
                page_weight_figures(sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8000"))
