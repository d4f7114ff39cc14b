"""The Decision 766 index from a row of counters: six groups, each a share (0 to 1) and its points.

The points and thresholds come from ``data/index_766.json`` (the published rules change; the file cites its source
and says which weights nobody could confirm). A count under ``small_count`` (other than none) is never shown, nor
any share computed from one: figures must not point at a person.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from backend.core.i18n import lazy_gettext as _
from backend.statistics.models import Counts

DATA = Path(__file__).parent / "data" / "index_766.json"
GROUP_NAMES = {
    "publicity": _("Publicity and transparency"),
    "on_time": _("Settlement on time"),
    "online_services": _("Online services"),
    "online_payment": _("Online payment"),
    "digitisation": _("Digitisation"),
    "satisfaction": _("Satisfaction"),
}
GROUP_MEASURES = {  # what each group counts, as the data file's "measure" says it
    "publicity": _("Share of dossiers received whose status anyone can follow by its code on this portal."),
    "on_time": _("Share of dossiers settled by their due date; also dossiers overdue now and the average days to "
                 "settle."),
    "online_services": _("Share of dossiers received that were processed online, with how they were filed: by the "
                         "citizen online, or with a helper at a post office or a commune."),
    "online_payment": _("Share of dossiers with a fee whose fee was paid online."),
    "digitisation": _("Average of three shares: dossiers with digital documents, approved dossiers with a digital "
                      "result, and dossiers whose answers were filled from data the state already holds. Also the "
                      "share of dossiers a helper filed, whose papers were digitised at the counter."),
    "satisfaction": _("Average rating, out of 5, and the share of feedback answered on time once public questions "
                      "are answered here."),
}
FeedbackCounter = Callable[[list[int], date, date], Awaitable[dict[int, tuple[int, int]]]]
"""(agency ids, first day, last day) -> {agency id: (feedback answered, of it on time)}."""
_feedback_counters: list[FeedbackCounter] = []


def register_feedback_counter(counter: FeedbackCounter) -> None:
    """The hook for public questions (issue 19, item 5): their on-time answers join the satisfaction group."""
    if counter not in _feedback_counters:
        _feedback_counters.append(counter)


async def feedback_on_time(agency_ids: list[int], first: date, last: date) -> dict[int, tuple[int, int]] | None:
    """What the registered counters found; None when none is registered (the figure is then left out)."""
    if not _feedback_counters:
        return None
    found: dict[int, tuple[int, int]] = {}
    for counter in _feedback_counters:
        for agency, (answered, on_time) in (await counter(agency_ids, first, last)).items():
            before = found.get(agency, (0, 0))
            found[agency] = (before[0] + answered, before[1] + on_time)
    return found


@cache
def rules() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def small() -> int:
    return int(rules()["small_count"])


def shown(count: int) -> int | None:
    """``count``, or None when it is small enough to point at someone (zero is shown: it reveals no one)."""
    return None if 0 < count < small() else count


def share(part: int, whole: int) -> float | None:
    return None if whole < small() else round(part / whole, 4)


@dataclass
class Group:
    key: str
    points: float
    confirmed: bool
    share: float | None  # None: not enough dossiers to say
    figures: dict[str, float | int | None]

    @property
    def name(self) -> str:
        return str(GROUP_NAMES[self.key])

    @property
    def measure(self) -> str:
        return str(GROUP_MEASURES[self.key])

    @property
    def score(self) -> float | None:
        return None if self.share is None else round(self.share * self.points, 2)


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 4) if known else None


def groups(c: Counts) -> list[Group]:
    """The six groups of ``c``, in the decision's order."""
    rating = share(c.ratings_sum - c.ratings_count, 4 * c.ratings_count)  # 1..5 stars as 0..1
    answered, on_time = c.extra.get("feedback") or (0, 0)
    measures: dict[str, tuple[float | None, dict[str, Any]]] = {
        "publicity": (share(c.tracked_publicly, c.received), {"received": shown(c.received)}),
        "on_time": (share(c.settled_on_time, c.settled), {
            "settled": shown(c.settled), "settled_on_time": shown(c.settled_on_time),
            "overdue_now": shown(c.overdue_open),
            "average_days": round(c.days_to_settle_sum / c.settled, 1) if c.settled >= small() else None}),
        # Filed with a helper is not "online by the citizen", but it is processed online: it counts in the share.
        "online_services": (share(c.filed_online, c.received), {
            "filed_online": shown(c.filed_online), "filed_by_citizen": shown(c.filed_by_citizen),
            "filed_at_post_office": shown(c.filed_at_post_office), "filed_at_commune": shown(c.filed_at_commune)}),
        "online_payment": (share(c.fee_paid_online, c.fee_due), {
            "fee_due": shown(c.fee_due), "fee_paid_online": shown(c.fee_paid_online)}),
        "digitisation": (None, {
            "documents_share": share(c.digital_documents, c.received),
            "results_share": share(c.digital_results, c.approved),
            "prefilled_share": share(c.prefilled, c.received),
            "filed_with_help_share": share(c.filed_at_post_office + c.filed_at_commune, c.received)}),
        "satisfaction": (_mean([rating, share(on_time, answered)]), {
            "ratings": shown(c.ratings_count),
            "average_rating": round(c.ratings_sum / c.ratings_count, 2) if c.ratings_count >= small() else None,
            **({"feedback_answered": shown(answered), "feedback_on_time_share": share(on_time, answered)}
               if "feedback" in c.extra else {})}),
    }
    digital = measures["digitisation"][1]
    measures["digitisation"] = (_mean([digital["documents_share"], digital["results_share"],
                                       digital["prefilled_share"]]), digital)
    return [Group(g["key"], float(g["points"]), bool(g["confirmed"]), *measures[g["key"]]) for g in rules()["groups"]]


def total(parts: list[Group]) -> float | None:
    """The index out of 100 over the groups that could be measured (rescaled), or None when none could."""
    measured = [g for g in parts if g.share is not None]
    points = sum(g.points for g in measured)
    return round(100 * sum(g.score or 0 for g in measured) / points, 1) if points else None


def unconfirmed() -> bool:
    return not rules()["source"].get("checked") or any(not g["confirmed"] for g in rules()["groups"])
