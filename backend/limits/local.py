"""Counting far below a limit in memory: the status look-up's count was half of its CPU (issue 15).

A *batched* limit (``Limit(..., batched=True)``, for look-ups anyone may make many of) is counted in the
database only when it matters. Once a process has read a bucket's total, it counts the next requests itself
while that total plus its own uncounted hits stays under ``SHARE`` of the allowance and the total was read less
than ``FRESH_FOR`` seconds ago; the next request past either writes its hits in one increment and reads the
total again. Near the limit every request is counted in the database, as for any limit, so refusals are exact
in one process. Across processes a client gets at most what one process counted alone in a second, and never
more than ``SHARE`` of the allowance, before the others see it. SMS codes and identity checks, where one request
more costs money or privacy, are never batched.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

FRESH_FOR = 1.0  # seconds
SHARE = 0.5


@dataclass
class Seen:
    total: int  # the database's count when read: every process's requests
    ends: int  # the window's end (Unix seconds)
    read_at: float  # time.monotonic()
    pending: int = 0  # this process's requests since, not yet written


_seen: dict[str, Seen] = {}


def count_here(buckets: list[tuple[str, int]], allowances: list[int]) -> bool:
    """Count one request in memory against every bucket, if each is fresh and far from its allowance."""
    now = time.monotonic()
    for (bucket, _), allowed in zip(buckets, allowances, strict=True):
        seen = _seen.get(bucket)
        if seen is None or now - seen.read_at > FRESH_FOR or seen.total + seen.pending + 1 > allowed * SHARE:
            return False
    for bucket, _ in buckets:
        _seen[bucket].pending += 1
    return True


def pending(bucket: str) -> int:
    seen = _seen.get(bucket)
    return seen.pending if seen else 0


def take_pending(bucket: str) -> int:
    """This process's uncounted requests for ``bucket``, now to be written with the next one."""
    seen = _seen.get(bucket)
    if seen is None:
        return 0
    pending, seen.pending = seen.pending, 0
    return pending


def record(bucket: str, total: int, ends: int) -> None:
    """The database's count after this process wrote its requests."""
    now = time.monotonic()
    _seen[bucket] = Seen(total, ends, now)
    if len(_seen) > 50_000:  # buckets of windows that have ended: forget them (their pending is moot)
        wall = time.time()
        for name in [name for name, seen in _seen.items() if seen.ends <= wall]:
            del _seen[name]


def forget() -> None:
    """Tests start from the database alone."""
    _seen.clear()
