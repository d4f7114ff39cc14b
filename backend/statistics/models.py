"""The roll-up tables (migration 28), as plain SQL: rows are written in bulk and summed, never loaded one by one.

``stat_daily`` (day, agency, procedure), ``stat_monthly`` (month, agency, its province) and ``stat_backlog`` (open
and overdue dossiers now, per agency and procedure) carry the counters below; ``stat_watermark`` keeps how far the
worker has read the timeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

COUNTERS = (
    "received",  # dossiers sent on that day
    "filed_online",  # of them, processed online (every dossier of this portal, whoever filed it)
    "filed_by_citizen",  # of them, filed online by the citizen themselves (migration 32)
    "filed_at_post_office",  # of them, filed with a helper at a post office
    "filed_at_commune",  # of them, filed with a helper at a commune's one-stop desk or community team
    "tracked_publicly",  # of them, whose status anyone can follow by code (every dossier of this portal)
    "digital_documents",  # of them, with at least one uploaded document
    "prefilled",  # of them, with answers filled from the population registry (with consent)
    "fee_due",  # of them, with a fee to pay
    "fee_paid_online",  # of those, whose fee was paid through the online gateway
    "settled",  # dossiers approved or refused on that day
    "settled_on_time",  # of them, on or before their due date
    "days_to_settle_sum",  # calendar days from sending to settling, summed (an average's numerator)
    "approved",  # of them, approved
    "digital_results",  # of those approved, with the signed result online
    "ratings_count",  # ratings given on that day
    "ratings_sum",  # their scores summed (1 to 5 each)
)
TABLES = ("stat_daily", "stat_monthly", "stat_backlog", "stat_watermark")


@dataclass
class Counts:
    """One row's counters; adding two rows adds each counter."""

    received: int = 0
    filed_online: int = 0
    filed_by_citizen: int = 0
    filed_at_post_office: int = 0
    filed_at_commune: int = 0
    tracked_publicly: int = 0
    digital_documents: int = 0
    prefilled: int = 0
    fee_due: int = 0
    fee_paid_online: int = 0
    settled: int = 0
    settled_on_time: int = 0
    days_to_settle_sum: int = 0
    approved: int = 0
    digital_results: int = 0
    ratings_count: int = 0
    ratings_sum: int = 0
    overdue_open: int = 0  # a snapshot (stat_backlog), not a daily counter
    extra: dict[str, Any] = field(default_factory=dict)  # what hooks add (feedback answered on time)

    @classmethod
    def of(cls, row: dict[str, Any]) -> Counts:
        counts = cls()
        for name in (*COUNTERS, "overdue_open"):
            setattr(counts, name, int(row.get(name) or 0))
        return counts

    def add(self, other: Counts) -> None:
        for f in fields(self):
            if f.name != "extra":
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def values(self) -> list[int]:
        return [getattr(self, name) for name in COUNTERS]
