"""Catalogue search in the database (issue 15): SQLite keeps an FTS5 table, PostgreSQL ``tsvector`` columns
with GIN indexes (no pending list: the catalogue changes seldom, and a long one misleads the planner); both keep
each Latin word once, for the nearest word to a typo (pg_trgm finds it on PostgreSQL). Only published
procedures are indexed. An index on (published, code) lists the catalogue a page at a time without a search.
The words are folded and cut in Python (``backend/catalogue/search.py``), the same for both engines; the
application fills the index when the catalogue loads, and at startup when it does not hold every procedure.
No MODELS_STATE: none of these tables is a Tortoise model."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE_UP = """
        CREATE VIRTUAL TABLE IF NOT EXISTS "procedure_fts" USING fts5(title, body, tokenize = 'ascii');
CREATE TABLE IF NOT EXISTS "search_term" ("term" VARCHAR(100) NOT NULL PRIMARY KEY) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS "idx_procedure_published_code" ON "procedure" ("published", "code");"""

POSTGRES_UP = """
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE IF NOT EXISTS "procedure_search" (
    "procedure_id" INT NOT NULL PRIMARY KEY REFERENCES "procedure" ("id") ON DELETE CASCADE,
    "title" TSVECTOR NOT NULL,
    "body" TSVECTOR NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_procedure_search_title" ON "procedure_search" USING GIN ("title")
    WITH (fastupdate = off);
CREATE INDEX IF NOT EXISTS "idx_procedure_search_body" ON "procedure_search" USING GIN ("body") WITH (fastupdate = off);
CREATE TABLE IF NOT EXISTS "search_term" ("term" VARCHAR(100) NOT NULL PRIMARY KEY);
CREATE INDEX IF NOT EXISTS "idx_search_term_trgm" ON "search_term" USING GIN ("term" gin_trgm_ops);
CREATE INDEX IF NOT EXISTS "idx_procedure_published_code" ON "procedure" ("published", "code");
COMMENT ON TABLE "procedure_search" IS 'Words of each published procedure, with positions: titles, and all its text.';
COMMENT ON TABLE "search_term" IS 'Every Latin word indexed, for the nearest word to a typo.';"""

SQLITE_DOWN = """
        DROP INDEX IF EXISTS "idx_procedure_published_code";
DROP TABLE IF EXISTS "search_term";
DROP TABLE IF EXISTS "procedure_fts";"""

POSTGRES_DOWN = """
        DROP INDEX IF EXISTS "idx_procedure_published_code";
DROP TABLE IF EXISTS "search_term";
DROP TABLE IF EXISTS "procedure_search";"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES_UP if db.capabilities.dialect == "postgres" else SQLITE_UP


async def downgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES_DOWN if db.capabilities.dialect == "postgres" else SQLITE_DOWN
