"""Catalogue queries: search, browse and load procedures."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from backend.catalogue import search as fts
from backend.catalogue.models import Agency, Procedure
from backend.core.i18n import lazy_gettext as _
from backend.core.i18n import resolve_content
from backend.core.languages import CODES

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


def search_tokens(procedure: dict, agency_name: dict) -> tuple[list[str], list[str]]:
    """What search indexes: the titles, and everything a citizen might type (titles, summaries, agency, life
    events), in every language, drafts included."""
    titles = {resolve_content(procedure["title"], code)[0] for code in CODES}
    parts = [procedure["code"], *titles]
    for text in (procedure["summary"], agency_name):
        parts += {resolve_content(text, code)[0] for code in CODES}
    parts += [str(LIFE_EVENTS.get(e, e)) for e in procedure.get("life_events", [])]
    return fts.document_tokens(" ".join(sorted(titles))), fts.document_tokens(" ".join(parts))


def search_text(body: list[str]) -> str:
    """The indexed words, kept on the procedure too: translations find the procedures that use a text."""
    return " " + " ".join(body) + " "


@dataclass
class SearchPage:
    items: list[Procedure]
    total: int
    limit: int
    offset: int


async def search(
    q: str = "", *, agency: str | None = None, event: str | None = None, limit: int = 20, offset: int = 0
) -> SearchPage:
    """Ranked, accent-insensitive search; without ``q``, the catalogue in code order. Only the page's rows
    are loaded: the database matches, ranks, counts and pages."""
    ids, total = await fts.find(q, agency=agency, event=event, limit=limit, offset=offset)
    rows = {p.id: p for p in await Procedure.filter(id__in=ids).select_related("agency")} if ids else {}
    return SearchPage([rows[i] for i in ids if i in rows], total, limit, offset)


async def get_procedure(code: str) -> Procedure | None:
    return await Procedure.get_or_none(code=code, published=True).select_related("agency", "agency__parent")


async def agencies_with_procedures() -> list[Agency]:
    ids = await Procedure.filter(published=True).distinct().values_list("agency_id", flat=True)
    return await Agency.filter(id__in=list(ids)).order_by("level", "code")


async def reindex_procedures_with(vietnamese: str) -> int:
    """Recompute the search words of procedures that use a catalogue text (its translation just changed)."""
    needle = " " + " ".join(fts.document_tokens(vietnamese))[:200].strip()
    rows = []
    using = Procedure.filter(search_text__contains=needle, published=True).select_related("agency").limit(500)
    for procedure in await using:
        title, body = _tokens_of(procedure)
        procedure.search_text = search_text(body)
        await procedure.save(update_fields=["search_text"])
        rows.append((procedure.id, title, body))
    await fts.index(rows)
    return len(rows)


def _tokens_of(procedure: Procedure) -> tuple[list[str], list[str]]:
    source = {"code": procedure.code, "title": procedure.title, "summary": procedure.summary,
              "life_events": procedure.life_events}
    return search_tokens(source, procedure.agency.name)


async def rebuild_search_index(batch: int = 500) -> int:
    """Index every published procedure again (after a migration, or procedures loaded by SQL); how many."""
    count, last = 0, 0
    published = Procedure.filter(published=True).order_by("id").select_related("agency")
    while chunk := await published.filter(id__gt=last).limit(batch):
        async with in_transaction() as conn:  # each batch whole, should two processes start at once
            await fts.index([(p.id, *_tokens_of(p)) for p in chunk], conn)
        count, last = count + len(chunk), chunk[-1].id
    return count


async def ensure_search_index() -> None:
    """At startup: index the catalogue when the index does not hold every procedure (a new migration)."""
    if await fts.indexed_count() != await Procedure.filter(published=True).count():
        await rebuild_search_index()
