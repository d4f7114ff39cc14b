"""Rate limits kept in the database (issue 14): one counter per key and time window, written by one atomic
insert-or-increment, deleted once its window has ended. SQL for SQLite and PostgreSQL. No MODELS_STATE: aerich
then records the models as they are when it applies this migration."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE_UP = """
        CREATE TABLE IF NOT EXISTS "rate_counter" (
    "bucket" VARCHAR(191) NOT NULL PRIMARY KEY,
    "hits" INT NOT NULL,
    "expires_at" BIGINT NOT NULL
) /* Requests counted for one key (an address, a network, a phone number, an account) in one window. */;
CREATE INDEX IF NOT EXISTS "idx_rate_counte_expires_3b5f0e" ON "rate_counter" ("expires_at");"""

POSTGRES_UP = """
        CREATE TABLE IF NOT EXISTS "rate_counter" (
    "bucket" VARCHAR(191) NOT NULL PRIMARY KEY,
    "hits" INT NOT NULL,
    "expires_at" BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_rate_counte_expires_3b5f0e" ON "rate_counter" ("expires_at");
COMMENT ON TABLE "rate_counter" IS 'Requests counted for one key (an address, a network, a phone number, an account) in one window.';"""

DOWN = """
        DROP TABLE IF EXISTS "rate_counter";"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES_UP if db.capabilities.dialect == "postgres" else SQLITE_UP


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWN
