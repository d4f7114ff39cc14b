"""Installable and offline: the web app manifest, the service worker script and the offline page."""

from __future__ import annotations

import json

from litestar import Request, Response, get
from litestar.params import FromQuery
from litestar.response import Template

from backend.catalogue.controllers import PAGE_SIZE
from backend.core.i18n import current_locale, gettext_in
from backend.core.languages import LANGUAGES
from backend.core.web import page
from backend.pwa import catalogue_index
from backend.pwa.shell import STATIC_DIR, asset, static_version

THEME_COLOUR = "#a50e0e"  # --brand in portal.css: the header's red
BACKGROUND_COLOUR = "#ffffff"
SHELL = ["css/portal.css", "js/app-shell.mjs", "js/offline-drafts.mjs", "js/outbox.js", "js/error-summary.mjs",
         "js/status-message.mjs", "js/language-menu.mjs", "js/site-menu.js", "icons/icon.svg"]
"""Static files every page needs, cached when the service worker installs (fonts follow the page's language)."""


def manifest_for(lang: str) -> dict:
    def _(text: str) -> str:
        return gettext_in(lang, text)

    # Hashed URLs: the browser fetches an icon on the first visit (installability) and never asks again.
    icons = [
        {"src": asset("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": asset("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {"src": asset("icons/maskable-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "maskable"},
        {"src": asset("icons/maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
    ]
    shortcut_icon = [{"src": asset("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"}]
    return {
        "id": "/",
        "name": _("Public Service Portal"),
        "short_name": _("Public services"),
        "description": _("Find a procedure, apply online and follow your dossiers."),
        "lang": lang,
        "dir": "ltr",
        "start_url": f"/{lang}/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
        "shortcuts": [
            {"name": _("Track a dossier"), "url": f"/{lang}/track", "icons": shortcut_icon},
            {"name": _("My dossiers"), "url": f"/{lang}/my/dossiers", "icons": shortcut_icon},
        ],
    }


@get("/manifest.webmanifest", include_in_schema=False)
async def manifest(request: Request, lang: FromQuery[str | None] = None) -> Response:
    """The manifest in ``?lang=`` (else the remembered or negotiated language)."""
    code = lang if lang in LANGUAGES else current_locale.get()
    return Response(
        json.dumps(manifest_for(code), ensure_ascii=False),
        media_type="application/manifest+json",
        headers={"cache-control": "no-cache", "vary": "Accept-Language, Cookie"},
    )


def service_worker_source() -> str:
    """``pwa/sw.js`` with this deploy's version and its app shell written in."""
    source = (STATIC_DIR / "sw.js").read_text(encoding="utf-8")
    return (
        source.replace('"__VERSION__"', json.dumps(static_version()))
        .replace('"__OUTBOX__"', json.dumps(asset("js/outbox.js")))
        .replace('"__SEARCH__"', json.dumps(asset("js/catalogue-search.js")))
        .replace('["__SHELL__"]', json.dumps([asset(name) for name in SHELL]))
        .replace('["__LANGUAGES__"]', json.dumps(list(LANGUAGES)))
        .replace('"__PAGE_SIZE__"', str(PAGE_SIZE))
    )


@get("/sw.js", include_in_schema=False)
async def service_worker() -> Response:
    return Response(
        service_worker_source(),
        media_type="application/javascript; charset=utf-8",
        headers={"cache-control": "no-cache", "service-worker-allowed": "/"},
    )


@get("/favicon.ico", include_in_schema=False)
async def favicon() -> Response:
    """The icon browsers ask for at the root whatever the page declares (issue 22: it was a 404 on every page)."""
    return Response((STATIC_DIR / "icons" / "favicon.ico").read_bytes(), media_type="image/x-icon",
                    headers={"cache-control": "public, max-age=86400"})


@get("/offline")
async def offline_page() -> Template:
    """What the service worker shows for a page it has not kept, when there is no connection."""
    return page("pwa/offline.html")


@get("/catalogue-index.json", include_in_schema=False)
async def catalogue_search_index() -> Response:
    """The catalogue in the page's language, compact, for searching offline (``pwa/js/catalogue-search.js``)."""
    return Response(
        await catalogue_index.index_for(current_locale.get()),
        media_type="application/json",
        headers={"cache-control": "public, max-age=300"},
    )


route_handlers = [manifest, service_worker, favicon]
page_handlers = [offline_page, catalogue_search_index]
