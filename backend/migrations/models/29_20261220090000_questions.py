"""Public questions and feedback (issue 19, items 5 and 6): ``question`` (asked by a citizen, answered by an agency
on a clock, published with consent and without personal details) and ``question_event`` (its record: classified,
answered, published, reassigned and hidden, with the reasons). A question's news goes through the same
notification outbox as a dossier's, so ``notification_outbox.dossier_id`` may now be empty: PostgreSQL drops the
NOT NULL; SQLite cannot, so its table is copied into one without it (same columns, same indexes). An index on
every foreign key, by the names ``Question.Meta`` declares. No MODELS_STATE."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

INDEXES = """
CREATE INDEX IF NOT EXISTS "idx_question_agency" ON "question" ("agency_id", "asked_on", "id");
CREATE INDEX IF NOT EXISTS "idx_question_asker" ON "question" ("asker_id");
CREATE INDEX IF NOT EXISTS "idx_question_procedure" ON "question" ("procedure_id");
CREATE INDEX IF NOT EXISTS "idx_question_dossier" ON "question" ("dossier_id");
CREATE INDEX IF NOT EXISTS "idx_question_answered_by" ON "question" ("answered_by_id");
CREATE INDEX IF NOT EXISTS "idx_question_published" ON "question" ("published_at", "id");
CREATE INDEX IF NOT EXISTS "idx_question_event_question" ON "question_event" ("question_id", "id");
CREATE INDEX IF NOT EXISTS "idx_question_event_actor" ON "question_event" ("actor_id");"""


def _tables(serial: str, timestamp: str) -> str:
    return f"""
CREATE TABLE IF NOT EXISTS "question" (
    "id" {serial},
    "kind" VARCHAR(16),
    "language" VARCHAR(8) NOT NULL,
    "text" TEXT NOT NULL,
    "consent" BOOL NOT NULL DEFAULT FALSE,
    "asked_on" DATE NOT NULL,
    "classify_by" DATE NOT NULL,
    "due_on" DATE,
    "classified_at" {timestamp},
    "answer" TEXT NOT NULL DEFAULT '',
    "answer_language" VARCHAR(8) NOT NULL DEFAULT '',
    "answered_on" DATE,
    "published_at" {timestamp},
    "public_text" TEXT NOT NULL DEFAULT '',
    "public_answer" TEXT NOT NULL DEFAULT '',
    "search_key" TEXT NOT NULL DEFAULT '',
    "hidden" BOOL NOT NULL DEFAULT FALSE,
    "created_at" {timestamp} NOT NULL,
    "asker_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE CASCADE,
    "agency_id" INT NOT NULL REFERENCES "agency" ("id") ON DELETE RESTRICT,
    "procedure_id" INT REFERENCES "procedure" ("id") ON DELETE SET NULL,
    "dossier_id" INT REFERENCES "dossier" ("id") ON DELETE SET NULL,
    "answered_by_id" INT REFERENCES "user_account" ("id") ON DELETE SET NULL
);
CREATE TABLE IF NOT EXISTS "question_event" (
    "id" {serial},
    "action" VARCHAR(16) NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "from_agency_id" INT,
    "to_agency_id" INT,
    "at" {timestamp} NOT NULL,
    "question_id" INT NOT NULL REFERENCES "question" ("id") ON DELETE CASCADE,
    "actor_id" INT REFERENCES "user_account" ("id") ON DELETE SET NULL
);{INDEXES}"""


POSTGRES_UP = _tables("SERIAL NOT NULL PRIMARY KEY", "TIMESTAMPTZ") + """
ALTER TABLE "notification_outbox" ALTER COLUMN "dossier_id" DROP NOT NULL;"""

OUTBOX_COLUMNS = ('"id", "event", "payload", "created_at", "sent_at", "attempts", "dossier_id", "recipient_id", '
                  '"delivered_to", "claimed_by", "last_error", "claimed_until", "state", "next_attempt_at", "channel"')

SQLITE_UP = _tables("INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL", "TIMESTAMP") + f"""
CREATE TABLE "notification_outbox_29" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "event" VARCHAR(32) NOT NULL,
    "payload" JSON NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "sent_at" TIMESTAMP,
    "attempts" INT NOT NULL,
    "dossier_id" INT REFERENCES "dossier" ("id") ON DELETE CASCADE,
    "recipient_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE CASCADE,
    "delivered_to" JSON NOT NULL DEFAULT '[]',
    "claimed_by" VARCHAR(64) NOT NULL DEFAULT '',
    "last_error" TEXT NOT NULL DEFAULT '',
    "claimed_until" TIMESTAMP,
    "state" VARCHAR(12) NOT NULL DEFAULT 'pending',
    "next_attempt_at" TIMESTAMP,
    "channel" VARCHAR(8) NOT NULL DEFAULT ''
);
INSERT INTO "notification_outbox_29" ({OUTBOX_COLUMNS}) SELECT {OUTBOX_COLUMNS} FROM "notification_outbox";
DROP TABLE "notification_outbox";
ALTER TABLE "notification_outbox_29" RENAME TO "notification_outbox";
CREATE INDEX "idx_notificatio_next_at_0d0f48" ON "notification_outbox" ("next_attempt_at");
CREATE INDEX "idx_outbox_dossier" ON "notification_outbox" ("dossier_id");
CREATE INDEX "idx_outbox_recipient" ON "notification_outbox" ("recipient_id");
CREATE INDEX "idx_outbox_pending" ON "notification_outbox" ("id") WHERE "state" = 'pending';
CREATE INDEX "idx_outbox_sent" ON "notification_outbox" ("sent_at") WHERE "state" = 'sent';"""

DOWN = """
DROP TABLE IF EXISTS "question_event";
DROP TABLE IF EXISTS "question";
DELETE FROM "notification_outbox" WHERE "dossier_id" IS NULL;"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES_UP if db.capabilities.dialect == "postgres" else SQLITE_UP


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWN
