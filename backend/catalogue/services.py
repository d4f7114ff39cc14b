"""Catalogue queries: search, browse and load procedures."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce
from operator import or_

from tortoise.expressions import Q

from backend.catalogue.models import Agency, Procedure
from backend.core.i18n import lazy_gettext as _
from backend.core.i18n import resolve_content
from backend.core.languages import CODES
from backend.core.text import fold, words

LIFE_EVENTS = {
    "birth": _("A child is born"),
    "death": _("Death of a relative"),
    "marriage": _("Getting married"),
    "residence": _("Moving house"),
    "identity": _("Identity papers"),
    "travel": _("Travelling abroad"),
    "driving": _("Driving"),
    "justice": _("Justice and records"),
    "health": _("Health and insurance"),
    "work": _("Working"),
    "business": _("Running a business"),
    "building": _("Building a house"),
    "land": _("Land"),
    "tax": _("Taxes and fines"),
}


def search_text_for(procedure: dict, agency_name: dict) -> str:
    """Everything a citizen might type to find a procedure, folded."""
    parts = [procedure["code"]]
    for text in (procedure["title"], procedure["summary"], agency_name):  # in every language, drafts included
        parts += {resolve_content(text, code)[0] for code in CODES}
    parts += [str(LIFE_EVENTS.get(e, e)) for e in procedure.get("life_events", [])]
    return " " + fold(" ".join(parts)) + " "


@dataclass
class SearchPage:
    items: list[Procedure]
    total: int
    limit: int
    offset: int


_NO_SPACES = re.compile(r"[\u3000-\u9fff\uf900-\ufaff]")  # Chinese is written without spaces between words


def _patterns(query_words: list[str]) -> list[str]:
    """Whole words, except the last one, which may still be being typed: it matches as a prefix.

    Chinese text has no spaces, so a Chinese query word matches anywhere.
    """
    patterns = [f" {w} " for w in query_words[:-1]] + [f" {query_words[-1]}"]
    return [p.strip() if _NO_SPACES.search(p) else p for p in patterns]


def _hits(text: str, patterns: list[str]) -> int:
    return sum(1 for pattern in patterns if pattern in text)


def _rank(procedure: Procedure, patterns: list[str], phrase: str) -> tuple:
    title = " " + fold(" ".join(procedure.title.values())) + " "
    exact_phrase = -2 * (phrase in title) - (phrase in procedure.search_text)
    return (exact_phrase, -_hits(procedure.search_text, patterns), -_hits(title, patterns), procedure.code)


async def search(
    q: str = "", *, agency: str | None = None, event: str | None = None, limit: int = 20, offset: int = 0
) -> SearchPage:
    """Ranked, accent-insensitive search; without ``q``, the catalogue in code order."""
    query = Procedure.filter(published=True).select_related("agency")
    if agency:
        query = query.filter(Q(agency__code=agency) | Q(agency__parent__code=agency))
    query_words = words(q)
    patterns = _patterns(query_words) if query_words else []
    if patterns:
        # Candidates match at least one word; ranking and the cut below keep the relevant ones.
        query = query.filter(reduce(or_, (Q(search_text__contains=pattern) for pattern in patterns)))
    candidates = await query.order_by("code")
    if event:
        candidates = [p for p in candidates if event in p.life_events]
    if patterns and candidates:
        phrase = " ".join(query_words)
        candidates.sort(key=lambda p: _rank(p, patterns, phrase))
        best = _hits(candidates[0].search_text, patterns)
        # Short queries need every word; from three words on, one may be missing (a typo, a synonym).
        needed = best if len(patterns) < 3 else max(1, best - 1)
        candidates = [p for p in candidates if _hits(p.search_text, patterns) >= needed]
    return SearchPage(candidates[offset : offset + limit], len(candidates), limit, offset)


async def get_procedure(code: str) -> Procedure | None:
    return await Procedure.get_or_none(code=code, published=True).select_related("agency", "agency__parent")


async def agencies_with_procedures() -> list[Agency]:
    ids = await Procedure.filter(published=True).distinct().values_list("agency_id", flat=True)
    return await Agency.filter(id__in=list(ids)).order_by("level", "code")


async def reindex_procedures_with(vietnamese: str) -> int:
    """Recompute the search text of procedures that use a catalogue text (its translation just changed)."""
    count = 0
    for procedure in await Procedure.filter(search_text__contains=f" {fold(vietnamese)} "[:200].strip()).limit(500):
        await procedure.fetch_related("agency")
        source = {"code": procedure.code, "title": procedure.title, "summary": procedure.summary,
                  "life_events": procedure.life_events}
        procedure.search_text = search_text_for(source, procedure.agency.name)
        await procedure.save(update_fields=["search_text"])
        count += 1
    return count
