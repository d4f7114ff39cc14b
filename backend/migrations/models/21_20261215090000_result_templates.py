"""Result templates (issue 18): ``procedure.result_template``, what a procedure's e-result shows (its lines, and
the fields an official fills at approval), and ``result.official_values``, what the official filled (registration
number, book, page...). The same SQL on SQLite and PostgreSQL but for the JSON type. No MODELS_STATE."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    json = "JSONB" if db.capabilities.dialect == "postgres" else "JSON"
    return f'ALTER TABLE "procedure" ADD "result_template" {json}; ALTER TABLE "result" ADD "official_values" {json};'


async def downgrade(db: BaseDBAsyncClient) -> str:
    return 'ALTER TABLE "procedure" DROP COLUMN "result_template"; ALTER TABLE "result" DROP COLUMN "official_values";'
