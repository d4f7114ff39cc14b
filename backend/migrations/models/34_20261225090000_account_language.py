"""The language a citizen last read the portal in (``user_account.language``): text messages and pushes that no
dossier carries a language for (a helper's consent code, a code to declare) go out in it. NULL: never seen a
page with a language since this migration (Vietnamese then). The same SQL on SQLite and PostgreSQL."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """ALTER TABLE "user_account" ADD "language" VARCHAR(8);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """ALTER TABLE "user_account" DROP COLUMN "language";"""
