"""Staff administration (issue 17): an officer's role within the agency (official, lead, agency administrator),
whether the account is active (deactivated officials cannot sign in or act), the official a dossier is assigned
to, and the append-only staff audit log (a trigger refuses any UPDATE of its rows; its foreign keys refuse deleting
an account or agency it names). Officers from before become officials. Written by hand for SQLite and
PostgreSQL; no MODELS_STATE: aerich records the models as they are when it applies this migration."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

_COMMON_UP = """
        ALTER TABLE "user_account" ADD "agency_role" VARCHAR(16);
        ALTER TABLE "user_account" ADD "active" BOOL NOT NULL DEFAULT TRUE;
        UPDATE "user_account" SET "agency_role" = 'official' WHERE "role" = 'officer';
        CREATE INDEX IF NOT EXISTS "idx_dossier_assignee" ON "dossier" ("assignee_id", "agency_id");
        CREATE INDEX IF NOT EXISTS "idx_staff_change_agency" ON "staff_change" ("agency_id", "id");
        CREATE INDEX IF NOT EXISTS "idx_staff_change_actor" ON "staff_change" ("actor_id");
        CREATE INDEX IF NOT EXISTS "idx_staff_change_target" ON "staff_change" ("target_id");"""

SQLITE_UP = """
        ALTER TABLE "user_account" ADD "deactivated_at" TIMESTAMP;
        ALTER TABLE "dossier" ADD "assignee_id" INT REFERENCES "user_account" ("id") ON DELETE SET NULL;
        CREATE TABLE IF NOT EXISTS "staff_change" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "actor_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE RESTRICT,
    "agency_id" INT NOT NULL REFERENCES "agency" ("id") ON DELETE RESTRICT,
    "target_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE RESTRICT,
    "action" VARCHAR(16) NOT NULL,
    "before" JSON,
    "after" JSON NOT NULL,
    "created_at" TIMESTAMP NOT NULL
);
        CREATE TRIGGER IF NOT EXISTS "staff_change_append_only" BEFORE UPDATE ON "staff_change"
        BEGIN SELECT RAISE(ABORT, 'staff_change is append-only'); END;""" + _COMMON_UP

POSTGRES_UP = """
        ALTER TABLE "user_account" ADD "deactivated_at" TIMESTAMPTZ;
        ALTER TABLE "dossier" ADD "assignee_id" INT;
        ALTER TABLE "dossier" ADD CONSTRAINT "fk_dossier_assignee" FOREIGN KEY ("assignee_id") REFERENCES "user_account" ("id") ON DELETE SET NULL;
        CREATE TABLE IF NOT EXISTS "staff_change" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "actor_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE RESTRICT,
    "agency_id" INT NOT NULL REFERENCES "agency" ("id") ON DELETE RESTRICT,
    "target_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE RESTRICT,
    "action" VARCHAR(16) NOT NULL,
    "before" JSONB,
    "after" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
        CREATE OR REPLACE FUNCTION "staff_change_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'staff_change is append-only'; END $$;
        CREATE TRIGGER "staff_change_append_only" BEFORE UPDATE ON "staff_change"
        FOR EACH ROW EXECUTE FUNCTION "staff_change_append_only"();""" + _COMMON_UP

SQLITE_DOWN = """
        DROP TABLE IF EXISTS "staff_change";
        DROP INDEX IF EXISTS "idx_dossier_assignee";
        ALTER TABLE "dossier" DROP COLUMN "assignee_id";
        ALTER TABLE "user_account" DROP COLUMN "deactivated_at";
        ALTER TABLE "user_account" DROP COLUMN "active";
        ALTER TABLE "user_account" DROP COLUMN "agency_role";"""

POSTGRES_DOWN = """
        DROP TABLE IF EXISTS "staff_change";
        DROP FUNCTION IF EXISTS "staff_change_append_only"();
        DROP INDEX IF EXISTS "idx_dossier_assignee";
        ALTER TABLE "dossier" DROP CONSTRAINT IF EXISTS "fk_dossier_assignee";
        ALTER TABLE "dossier" DROP COLUMN "assignee_id";
        ALTER TABLE "user_account" DROP COLUMN "deactivated_at";
        ALTER TABLE "user_account" DROP COLUMN "active";
        ALTER TABLE "user_account" DROP COLUMN "agency_role";"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES_UP if db.capabilities.dialect == "postgres" else SQLITE_UP


async def downgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES_DOWN if db.capabilities.dialect == "postgres" else SQLITE_DOWN
