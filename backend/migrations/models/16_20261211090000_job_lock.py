"""``job_lock``: on SQLite, which has no advisory locks, the row that lets one process at a time run a periodic
job (``backend/notifications/job_lock.py``). PostgreSQL uses advisory locks and never writes it; the table is
created there too, so both engines have one schema. No MODELS_STATE: not a Tortoise model."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

UP = """
CREATE TABLE IF NOT EXISTS "job_lock" (
    "name" VARCHAR(100) NOT NULL PRIMARY KEY,
    "holder" VARCHAR(32) NOT NULL,
    "expires_at" DOUBLE PRECISION NOT NULL
);"""

DOWN = """
DROP TABLE IF EXISTS "job_lock";"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UP


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWN
