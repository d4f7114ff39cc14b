"""The catalogue's compact search index, for the service worker to search while offline.

One small JSON per language: each published procedure's code, its title in that language and the words a
search would match, folded and cut as ``backend/catalogue/search.py`` does for the database (accents off,
đ -> d, scripts without spaces in pairs of characters), so ``pwa/js/catalogue-search.js`` finds what the
server would find for the usual queries. Kept a few minutes per language and text version in this process.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

from backend.catalogue.models import Procedure
from backend.catalogue.search import document_tokens
from backend.catalogue.services import LIFE_EVENTS
from backend.core.i18n import in_language, plain, resolve_content
from backend.core.text_store import STORE

TTL_SECONDS = 300
_copies: dict[tuple[str, int], tuple[float, bytes]] = {}


def _words(procedure: dict, lang: str) -> str:
    """The folded words of the titles (the visitor's language, Vietnamese, English) and life events."""
    texts = [resolve_content(procedure["title"], code)[0] for code in (lang, "vi", "en")]
    for event in procedure["life_events"] or []:
        if event in LIFE_EVENTS:
            texts += [_label_in(code, LIFE_EVENTS[event]) for code in (lang, "vi")]
    return " ".join(dict.fromkeys(document_tokens(" ".join(texts))))


def _label_in(code: str, label) -> str:
    """A lazily translated label in ``code``, whatever the request's language."""
    with in_language(code):
        return plain(str(label))


async def build(lang: str) -> bytes:
    """``{"lang", "generated", "items": [[code, title, words], ...]}`` in catalogue order."""
    rows = await Procedure.filter(published=True).order_by("code").values("code", "title", "life_events")
    items = [[row["code"], plain(resolve_content(row["title"], lang)[0]), _words(row, lang)] for row in rows]
    generated = datetime.now(UTC).isoformat(timespec="seconds")
    return json.dumps({"lang": lang, "generated": generated, "items": items},
                      ensure_ascii=False, separators=(",", ":")).encode()


async def index_for(lang: str) -> bytes:
    key = (lang, STORE.version)
    now = time.monotonic()
    kept = _copies.get(key)
    if kept is None or now - kept[0] > TTL_SECONDS:
        if len(_copies) > 64:  # one per language and text version: old versions go
            _copies.clear()
        kept = _copies[key] = (now, await build(lang))
    return kept[1]
