"""Statistics by channel (issue 20, item 7): the daily and monthly roll-ups count how each dossier sent was filed,
online by the citizen, with a helper at a post office, or with a helper at a commune (``dossier.channel``). Every
dossier counted before was filed by its citizen: the new count starts equal to ``filed_online``. The same SQL on
SQLite and PostgreSQL. No MODELS_STATE.

Also ``result_collection`` (``assisted.models.ResultCollection``): a paper result collected at the service point its
dossier was filed at, with a handover code (item 5), and an index on each of its foreign keys."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True
TABLES = ("stat_daily", "stat_monthly")
COLUMNS = ("filed_by_citizen", "filed_at_post_office", "filed_at_commune")




def _collection(serial: str, timestamp: str) -> str:
    return f"""
CREATE TABLE IF NOT EXISTS "result_collection" (
    "id" {serial},
    "nonce" VARCHAR(32) NOT NULL,
    "code_hash" VARCHAR(200) NOT NULL,
    "failures" INT NOT NULL DEFAULT 0,
    "arrived_at" {timestamp} NOT NULL,
    "collected_at" {timestamp},
    "dossier_id" INT NOT NULL UNIQUE REFERENCES "dossier" ("id") ON DELETE RESTRICT,
    "service_point_id" INT NOT NULL REFERENCES "service_point" ("id") ON DELETE RESTRICT,
    "received_by_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE RESTRICT,
    "handed_by_id" INT REFERENCES "user_account" ("id") ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS "idx_result_collection_point" ON "result_collection" ("service_point_id", "collected_at");
CREATE INDEX IF NOT EXISTS "idx_result_collection_received_by" ON "result_collection" ("received_by_id");
CREATE INDEX IF NOT EXISTS "idx_result_collection_handed_by" ON "result_collection" ("handed_by_id");"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    postgres = db.capabilities.dialect == "postgres"
    serial = "SERIAL NOT NULL PRIMARY KEY" if postgres else "INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL"
    collection = _collection(serial, "TIMESTAMPTZ" if postgres else "TIMESTAMP")
    added = [f'ALTER TABLE "{table}" ADD "{column}" INT NOT NULL DEFAULT 0;' for table in TABLES for column in COLUMNS]
    filled = [f'UPDATE "{table}" SET "filed_by_citizen" = "filed_online";' for table in TABLES]
    return "\n".join(added + filled) + collection


async def downgrade(db: BaseDBAsyncClient) -> str:
    dropped = [f'ALTER TABLE "{table}" DROP COLUMN "{column}";' for table in TABLES for column in COLUMNS]
    return "\n".join(['DROP TABLE IF EXISTS "result_collection";', *dropped])
