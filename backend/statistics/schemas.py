"""The open data's shapes: ``GET /api/v1/statistics/agencies`` (JSON) and its CSV twin."""

from __future__ import annotations

import csv
import io

from msgspec import Struct

from backend.core.i18n import resolve_content
from backend.statistics import index
from backend.statistics.models import Counts
from backend.statistics.services import Item, Period


class GroupFigures(Struct):
    """One group of the Decision 766 index. ``share``: 0 to 1, null when fewer than 5 dossiers count;
    ``score``: ``share`` times ``points``; ``confirmed``: whether the weight was checked against the decision."""

    name: str
    points: float
    confirmed: bool
    share: float | None
    score: float | None
    figures: dict[str, float | int | None]


class AgencyFigures(Struct):
    """One agency's figures for the period. Counts under 5 are null (never shown: they could point at a person)."""

    agency: str
    name: str
    province: str | None
    received: int | None
    index: float | None
    groups: dict[str, GroupFigures]


class AgencyFiguresList(Struct):
    total: int
    limit: int
    offset: int
    period: str
    since: str
    until: str
    updated_at: str | None
    weights_confirmed: bool
    source: str
    items: list[AgencyFigures]


def figures_of(item: Item) -> AgencyFigures:
    name = item.name if isinstance(item.name, str) else resolve_content(item.name)[0]
    return AgencyFigures(
        agency=item.key, name=name, province=item.province, received=index.shown(item.counts.received),
        index=item.score,
        groups={g.key: GroupFigures(g.name, g.points, g.confirmed, g.share, g.score, g.figures) for g in item.groups},
    )


def source() -> str:
    return str(index.rules()["source"]["title"])


def as_csv(items: list[Item], period: Period) -> str:
    """One line per agency: its code, name, province, dossiers, index, then each group's share, score and figures."""
    out = io.StringIO()
    writer = csv.writer(out)
    first = items[0].groups if items else index.groups(Counts())
    header = ["period", "agency", "name", "province", "received", "index"]
    for g in first:
        header += [f"{g.key}_share", f"{g.key}_score", *(f"{g.key}_{k}" for k in g.figures)]
    writer.writerow(header)
    for item in items:
        f = figures_of(item)
        line: list[object] = [period.code, f.agency, f.name, f.province or "", _cell(f.received), _cell(f.index)]
        for g in item.groups:
            line += [_cell(g.share), _cell(g.score), *(_cell(v) for v in g.figures.values())]
        writer.writerow(line)
    return out.getvalue()


def _cell(value: object) -> object:
    return "" if value is None else value
