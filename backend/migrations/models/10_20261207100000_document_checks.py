"""What the upload check found in each dossier document (issue 14, finding 1): the verdict on its signatures and
a small summary of them, computed once in a worker process when the file is uploaded, so the desk no longer
validates signatures on every view. NULL for documents uploaded before: the desk checks those once, then keeps
the answer. SQL for SQLite and PostgreSQL. No MODELS_STATE: aerich then records the models as they are when it
applies this migration."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE_UP = """
        ALTER TABLE "dossier_document" ADD "signature_verdict" VARCHAR(16);
        ALTER TABLE "dossier_document" ADD "signatures" JSON;"""

POSTGRES_UP = """
        ALTER TABLE "dossier_document" ADD "signature_verdict" VARCHAR(16);
        ALTER TABLE "dossier_document" ADD "signatures" JSONB;"""

DOWN = """
        ALTER TABLE "dossier_document" DROP COLUMN "signature_verdict";
        ALTER TABLE "dossier_document" DROP COLUMN "signatures";"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES_UP if db.capabilities.dialect == "postgres" else SQLITE_UP


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWN
