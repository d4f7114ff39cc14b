"""Rate limits: each request is counted atomically in the database before the caller acts.

A limit allows ``allowed`` requests per key in fixed windows of ``seconds``, aligned on midnight in Viet Nam
(a day's window is a calendar day there). The count is one statement,
``INSERT ... ON CONFLICT DO UPDATE SET hits = hits + 1 RETURNING hits`` (SQLite 3.35+ and PostgreSQL): requests
sent at once each get their own number and only the first ``allowed`` go on, in every process and on every
machine that shares the database. No Redis: the database is the one store they already share.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass, replace
from datetime import datetime

from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.expressions import F

from backend.core import clock
from backend.core.i18n import ngettext
from backend.limits import local
from backend.limits.models import RateCounter

MINUTE, HOUR, DAY = 60, 3600, 86400
_VIETNAM = 7 * HOUR  # Viet Nam has no summer time: a day's window starts at its midnight


@dataclass(frozen=True)
class Limit:
    name: str
    allowed: int
    seconds: int
    batched: bool = False
    """Counted in memory while far below the allowance (``limits.local``): for look-ups, never for SMS."""


class Refused(Exception):
    """A request over a limit; ``retry_after`` is the number of seconds until its window ends."""

    def __init__(self, limit: Limit, retry_after: int) -> None:
        super().__init__(limit.name)
        self.limit, self.retry_after = limit, retry_after

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / MINUTE))


def refused_message(exc: Refused) -> str:
    """For a limit per client address or network (the limits per number or account have their own words)."""
    return ngettext(
        "Too many requests came from your internet connection. Wait %(num)s minute and try again.",
        "Too many requests came from your internet connection. Wait %(num)s minutes and try again.",
        exc.minutes,
    )


def _bucket(limit: Limit, key: str, now: datetime) -> tuple[str, int]:
    """The counter's name and the end of its window (Unix seconds)."""
    start = (int(now.timestamp()) + _VIETNAM) // limit.seconds * limit.seconds - _VIETNAM
    return f"{limit.name}:{key[:120]}@{start}", start + limit.seconds


async def _increment(buckets: list[tuple[str, int]], amounts: list[int] | None = None) -> dict[str, int]:
    """Count one hit (or ``amounts``) in each ``(bucket, window end)``, all in one statement (one commit); each
    bucket's hits."""
    conn = connections.get("default")
    postgres = conn.capabilities.dialect == "postgres"
    rows: list[str] = []
    values: list[str | int] = []
    for (bucket, expires_at), amount in zip(buckets, amounts or [1] * len(buckets), strict=True):
        n = len(values)
        marks = (f"${n + 1}::varchar", f"${n + 2}::bigint", f"${n + 3}::bigint") if postgres else ("?", "?", "?")
        rows.append(f"({marks[0]}, {marks[1]}, {marks[2]})")
        values += [bucket, amount, expires_at]
    source = f'VALUES {", ".join(rows)}'
    if postgres and not isinstance(conn, TransactionalDBClient):
        # On its own (not inside another transaction), the count's commit does not wait for the disk: a crash
        # may forget the last moment's counts, which only lets a few requests more through, while waiting for
        # the WAL made the status look-up's p99 follow every other write on the server (the count alone, with
        # a load running: p99 42 -> 19 ms). ``set_config(..., true)`` lasts until this statement's own commit.
        source = (f"SELECT v.* FROM ({source}) AS v, "
                  "(SELECT set_config('synchronous_commit', 'off', true)) AS relaxed")
    # The dict variant: Tortoise's execute_query does not fetch the rows of an INSERT on PostgreSQL.
    counted = await conn.execute_query_dict(
        f'INSERT INTO "rate_counter" ("bucket", "hits", "expires_at") {source} '
        'ON CONFLICT ("bucket") DO UPDATE SET "hits" = "rate_counter"."hits" + excluded."hits" '
        'RETURNING "bucket", "hits"',
        values,
    )
    return {row["bucket"]: int(row["hits"]) for row in counted}


async def _decrement(bucket: str) -> None:
    await RateCounter.filter(bucket=bucket, hits__gt=0).update(hits=F("hits") - 1)


async def take(*checks: tuple[Limit, str], now: datetime | None = None) -> None:
    """Count one request against every ``(limit, key)`` in one statement; raise Refused for the first one over.

    A refused request is then uncounted everywhere, so the counters hold the requests that went on: hammering
    does not use up a neighbour's share, and ``used`` tells what is left. (Safe at once: a request goes on only
    if its own increment saw the limit not reached, and uncounting only ever lowers the number others see.)
    """
    now = now or clock.now()
    buckets = [_bucket(limit, key, now) for limit, key in checks]
    if not buckets:
        return
    batched = all(limit.batched for limit, _ in checks)
    if batched and local.count_here(buckets, [limit.allowed for limit, _ in checks]):
        return  # far below every allowance: counted in memory, written with a later request (limits/local.py)
    amounts = [1 + local.take_pending(bucket) for bucket, _ in buckets]
    if len({bucket for bucket, _ in buckets}) == len(buckets):
        hits = await _increment(buckets, amounts)
    else:  # one statement may not touch a row twice (PostgreSQL): a bucket named twice is counted twice, in turn
        hits = {}
        for one, amount in zip(buckets, amounts, strict=True):
            hits.update(await _increment([one], [amount]))
    if batched:
        for bucket, ends in buckets:
            local.record(bucket, hits[bucket], ends)
    for (limit, _), (bucket, ends) in zip(checks, buckets, strict=True):
        if hits[bucket] > limit.allowed:
            for counted, _ in buckets:
                await _decrement(counted)
            raise Refused(limit, max(1, math.ceil(ends - now.timestamp())))


async def give_back(*checks: tuple[Limit, str], now: datetime) -> None:
    """Uncount a request that turned out not to count; ``now`` is the time ``take`` was given (same windows)."""
    for limit, key in checks:
        await _decrement(_bucket(limit, key, now)[0])


async def used(limit: Limit, key: str, now: datetime | None = None) -> int:
    """The requests counted so far in the current window: in the database, and in this process's memory."""
    bucket = _bucket(limit, key, now or clock.now())[0]
    counter = await RateCounter.get_or_none(bucket=bucket)
    return (counter.hits if counter else 0) + local.pending(bucket)


async def purge_expired(now: datetime | None = None) -> int:
    """Delete the counters of windows that have ended; returns how many. Run it periodically."""
    return await RateCounter.filter(expires_at__lte=int((now or clock.now()).timestamp())).delete()


def client_keys(host: str | None) -> tuple[str, str]:
    """The client's address and its network (IPv4 /24, IPv6 /64: what one subscriber or one small site holds).

    ``host`` is ``request.client.host``: behind a reverse proxy, uvicorn puts the client's address there only
    from the proxies listed in FORWARDED_ALLOW_IPS.
    """
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:
        return "unknown", "unknown"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    network = ipaddress.ip_network(f"{address}/{24 if address.version == 4 else 64}", strict=False)
    return str(address), str(network)


def per_client(limit: Limit, host: str | None, network_factor: int) -> list[tuple[Limit, str]]:
    """Checks for one client: ``limit`` for its address, ``network_factor`` times as much for its network."""
    address, network = client_keys(host)
    wider = replace(limit, allowed=limit.allowed * network_factor)
    return [(limit, f"ip:{address}"), (wider, f"net:{network}")]
