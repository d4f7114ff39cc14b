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


Reader = Callable[[Dossier], Awaitable[list[Note]]]
_READERS: dict[str, Reader] = {}


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
