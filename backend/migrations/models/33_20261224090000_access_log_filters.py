"""The agency lead's access-log filters (issue 21): one official's accesses newest first (``actor_id, at`` replaces
the foreign key's own index, which it covers) and flagged rows alone (a partial index: flags are rare, so the
agency's index would read back through its whole log to fill one page). The same SQL on SQLite and PostgreSQL."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
CREATE INDEX IF NOT EXISTS "idx_access_log_actor_at" ON "access_log" ("actor_id", "at");
DROP INDEX IF EXISTS "idx_access_log_actor";
CREATE INDEX IF NOT EXISTS "idx_access_log_flagged" ON "access_log" ("agency_id", "at") WHERE "flagged" = TRUE;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
DROP INDEX IF EXISTS "idx_access_log_flagged";
CREATE INDEX IF NOT EXISTS "idx_access_log_actor" ON "access_log" ("actor_id");
DROP INDEX IF EXISTS "idx_access_log_actor_at";"""
