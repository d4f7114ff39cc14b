"""Load the catalogue (agencies and procedures) from JSON files; safe to run again."""

from __future__ import annotations

import json
from pathlib import Path

from tortoise.transactions import in_transaction

from backend.catalogue import search
from backend.catalogue.models import Agency, Procedure
from backend.catalogue.services import search_text, search_tokens

DATA_DIR = Path(__file__).parent / "data"
PROCEDURE_FIELDS = (
    "title",
    "summary",
    "applicants",
    "documents",
    "form",
    "fee",
    "fee_note",
    "fee_options",
    "processing_days",
    "result_forms",
    "full_online",
    "legal_basis",
    "faq",
    "life_events",
)


async def load_catalogue(data_dir: Path = DATA_DIR) -> tuple[int, int]:
    """Create or update every agency and procedure; returns how many of each."""
    agencies = json.loads((data_dir / "agencies.json").read_text(encoding="utf-8"))
    procedures = json.loads((data_dir / "procedures.json").read_text(encoding="utf-8"))
    async with in_transaction() as conn:
        by_code: dict[str, Agency] = {}
        for item in agencies:  # parents come before children in the file
            parent = by_code.get(item["parent"]) if item.get("parent") else None
            agency, _ = await Agency.update_or_create(
                defaults={"name": item["name"], "level": item["level"], "parent": parent},
                code=item["code"],
                using_db=conn,
            )
            by_code[item["code"]] = agency
        indexed = []
        for item in procedures:
            agency = by_code[item["agency"]]
            title, body = search_tokens(item, agency.name)
            defaults = {key: item.get(key) for key in PROCEDURE_FIELDS}
            defaults |= {"agency": agency, "search_text": search_text(body), "published": True}
            procedure, _ = await Procedure.update_or_create(defaults=defaults, code=item["code"], using_db=conn)
            indexed.append((procedure.id, title, body))
        await search.index(indexed, conn)  # in the same transaction: the index never lags the catalogue
    return len(agencies), len(procedures)
