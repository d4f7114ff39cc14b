"""The desk's *New* and *Awaiting supplement* views in their order, from small partial indexes (issue 15).

*New* lists an agency's submitted dossiers oldest first (``submitted_at``), *Awaiting supplement* by when they
changed (``updated_at``); ``idx_dossier_queue`` gives neither order, so PostgreSQL read every such dossier of the
agency and sorted them before showing 50. Each index holds only the dossiers in its status (a few per cent of the
table), so it stays small and costs a write only when a dossier enters or leaves that status.

On a large existing PostgreSQL database, build these first with ``CREATE INDEX CONCURRENTLY`` under the same
names: ``IF NOT EXISTS`` then skips them here."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

UP = """
CREATE INDEX IF NOT EXISTS "idx_dossier_new" ON "dossier" ("agency_id", "submitted_at", "id")
    WHERE "status" = 'submitted';
CREATE INDEX IF NOT EXISTS "idx_dossier_supplement" ON "dossier" ("agency_id", "updated_at", "id")
    WHERE "status" = 'supplement_requested';"""

DOWN = """
DROP INDEX IF EXISTS "idx_dossier_new";
DROP INDEX IF EXISTS "idx_dossier_supplement";"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UP


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWN
