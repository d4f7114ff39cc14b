"""``dossier_transfer`` (issue 17, item 5): a dossier sent on by the agency holding it to another one it found
competent, with who, when, why and the status it left. The dossier itself moves (its ``agency_id``); this row
is the history the sending agency keeps (its "Transferred out" list) and the one the citizen's pages show. An
index on every foreign key, declared by the same names in ``DossierTransfer.Meta``. SQL for SQLite and
PostgreSQL. No MODELS_STATE: aerich then records the models as they are when it applies this migration."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

COMMENT = "A dossier transferred by one agency to another, with the reason."
INDEXES = """
CREATE INDEX IF NOT EXISTS "idx_transfer_dossier" ON "dossier_transfer" ("dossier_id", "id");
CREATE INDEX IF NOT EXISTS "idx_transfer_from_agency" ON "dossier_transfer" ("from_agency_id", "at", "id");
CREATE INDEX IF NOT EXISTS "idx_transfer_to_agency" ON "dossier_transfer" ("to_agency_id");
CREATE INDEX IF NOT EXISTS "idx_transfer_official" ON "dossier_transfer" ("official_id");"""

SQLITE_UP = f"""
        CREATE TABLE IF NOT EXISTS "dossier_transfer" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "reason" TEXT NOT NULL,
    "from_status" VARCHAR(24) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "dossier_id" INT NOT NULL REFERENCES "dossier" ("id") ON DELETE CASCADE,
    "from_agency_id" INT NOT NULL REFERENCES "agency" ("id") ON DELETE RESTRICT,
    "to_agency_id" INT NOT NULL REFERENCES "agency" ("id") ON DELETE RESTRICT,
    "official_id" INT REFERENCES "user_account" ("id") ON DELETE SET NULL
) /* {COMMENT} */;{INDEXES}"""

POSTGRES_UP = f"""
        CREATE TABLE IF NOT EXISTS "dossier_transfer" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "reason" TEXT NOT NULL,
    "from_status" VARCHAR(24) NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "dossier_id" INT NOT NULL REFERENCES "dossier" ("id") ON DELETE CASCADE,
    "from_agency_id" INT NOT NULL REFERENCES "agency" ("id") ON DELETE RESTRICT,
    "to_agency_id" INT NOT NULL REFERENCES "agency" ("id") ON DELETE RESTRICT,
    "official_id" INT REFERENCES "user_account" ("id") ON DELETE SET NULL
);{INDEXES}
COMMENT ON TABLE "dossier_transfer" IS '{COMMENT}';"""

DOWN = """
        DROP TABLE IF EXISTS "dossier_transfer";"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES_UP if db.capabilities.dialect == "postgres" else SQLITE_UP


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWN
