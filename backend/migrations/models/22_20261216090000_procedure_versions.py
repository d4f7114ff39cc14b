"""Versions of a procedure (issue 18, item 4): ``procedure_version`` keeps every document an administrator or a
file gave a procedure (drafts, the published one, the archived ones), ``procedure.version`` the live one's number,
``dossier.procedure_version`` the one a dossier was started on. Indexes as ``ProcedureVersion.Meta`` names them;
``created_by_id`` has no foreign key constraint (a procedure's history outlives accounts: see the model).
SQL for SQLite and PostgreSQL. No MODELS_STATE: aerich records the models as they are when it applies this."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

COMMENT = "Every version of a procedure document: drafts, the published one, the archived ones."
INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS "uid_procedure_version_number" ON "procedure_version" ("procedure_code", "number");
CREATE INDEX IF NOT EXISTS "idx_procedure_version_user" ON "procedure_version" ("created_by_id");
ALTER TABLE "procedure" ADD "version" INT NOT NULL DEFAULT 1;
ALTER TABLE "dossier" ADD "procedure_version" INT;"""

SQLITE_UP = f"""
        CREATE TABLE IF NOT EXISTS "procedure_version" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "procedure_code" VARCHAR(40) NOT NULL,
    "number" INT NOT NULL,
    "document" JSON NOT NULL,
    "digest" VARCHAR(64) NOT NULL,
    "state" VARCHAR(12) NOT NULL DEFAULT 'draft',
    "source" VARCHAR(12) NOT NULL DEFAULT 'editor',
    "note" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMP,
    "created_by_id" INT
) /* {COMMENT} */;{INDEXES}"""

POSTGRES_UP = f"""
        CREATE TABLE IF NOT EXISTS "procedure_version" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "procedure_code" VARCHAR(40) NOT NULL,
    "number" INT NOT NULL,
    "document" JSONB NOT NULL,
    "digest" VARCHAR(64) NOT NULL,
    "state" VARCHAR(12) NOT NULL DEFAULT 'draft',
    "source" VARCHAR(12) NOT NULL DEFAULT 'editor',
    "note" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ,
    "created_by_id" INT
);{INDEXES}
COMMENT ON TABLE "procedure_version" IS '{COMMENT}';"""

DOWN = """
        DROP TABLE IF EXISTS "procedure_version";
        ALTER TABLE "procedure" DROP COLUMN "version";
        ALTER TABLE "dossier" DROP COLUMN "procedure_version";"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES_UP if db.capabilities.dialect == "postgres" else SQLITE_UP


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWN
