"""Personal data (issue 21): ``access_log`` (who opened a citizen's data, append-only), ``data_export`` (a
citizen's download, built in the background) and ``closure_request`` (closing an account: due date, state, handler,
what was kept and erased). A pre-fill consent can be withdrawn (``prefill_consent.withdrawn_at``) and an account
closed (``user_account.closed_at``). An index on every foreign key, by the names the models declare. No
MODELS_STATE."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


def _up(serial: str, big_serial: str, timestamp: str) -> str:
    return f"""
CREATE TABLE IF NOT EXISTS "access_log" (
    "id" {big_serial},
    "actor_name" VARCHAR(200) NOT NULL DEFAULT '',
    "actor_role" VARCHAR(16) NOT NULL,
    "dossier_id" INT,
    "what" VARCHAR(16) NOT NULL,
    "reason" VARCHAR(64) NOT NULL,
    "flagged" BOOL NOT NULL DEFAULT FALSE,
    "at" {timestamp} NOT NULL,
    "citizen_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE RESTRICT,
    "actor_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE RESTRICT,
    "agency_id" INT REFERENCES "agency" ("id") ON DELETE RESTRICT
);
CREATE TABLE IF NOT EXISTS "data_export" (
    "id" {serial},
    "state" VARCHAR(12) NOT NULL DEFAULT 'queued',
    "progress" INT NOT NULL DEFAULT 0,
    "token_hash" VARCHAR(200) NOT NULL DEFAULT '',
    "storage_name" VARCHAR(128) NOT NULL DEFAULT '',
    "size" INT NOT NULL DEFAULT 0,
    "requested_at" {timestamp} NOT NULL,
    "started_at" {timestamp},
    "ready_at" {timestamp},
    "expires_at" {timestamp},
    "downloaded_at" {timestamp},
    "claimed_by" VARCHAR(64) NOT NULL DEFAULT '',
    "claimed_until" {timestamp},
    "error" TEXT NOT NULL DEFAULT '',
    "user_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "closure_request" (
    "id" {serial},
    "state" VARCHAR(12) NOT NULL DEFAULT 'received',
    "requested_at" {timestamp} NOT NULL,
    "due_on" DATE NOT NULL,
    "done_at" {timestamp},
    "note" TEXT NOT NULL DEFAULT '',
    "kept" JSON NOT NULL,
    "erased" JSON NOT NULL,
    "user_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE RESTRICT,
    "handler_id" INT REFERENCES "user_account" ("id") ON DELETE SET NULL
);
ALTER TABLE "prefill_consent" ADD "withdrawn_at" {timestamp};
ALTER TABLE "user_account" ADD "closed_at" {timestamp};
CREATE INDEX IF NOT EXISTS "idx_access_log_citizen" ON "access_log" ("citizen_id", "at");
CREATE INDEX IF NOT EXISTS "idx_access_log_agency" ON "access_log" ("agency_id", "at");
CREATE INDEX IF NOT EXISTS "idx_access_log_actor" ON "access_log" ("actor_id");
CREATE INDEX IF NOT EXISTS "idx_access_log_dossier" ON "access_log" ("dossier_id");
CREATE INDEX IF NOT EXISTS "idx_data_export_user" ON "data_export" ("user_id", "id");
CREATE INDEX IF NOT EXISTS "idx_data_export_state" ON "data_export" ("state", "id");
CREATE INDEX IF NOT EXISTS "idx_closure_request_user" ON "closure_request" ("user_id");
CREATE INDEX IF NOT EXISTS "idx_closure_request_state" ON "closure_request" ("state", "due_on");
CREATE INDEX IF NOT EXISTS "idx_closure_request_handler" ON "closure_request" ("handler_id");"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    if db.capabilities.dialect == "postgres":
        return _up("SERIAL NOT NULL PRIMARY KEY", "BIGSERIAL NOT NULL PRIMARY KEY", "TIMESTAMPTZ")
    return _up(*["INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL"] * 2, "TIMESTAMP")


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
ALTER TABLE "user_account" DROP COLUMN "closed_at";
ALTER TABLE "prefill_consent" DROP COLUMN "withdrawn_at";
DROP TABLE IF EXISTS "closure_request";
DROP TABLE IF EXISTS "data_export";
DROP TABLE IF EXISTS "access_log";"""
