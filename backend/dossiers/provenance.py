"""How a dossier was filed, in words for its pages (issue 20): filed online by its citizen, it says nothing; filed
with a helper, it names who helped, where, when and with what consent.

That record lives above this layer (``backend.assisted``), which registers its reader here at startup, as it
registers the helper's standing with ``access``. The citizen's dossier page, its receipt and the desk read
``notes``; a dossier filed online costs them no query.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from backend.dossiers.models import Dossier

ONLINE = "online"  # ``Dossier.channel`` of a dossier its citizen filed alone


@dataclass(frozen=True)
class Note:
    """One sentence about how the dossier was filed, in the page's language."""

    text: str
    flagged: bool = False  # the agency should look closer (an identity checked in person, no phone)
    href: str = ""  # a paper that goes with it (the declaration signed on paper), to open
    link_text: str = ""


@dataclass(frozen=True)
class IdentityCheck:
    """An identity checked in person (no phone), for the settling agency's officials only: the document's number,
    masked but for its last 4 characters, and the storage key of the photo or scan the helper took."""

    document: str
    scan_key: str = ""


Reader = Callable[[Dossier], Awaitable[list[Note]]]
IdentityReader = Callable[[Dossier], Awaitable[IdentityCheck | None]]
_READERS: dict[str, Reader] = {}
_IDENTITY: list[IdentityReader] = []


def register_reader(name: str, reader: Reader) -> None:
    """At startup: ``reader`` tells how a dossier not filed online came in (the same ``name`` replaces it)."""
    _READERS[name] = reader


async def notes(dossier: Dossier) -> list[Note]:
    """What the registered readers say about ``dossier`` (nothing for a dossier filed online)."""
    if dossier.channel == ONLINE:
        return []
    found: list[Note] = []
    for reader in _READERS.values():
        found += await reader(dossier)
    return found


def register_identity_reader(reader: IdentityReader) -> None:
    """At startup: ``reader`` finds the identity checked in person for a dossier (it replaces any earlier one)."""
    _IDENTITY[:] = [reader]


async def identity_check(dossier: Dossier) -> IdentityCheck | None:
    """The identity checked in person for ``dossier``, or None (filed online, or by a consent code). Callers show
    it only to the officials of the dossier's agency."""
    if dossier.channel == ONLINE or not _IDENTITY:
        return None
    return await _IDENTITY[0](dossier)
