"""Reading the ``Accept-*`` request headers."""

from __future__ import annotations


def weighted(header: str | None) -> list[tuple[str, float]]:
    """``"br;q=0.8, gzip"`` -> ``[("br", 0.8), ("gzip", 1.0)]``, lower-cased, in the header's order; a bad ``q``
    counts as 0 (refused), as RFC 9110 asks of a value it cannot read."""
    items = []
    for part in (header or "").lower().split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        items.append((name.strip(), quality))
    return items
