"""Timeline rows get a kind (issue 16): ``status`` for a status change, ``event`` for anything else that happened
to the dossier (handed to the post, a delivery stage, a handover code...), which leaves its status as it was.
Until now those were written as a "change" from the status to itself, so the public status listed "approved"
again for each. Existing rows: the delivery ones (``action`` starting ``delivery_``, the only other events
written so far) become ``event``. The same SQL on SQLite and PostgreSQL. No MODELS_STATE: aerich then records the
models as they are when it applies this migration."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

UP = """
        ALTER TABLE "timeline_event" ADD "kind" VARCHAR(8) NOT NULL DEFAULT 'status';
        UPDATE "timeline_event" SET "kind" = 'event' WHERE "action" LIKE 'delivery\\_%' ESCAPE '\\';"""

DOWN = """
        ALTER TABLE "timeline_event" DROP COLUMN "kind";"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UP


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWN
