"""Load the catalogue (the agency directory and the procedures) from the data files; safe to run again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from backend.catalogue import agencies as directory_index
from backend.catalogue import directory, search
from backend.catalogue.fees import from_schedule, schedule_problems
from backend.catalogue.models import FILING_LEVELS, LEVELS, Agency, Procedure
from backend.catalogue.result_templates import template_problems
from backend.catalogue.services import search_text, search_tokens
from backend.core.units import fold

DATA_DIR = Path(__file__).parent / "data"
PROCEDURES_DIR = "procedures"  # one file per procedure, named by its code
PROCEDURE_FIELDS = (
    "title",
    "summary",
    "applicants",
    "documents",
    "form",
    "fee_note",
    "processing_days",
    "result_forms",
    "full_online",
    "legal_basis",
    "faq",
    "life_events",
    "filing_level",
    "filing_kind",
    "offered_by",
    "province_terms",
)
AGENCY_FIELDS = ("name", "level", "kind", "parent_id", "province_code", "unit_code", "address", "hours", "search_key")


async def load_catalogue(data_dir: Path = DATA_DIR) -> tuple[int, int]:
    """Create or update every agency and procedure; returns how many of each."""
    agencies = directory.build(data_dir)
    procedures = read_procedures(data_dir)
    for item in procedures:
        if item.get("filing_level") not in FILING_LEVELS or not item.get("filing_kind"):
            raise ValueError(f"Procedure {item['code']}: filing_level one of {FILING_LEVELS}, and a filing_kind")
        for entry in item.get("offered_by") or ():  # an agency code, or "level:kind" (every such agency)
            level, colon, kind = entry.partition(":")
            if colon and (level not in LEVELS or not kind):
                raise ValueError(f"Procedure {item['code']}: offered_by {entry!r}: a level is one of {LEVELS}")
        if problems := schedule_problems(item) + template_problems(item):
            raise ValueError(f"Procedure {item['code']}: {'; '.join(problems)}")
    async with in_transaction() as conn:
        await _sync_agencies(agencies, conn)
        owners = Agency.filter(code__in=[item["agency"] for item in procedures]).using_db(conn)
        by_code = {agency.code: agency for agency in await owners}
        indexed = []
        for item in procedures:
            agency = by_code[item["agency"]]
            title, body = search_tokens(item, agency.name)
            defaults = {key: item.get(key) for key in PROCEDURE_FIELDS} | from_schedule(item)
            defaults["result_template"] = item.get("result")
            defaults |= {"agency": agency, "search_text": search_text(body), "published": True}
            procedure, _ = await Procedure.update_or_create(defaults=defaults, code=item["code"], using_db=conn)
            indexed.append((procedure.id, title, body))
        await search.index(indexed, conn)  # in the same transaction: the index never lags the catalogue
    directory_index.forget()
    return len(agencies), len(procedures)


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
