"""Load the catalogue (the agency directory and the procedures) from the data files; safe to run again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from backend.catalogue import agencies as directory_index
from backend.catalogue import directory, versions
from backend.catalogue.document import document_problems
from backend.catalogue.live import PROCEDURE_FIELDS, make_live_all
from backend.catalogue.models import Agency
from backend.core.units import fold

__all__ = ["PROCEDURE_FIELDS", "load_catalogue", "problems", "read_procedures"]

DATA_DIR = Path(__file__).parent / "data"
PROCEDURES_DIR = "procedures"  # one file per procedure, named by its code
AGENCY_FIELDS = ("name", "level", "kind", "parent_id", "province_code", "unit_code", "address", "hours", "search_key")


async def load_catalogue(data_dir: Path = DATA_DIR) -> tuple[int, int]:
    """Create or update every agency and procedure; returns how many of each. A procedure file new or changed
    since it was last read becomes a new published version (``versions.record_files``) and the live procedure;
    an unchanged one leaves the procedure as it is (an administrator may have published a later version)."""
    agencies = directory.build(data_dir)
    procedures = read_procedures(data_dir)
    for item in procedures:
        if found := problems(item):
            raise ValueError(f"Procedure {item['code']}: {'; '.join(found)}")
    async with in_transaction() as conn:
        await _sync_agencies(agencies, conn)
        await make_live_all(await versions.record_files(procedures, conn), conn)
    directory_index.forget()
    return len(agencies), len(procedures)


def problems(item: dict[str, Any]) -> list[str]:
    """What the catalogue refuses in a procedure document (``document.document_problems``: its schema, filing
    level and kind, ``offered_by``, fee schedule, result template, form), each naming its place."""
    return [problem.message for problem in document_problems(item)]


def read_procedures(data_dir: Path = DATA_DIR) -> list[dict[str, Any]]:
    """Every procedure of the catalogue's files (``data/procedures/<code>.json``), in the order of their codes."""
    files = sorted((data_dir / PROCEDURES_DIR).glob("*.json"))
    return [json.loads(path.read_text(encoding="utf-8")) for path in files]


async def _sync_agencies(rows: list[dict[str, Any]], conn: BaseDBAsyncClient) -> None:
    """Insert the new agencies and update the changed ones in a few bulk statements (3,400 communes and more:
    one query per row would take seconds); an agency's ``active`` flag is the administrators', never touched."""
    existing = {a.code: a for a in await Agency.all().using_db(conn)}
    ids = {code: agency.id for code, agency in existing.items()}
    pending, changed = rows, []
    while pending:  # each round: the rows whose parent exists by now (ministries and provinces first)
        ready = [row for row in pending if row["parent"] is None or row["parent"] in ids]
        if not ready:
            raise ValueError(f"Agencies with an unknown parent: {sorted(r['code'] for r in pending)[:5]}")
        pending = [row for row in pending if row["parent"] is not None and row["parent"] not in ids]
        new = []
        for row in ready:
            values = _values(row, ids)
            agency = existing.get(row["code"])
            if agency is None:
                new.append(Agency(code=row["code"], **values))
            elif any(getattr(agency, key) != value for key, value in values.items()):
                agency.update_from_dict(values)
                changed.append(agency)
        if new:
            await Agency.bulk_create(new, batch_size=500, using_db=conn)
            created = Agency.filter(code__in=[a.code for a in new]).using_db(conn)
            ids |= dict(await created.values_list("code", "id"))
    if changed:
        await Agency.bulk_update(changed, fields=list(AGENCY_FIELDS), batch_size=500, using_db=conn)


def _values(row: dict[str, Any], ids: dict[str, int]) -> dict[str, Any]:
    words = " ".join(dict.fromkeys([fold(text) for text in row["name"].values()] + [row["code"].lower()]))
    return {
        "name": row["name"],
        "level": row["level"],
        "kind": row["kind"],
        "parent_id": ids[row["parent"]] if row["parent"] else None,
        "province_code": row.get("province_code"),
        "unit_code": row.get("unit_code"),
        "address": row.get("address"),
        "hours": row.get("hours"),
        "search_key": words[:255],
    }
