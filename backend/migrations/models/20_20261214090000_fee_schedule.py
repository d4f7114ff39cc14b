"""``procedure.fee_schedule`` (issue 18): the fee schedule as published (a fixed amount, a charge per copy or page
counted from an answer, reduced or exempt groups with their proof). ``fee`` and ``fee_options`` stay, filled from
it by the catalogue loader. The same SQL on SQLite and PostgreSQL but for the JSON type. No MODELS_STATE."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    json = "JSONB" if db.capabilities.dialect == "postgres" else "JSON"
    return f'ALTER TABLE "procedure" ADD "fee_schedule" {json};'


async def downgrade(db: BaseDBAsyncClient) -> str:
    return 'ALTER TABLE "procedure" DROP COLUMN "fee_schedule";'
