"""The catalogue as the test session loaded it, put back before a test when an earlier one published, restored or
created a procedure version (the catalogue is loaded once per session: issue 18's versions outlive a test)."""

from __future__ import annotations

from tortoise import connections

from backend.catalogue import versions
from backend.catalogue.live import make_live
from backend.catalogue.models import Procedure, ProcedureVersion
from backend.catalogue.search import unindex

_loaded: dict[str, tuple[dict[int, str], set[str]]] = {}  # database URL -> (version id -> state, procedure codes)


async def remember(url: str) -> None:
    """Right after the catalogue is loaded."""
    _loaded[url] = (dict(await ProcedureVersion.all().values_list("id", "state")),
                    set(await Procedure.all().values_list("code", flat=True)))


async def put_back(url: str) -> None:
    """Undo every version change since ``remember`` (one small query when there is none)."""
    states, codes = _loaded[url]
    now = await ProcedureVersion.all().values_list("id", "state", "procedure_code")
    touched = {code for id_, state, code in now if states.get(id_) != state}  # added, or published or archived
    if not touched and len(now) == len(states):
        return
    conn = connections.get("default")
    added = ProcedureVersion.exclude(id__in=list(states))
    await added.delete()
    for state in set(states.values()):
        await ProcedureVersion.filter(id__in=[i for i, s in states.items() if s == state]).update(state=state)
    new = set(await Procedure.all().values_list("code", flat=True)) - codes
    for live in await ProcedureVersion.filter(procedure_code__in=list(touched - new), state="published"):
        await make_live(live.document, conn, version=live.number)
    if new:
        await unindex(list(await Procedure.filter(code__in=list(new)).values_list("id", flat=True)), conn)
        await Procedure.filter(code__in=list(new)).delete()
    versions.forget()
