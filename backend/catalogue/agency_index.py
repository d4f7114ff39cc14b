"""A compact copy of the agency directory in memory, for the searches of ``agencies.find``.

Searching 7,000 agencies for words anywhere in their names is a scan in any database. Here the active agencies
are kept as small entries, grouped by level and by level and kind (a procedure's agencies are one or two groups),
each group's search keys joined in one string: a word is found with ``str.find`` over the group, not a test per
agency. The copy is read again when the catalogue is loaded in this process (``forget()``), when the number of
active agencies or the last id differ from the copy's (an agency added or deactivated elsewhere: one small query,
at most every ``CHECK_EVERY`` seconds, so a burst of searches costs it once), and at least every ``FRESH_FOR``
seconds (a rename).
"""

from __future__ import annotations

import asyncio
import time
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from tortoise.functions import Count, Max

from backend.catalogue.models import PEOPLE_COMMITTEE, Agency
from backend.core import units

FRESH_FOR = 60.0  # seconds
CHECK_EVERY = 1.0  # seconds
LEVEL_ORDER = {"province": 0, "department": 1, "commune": 2, "ministry": 3}


def _order(names: dict[str, str]) -> Callable[[tuple], tuple]:
    """Province; its People's Committee, departments, then communes; a commune's agencies by the commune's name
    (as the address picker lists them), its People's Committee first; the others by name."""

    def key(row: tuple) -> tuple:
        _, _, level, kind, province, unit_code, search_key = row
        commune = names.get(unit_code, "") if level == "commune" else ""
        return (province or "", LEVEL_ORDER.get(level, 9), commune, kind != PEOPLE_COMMITTEE, search_key)

    return key


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    code: str
    level: str
    kind: str
    province_code: str | None
    unit_code: str | None
    search_key: str  # with a space first: " word" finds the words that start with it


@dataclass
class Group:
    """Entries in directory order (province, then province before departments before communes, then name), and
    their keys joined: ``starts[i]`` is where entry ``i``'s key begins in ``keys``."""

    entries: list[Entry]
    keys: str = ""
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        position = 0
        for entry in self.entries:
            self.starts.append(position)
            position += len(entry.search_key) + 1
        self.keys = "\n".join(e.search_key for e in self.entries)

    def matching(self, words: list[str]) -> list[Entry]:
        """The entries whose key holds every word (each given with its leading space), in order."""
        if not words:
            return self.entries
        longest, others = max(words, key=len), words
        found, position = [], self.keys.find(longest)
        while position != -1:
            i = bisect_right(self.starts, position) - 1
            entry = self.entries[i]
            if all(word in entry.search_key for word in others):
                found.append(entry)
            following = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.keys)
            position = self.keys.find(longest, following)
        return found


@dataclass
class Index:
    every: Group
    by_level: dict[str, Group]
    by_level_kind: dict[tuple[str, str], Group]
    by_code: dict[str, Entry]
    loaded_at: float
    signature: tuple[int, int]
    checked_at: float = 0.0

    def group(self, level: str | None = None, kind: str | None = None) -> Group:
        if level is None:
            return self.every
        if kind is None:
            return self.by_level.get(level) or Group([])
        return self.by_level_kind.get((level, kind)) or Group([])


_index: Index | None = None
_locks: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}  # one per event loop (tests run several)


def _reading() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    if loop not in _locks:
        _locks.clear()  # an earlier loop's lock is of no use to this one
        _locks[loop] = asyncio.Lock()
    return _locks[loop]


def forget() -> None:
    """The catalogue changed: the next search reads the directory again."""
    global _index
    _index = None


def _usable(now: float) -> bool:
    return _index is not None and now - _index.checked_at < CHECK_EVERY and now - _index.loaded_at < FRESH_FOR


async def current() -> Index:
    """The copy, checked or read again by one request at a time: the others wait for it (at a cold start, 32
    requests at once each read the 7,000 agencies)."""
    if _usable(time.monotonic()):
        assert _index is not None
        return _index
    async with _reading():
        if _usable(time.monotonic()):
            assert _index is not None
            return _index
        return await _refresh()


async def _refresh() -> Index:
    global _index
    now = time.monotonic()
    active = Agency.filter(active=True)
    counted = await active.annotate(n=Count("id"), last=Max("id")).first().values_list("n", "last")
    signature = (int(counted[0] or 0), int(counted[1] or 0)) if counted else (0, 0)
    if _index is not None and _index.signature == signature and now - _index.loaded_at < FRESH_FOR:
        _index.checked_at = now
    else:
        rows = await active.values_list("id", "code", "level", "kind", "province_code", "unit_code", "search_key")
        names = {w.code: units.fold(w.short) for p in units.provinces() for w in units.wards(p.code)}
        rows.sort(key=_order(names))
        entries = [Entry(i, code, level, kind, province, unit, f" {key}")
                   for i, code, level, kind, province, unit, key in rows]
        by_level: dict[str, list[Entry]] = defaultdict(list)
        by_level_kind: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        for entry in entries:
            by_level[entry.level].append(entry)
            by_level_kind[entry.level, entry.kind].append(entry)
        _index = Index(
            Group(entries),
            {level: Group(group) for level, group in by_level.items()},
            {key: Group(group) for key, group in by_level_kind.items()},
            {entry.code: entry for entry in entries},
            now,
            signature,
            now,
        )
    return _index
