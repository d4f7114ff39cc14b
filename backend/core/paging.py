"""Pages of a list: every list a person sees is paged (issue 15), and its page number comes from the query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_PAGE = 10_000  # beyond this an OFFSET costs more than anyone reads; links past it are not offered


def page_number(raw: str | int | None) -> int:
    """``?page=`` as a number from 1: anything else (missing, text, 0, negative, huge) is page 1."""
    try:
        number = int(raw or 1)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_PAGE else 1


@dataclass
class Page:
    """One page of ``size`` rows. ``total`` is None when it is not counted (too costly); ``has_next`` comes from
    reading one row more than the page shows, so next/previous links work either way."""

    items: list[Any]
    number: int
    size: int
    has_next: bool
    total: int | None = None

    @property
    def pages(self) -> int | None:
        if self.total is None:
            return None
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


async def fetch_page(query, number: int, size: int, total: int | None = None, *, fields: tuple[str, ...] = ()) -> Page:
    """Run ``query`` (a Tortoise queryset, already ordered) for page ``number``; with ``fields``, only those
    columns are read (``.values``), as dictionaries."""
    query = query.offset((number - 1) * size).limit(size + 1)
    rows = await (query.values(*fields) if fields else query)
    return Page(list(rows[:size]), number, size, len(rows) > size, total)
