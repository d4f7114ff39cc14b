"""Statistics by channel (issue 20, item 7): the daily and monthly roll-ups count how each dossier sent was filed,
online by the citizen, with a helper at a post office, or with a helper at a commune (``dossier.channel``). Every
dossier counted before was filed by its citizen: the new count starts equal to ``filed_online``. The same SQL on
SQLite and PostgreSQL. No MODELS_STATE: the tables are not Tortoise models."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True
TABLES = ("stat_daily", "stat_monthly")
COLUMNS = ("filed_by_citizen", "filed_at_post_office", "filed_at_commune")


async def upgrade(db: BaseDBAsyncClient) -> str:
    added = [f'ALTER TABLE "{table}" ADD "{column}" INT NOT NULL DEFAULT 0;' for table in TABLES for column in COLUMNS]
    filled = [f'UPDATE "{table}" SET "filed_by_citizen" = "filed_online";' for table in TABLES]
    return "\n".join(added + filled)


async def downgrade(db: BaseDBAsyncClient) -> str:
    return "\n".join(f'ALTER TABLE "{table}" DROP COLUMN "{column}";' for table in TABLES for column in COLUMNS)
