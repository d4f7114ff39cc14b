"""Public statistics (issue 19): the daily and monthly roll-ups of the Decision 766 index, the open-dossier
snapshot and the roll-up's watermark (``backend/statistics/rollup.py`` writes them; pages read nothing else). Plus
the indexes the roll-up's day windows read (dossiers by sending and settling time, ratings and fee payments by
time). The same SQL on SQLite and PostgreSQL. No MODELS_STATE: the tables are not Tortoise models."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

COUNTERS = """
    "received" INT NOT NULL DEFAULT 0,
    "filed_online" INT NOT NULL DEFAULT 0,
    "tracked_publicly" INT NOT NULL DEFAULT 0,
    "digital_documents" INT NOT NULL DEFAULT 0,
    "prefilled" INT NOT NULL DEFAULT 0,
    "fee_due" INT NOT NULL DEFAULT 0,
    "fee_paid_online" INT NOT NULL DEFAULT 0,
    "settled" INT NOT NULL DEFAULT 0,
    "settled_on_time" INT NOT NULL DEFAULT 0,
    "days_to_settle_sum" INT NOT NULL DEFAULT 0,
    "approved" INT NOT NULL DEFAULT 0,
    "digital_results" INT NOT NULL DEFAULT 0,
    "ratings_count" INT NOT NULL DEFAULT 0,
    "ratings_sum" INT NOT NULL DEFAULT 0"""

UP = f"""
CREATE TABLE IF NOT EXISTS "stat_daily" (
    "day" DATE NOT NULL,
    "agency_id" INT NOT NULL,
    "procedure_id" INT NOT NULL,{COUNTERS},
    PRIMARY KEY ("day", "agency_id", "procedure_id")
);
CREATE INDEX IF NOT EXISTS "idx_stat_daily_agency" ON "stat_daily" ("agency_id", "day");
CREATE TABLE IF NOT EXISTS "stat_monthly" (
    "month" DATE NOT NULL,
    "agency_id" INT NOT NULL,
    "province_code" VARCHAR(2),{COUNTERS},
    PRIMARY KEY ("month", "agency_id")
);
CREATE INDEX IF NOT EXISTS "idx_stat_monthly_agency" ON "stat_monthly" ("agency_id", "month");
CREATE INDEX IF NOT EXISTS "idx_stat_monthly_province" ON "stat_monthly" ("province_code", "month");
CREATE TABLE IF NOT EXISTS "stat_backlog" (
    "agency_id" INT NOT NULL,
    "procedure_id" INT NOT NULL,
    "open" INT NOT NULL DEFAULT 0,
    "overdue_open" INT NOT NULL DEFAULT 0,
    PRIMARY KEY ("agency_id", "procedure_id")
);
CREATE TABLE IF NOT EXISTS "stat_watermark" (
    "name" VARCHAR(40) NOT NULL PRIMARY KEY,
    "last_event_id" BIGINT NOT NULL DEFAULT 0,
    "last_day" DATE,
    "run_at" VARCHAR(40) NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS "idx_dossier_submitted_at" ON "dossier" ("submitted_at");
CREATE INDEX IF NOT EXISTS "idx_dossier_settled_at" ON "dossier" ("settled_at");
CREATE INDEX IF NOT EXISTS "idx_rating_created" ON "rating" ("created_at");"""

DOWN = """
DROP INDEX IF EXISTS "idx_rating_created";
DROP INDEX IF EXISTS "idx_dossier_settled_at";
DROP INDEX IF EXISTS "idx_dossier_submitted_at";
DROP TABLE IF EXISTS "stat_watermark";
DROP TABLE IF EXISTS "stat_backlog";
DROP TABLE IF EXISTS "stat_monthly";
DROP TABLE IF EXISTS "stat_daily";"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UP


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWN
