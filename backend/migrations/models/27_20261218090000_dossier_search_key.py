"""The desk's search (issue 22): ``dossier.search_key``, a sent dossier's code, applicant (name and phone) and the
names in its answers, lower case without accents, as ``backend.dossiers.listing.search_key`` writes it at sending.
Dossiers already sent get theirs here, computed in Python (SQLite cannot strip accents); the folding is copied so
this migration keeps meaning what it meant. The same SQL on SQLite and PostgreSQL. No MODELS_STATE."""

import json
import re
import unicodedata

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True
BATCH = 1000
_NON_WORD = re.compile(r"[^\w]+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    return _NON_WORD.sub(" ", "".join(ch for ch in decomposed if not unicodedata.combining(ch))).strip()


def _key(code: str, name: str, phone: str, answers: dict) -> str:
    names = [value for key, value in answers.items() if key.endswith("name") and isinstance(value, str)]
    parts = [code, name or "", phone, "0" + phone[2:] if phone.startswith("84") else "", *names]
    return _fold(" ".join(parts))[:500]


async def upgrade(db: BaseDBAsyncClient) -> str:
    postgres = db.capabilities.dialect == "postgres"
    await db.execute_script('ALTER TABLE "dossier" ADD "search_key" VARCHAR(500) NOT NULL DEFAULT \'\';')
    update = 'UPDATE "dossier" SET "search_key" = {} WHERE "id" = {}'.format(*(("$1", "$2") if postgres else "??"))
    last = 0
    while True:
        _, rows = await db.execute_query(
            'SELECT d.id, d.code, d.answers, u.full_name, u.phone FROM "dossier" d'
            ' JOIN "user_account" u ON u.id = d.applicant_id'
            f" WHERE d.status <> 'draft' AND d.id > {int(last)} ORDER BY d.id LIMIT {BATCH}"
        )
        if not rows:
            return "SELECT 1;"
        keys = []
        for row in rows:
            answers = row["answers"] if isinstance(row["answers"], dict) else json.loads(row["answers"] or "{}")
            keys.append([_key(row["code"], row["full_name"], row["phone"], answers), row["id"]])
        await db.execute_many(update, keys)
        last = rows[-1]["id"]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return 'ALTER TABLE "dossier" DROP COLUMN "search_key";'
