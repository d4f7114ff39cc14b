"""Assisted filing (issue 20): ``service_point`` (a post office, a commune's one-stop desk or community team),
``helper_post`` (an account made a helper at one), ``assist_consent`` (a citizen's consent to one helper for one
procedure's dossier) and ``assist_event`` (the record, append-only). A dossier says how it was filed
(``channel``) and where (``service_point_id``); a payment says whether it was cash at a counter (``method``,
``service_point_id``, ``handed_over_at``). An index on every foreign key, by the names the models declare. The same
SQL on SQLite and PostgreSQL but for the key and time types. No MODELS_STATE."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


def _up(serial: str, timestamp: str) -> str:
    return f"""
CREATE TABLE IF NOT EXISTS "service_point" (
    "id" {serial},
    "code" VARCHAR(40) NOT NULL UNIQUE,
    "kind" VARCHAR(16) NOT NULL,
    "name" JSON NOT NULL,
    "address" JSON NOT NULL,
    "active" BOOL NOT NULL DEFAULT TRUE,
    "created_at" {timestamp} NOT NULL,
    "agency_id" INT REFERENCES "agency" ("id") ON DELETE RESTRICT
);
CREATE TABLE IF NOT EXISTS "helper_post" (
    "id" {serial},
    "appointed_at" {timestamp} NOT NULL,
    "ended_at" {timestamp},
    "user_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE RESTRICT,
    "service_point_id" INT NOT NULL REFERENCES "service_point" ("id") ON DELETE RESTRICT,
    "appointed_by_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE RESTRICT
);
CREATE TABLE IF NOT EXISTS "assist_consent" (
    "id" {serial},
    "method" VARCHAR(12) NOT NULL,
    "state" VARCHAR(12) NOT NULL DEFAULT 'asked',
    "code_hash" VARCHAR(200) NOT NULL DEFAULT '',
    "code_expires_at" {timestamp},
    "code_attempts" INT NOT NULL DEFAULT 0,
    "identity_document" VARCHAR(20) NOT NULL DEFAULT '',
    "identity_scan" VARCHAR(128) NOT NULL DEFAULT '',
    "granted_at" {timestamp},
    "expires_at" {timestamp},
    "declare_token_hash" VARCHAR(200) NOT NULL DEFAULT '',
    "declare_code_hash" VARCHAR(200) NOT NULL DEFAULT '',
    "declare_attempts" INT NOT NULL DEFAULT 0,
    "declared_at" {timestamp},
    "ended_at" {timestamp},
    "created_at" {timestamp} NOT NULL,
    "helper_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE RESTRICT,
    "service_point_id" INT NOT NULL REFERENCES "service_point" ("id") ON DELETE RESTRICT,
    "citizen_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE RESTRICT,
    "procedure_id" INT NOT NULL REFERENCES "procedure" ("id") ON DELETE RESTRICT,
    "dossier_id" INT REFERENCES "dossier" ("id") ON DELETE SET NULL,
    "ended_by_id" INT REFERENCES "user_account" ("id") ON DELETE SET NULL
);
CREATE TABLE IF NOT EXISTS "assist_event" (
    "id" {serial},
    "dossier_id" INT,
    "action" VARCHAR(32) NOT NULL,
    "detail" JSON NOT NULL,
    "at" {timestamp} NOT NULL,
    "consent_id" INT REFERENCES "assist_consent" ("id") ON DELETE RESTRICT,
    "helper_id" INT REFERENCES "user_account" ("id") ON DELETE SET NULL
);
ALTER TABLE "dossier" ADD "channel" VARCHAR(16) NOT NULL DEFAULT 'online';
ALTER TABLE "dossier" ADD "service_point_id" INT REFERENCES "service_point" ("id") ON DELETE RESTRICT;
ALTER TABLE "payment" ADD "method" VARCHAR(8) NOT NULL DEFAULT 'gateway';
ALTER TABLE "payment" ADD "service_point_id" INT REFERENCES "service_point" ("id") ON DELETE RESTRICT;
ALTER TABLE "payment" ADD "handed_over_at" {timestamp};
CREATE INDEX IF NOT EXISTS "idx_service_point_agency" ON "service_point" ("agency_id");
CREATE INDEX IF NOT EXISTS "idx_helper_post_user" ON "helper_post" ("user_id", "ended_at");
CREATE INDEX IF NOT EXISTS "idx_helper_post_point" ON "helper_post" ("service_point_id");
CREATE INDEX IF NOT EXISTS "idx_helper_post_appointed_by" ON "helper_post" ("appointed_by_id");
CREATE INDEX IF NOT EXISTS "idx_assist_consent_helper" ON "assist_consent" ("helper_id", "state");
CREATE INDEX IF NOT EXISTS "idx_assist_consent_citizen" ON "assist_consent" ("citizen_id", "state");
CREATE INDEX IF NOT EXISTS "idx_assist_consent_dossier" ON "assist_consent" ("dossier_id");
CREATE INDEX IF NOT EXISTS "idx_assist_consent_point" ON "assist_consent" ("service_point_id");
CREATE INDEX IF NOT EXISTS "idx_assist_consent_procedure" ON "assist_consent" ("procedure_id");
CREATE INDEX IF NOT EXISTS "idx_assist_consent_ended_by" ON "assist_consent" ("ended_by_id");
CREATE INDEX IF NOT EXISTS "idx_assist_event_consent" ON "assist_event" ("consent_id");
CREATE INDEX IF NOT EXISTS "idx_assist_event_helper" ON "assist_event" ("helper_id", "at");
CREATE INDEX IF NOT EXISTS "idx_dossier_service_point" ON "dossier" ("service_point_id");
CREATE INDEX IF NOT EXISTS "idx_payment_service_point" ON "payment" ("service_point_id", "handed_over_at");"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    if db.capabilities.dialect == "postgres":
        return _up("SERIAL NOT NULL PRIMARY KEY", "TIMESTAMPTZ")
    return _up("INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL", "TIMESTAMP")


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
DROP INDEX IF EXISTS "idx_payment_service_point";
DROP INDEX IF EXISTS "idx_dossier_service_point";
ALTER TABLE "payment" DROP COLUMN "handed_over_at";
ALTER TABLE "payment" DROP COLUMN "service_point_id";
ALTER TABLE "payment" DROP COLUMN "method";
ALTER TABLE "dossier" DROP COLUMN "service_point_id";
ALTER TABLE "dossier" DROP COLUMN "channel";
DROP TABLE IF EXISTS "assist_event";
DROP TABLE IF EXISTS "assist_consent";
DROP TABLE IF EXISTS "helper_post";
DROP TABLE IF EXISTS "service_point";"""
