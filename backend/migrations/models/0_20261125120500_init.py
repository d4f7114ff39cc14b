"""Initial schema. aerich writes SQL for one dialect; this file carries both, SQLite and PostgreSQL."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE_UP = """
        CREATE TABLE IF NOT EXISTS "agency" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "code" VARCHAR(40) NOT NULL UNIQUE,
    "name" JSON NOT NULL,
    "level" VARCHAR(16) NOT NULL,
    "parent_id" INT REFERENCES "agency" ("id") ON DELETE RESTRICT
) /* A ministry, a province or centrally-run city (or one of its departments), or a commune or ward. */;
CREATE TABLE IF NOT EXISTS "procedure" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "code" VARCHAR(40) NOT NULL UNIQUE,
    "title" JSON NOT NULL,
    "summary" JSON NOT NULL,
    "applicants" JSON NOT NULL,
    "documents" JSON NOT NULL,
    "form" JSON NOT NULL,
    "fee" INT NOT NULL,
    "fee_note" JSON,
    "processing_days" INT NOT NULL,
    "result_forms" JSON NOT NULL,
    "full_online" INT NOT NULL,
    "legal_basis" JSON NOT NULL,
    "faq" JSON NOT NULL,
    "life_events" JSON NOT NULL,
    "search_text" TEXT NOT NULL,
    "published" INT NOT NULL,
    "agency_id" INT NOT NULL REFERENCES "agency" ("id") ON DELETE RESTRICT
) /* An administrative procedure as the public catalogue describes it. */;
CREATE TABLE IF NOT EXISTS "one_time_code" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "phone" VARCHAR(20) NOT NULL,
    "code_hash" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "expires_at" TIMESTAMP NOT NULL,
    "attempts" INT NOT NULL,
    "used_at" TIMESTAMP
) /* A sign-in code sent by SMS; only its hash is kept. */;
CREATE INDEX IF NOT EXISTS "idx_one_time_co_phone_93e06a" ON "one_time_code" ("phone");
CREATE TABLE IF NOT EXISTS "session_record" (
    "key" VARCHAR(200) NOT NULL PRIMARY KEY,
    "value" BLOB NOT NULL,
    "expires_at" TIMESTAMP
) /* Server-side session data, keyed by the random id in the session cookie. */;
CREATE INDEX IF NOT EXISTS "idx_session_rec_expires_9833c2" ON "session_record" ("expires_at");
CREATE TABLE IF NOT EXISTS "user_account" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "phone" VARCHAR(20) NOT NULL UNIQUE,
    "full_name" VARCHAR(200) NOT NULL,
    "role" VARCHAR(16) NOT NULL /* CITIZEN: citizen\nOFFICER: officer\nADMIN: admin */,
    "created_at" TIMESTAMP NOT NULL,
    "last_sign_in_at" TIMESTAMP,
    "agency_id" INT REFERENCES "agency" ("id") ON DELETE SET NULL
);
CREATE TABLE IF NOT EXISTS "dossier" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "code" VARCHAR(32) NOT NULL UNIQUE,
    "status" VARCHAR(24) NOT NULL /* DRAFT: draft\nSUBMITTED: submitted\nIN_PROGRESS: in_progress\nSUPPLEMENT_REQUESTED: supplement_requested\nAPPROVED: approved\nREFUSED: refused\nWITHDRAWN: withdrawn */,
    "answers" JSON NOT NULL,
    "result_form" VARCHAR(16) NOT NULL,
    "declaration_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "submitted_at" TIMESTAMP,
    "received_at" TIMESTAMP,
    "due_date" DATE,
    "paused_since" DATE,
    "settled_at" TIMESTAMP,
    "decision_reason" TEXT NOT NULL,
    "agency_id" INT NOT NULL REFERENCES "agency" ("id") ON DELETE RESTRICT,
    "applicant_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE RESTRICT,
    "procedure_id" INT NOT NULL REFERENCES "procedure" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_dossier_status_b735c3" ON "dossier" ("status");
CREATE TABLE IF NOT EXISTS "dossier_document" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "doc_key" VARCHAR(64) NOT NULL,
    "filename" VARCHAR(255) NOT NULL,
    "content_type" VARCHAR(64) NOT NULL,
    "size" INT NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "storage_name" VARCHAR(128) NOT NULL,
    "superseded" INT NOT NULL,
    "uploaded_at" TIMESTAMP NOT NULL,
    "dossier_id" INT NOT NULL REFERENCES "dossier" ("id") ON DELETE CASCADE
) /* An uploaded file. A replaced file stays, marked superseded, so the history is complete. */;
CREATE TABLE IF NOT EXISTS "notification_outbox" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "event" VARCHAR(32) NOT NULL,
    "payload" JSON NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "sent_at" TIMESTAMP,
    "attempts" INT NOT NULL,
    "dossier_id" INT NOT NULL REFERENCES "dossier" ("id") ON DELETE CASCADE,
    "recipient_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE CASCADE
) /* A message to send about a dossier; written with the change, delivered later. */;
CREATE TABLE IF NOT EXISTS "supplement_request" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "documents" JSON NOT NULL,
    "fields_to_fix" JSON NOT NULL,
    "reason" TEXT NOT NULL,
    "from_status" VARCHAR(24) NOT NULL /* DRAFT: draft\nSUBMITTED: submitted\nIN_PROGRESS: in_progress\nSUPPLEMENT_REQUESTED: supplement_requested\nAPPROVED: approved\nREFUSED: refused\nWITHDRAWN: withdrawn */,
    "created_at" TIMESTAMP NOT NULL,
    "resolved_at" TIMESTAMP,
    "created_by_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE RESTRICT,
    "dossier_id" INT NOT NULL REFERENCES "dossier" ("id") ON DELETE CASCADE
) /* What an official asked the citizen to fix, and why. */;
CREATE TABLE IF NOT EXISTS "timeline_event" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "action" VARCHAR(32) NOT NULL,
    "from_status" VARCHAR(24),
    "to_status" VARCHAR(24) NOT NULL,
    "note" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "actor_id" INT REFERENCES "user_account" ("id") ON DELETE SET NULL,
    "dossier_id" INT NOT NULL REFERENCES "dossier" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "rating" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "score" SMALLINT NOT NULL,
    "comment" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "dossier_id" INT NOT NULL UNIQUE REFERENCES "dossier" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "sandbox_sms" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "message_id" VARCHAR(40) NOT NULL UNIQUE,
    "to" VARCHAR(20) NOT NULL,
    "text" TEXT NOT NULL,
    "sender" VARCHAR(20) NOT NULL,
    "created_at" TIMESTAMP NOT NULL
) /* A message accepted by the sandbox SMS gateway. */;
CREATE INDEX IF NOT EXISTS "idx_sandbox_sms_to_5e1f64" ON "sandbox_sms" ("to");
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSON NOT NULL
);"""

POSTGRES_UP = """
        CREATE TABLE IF NOT EXISTS "agency" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "code" VARCHAR(40) NOT NULL UNIQUE,
    "name" JSONB NOT NULL,
    "level" VARCHAR(16) NOT NULL,
    "parent_id" INT REFERENCES "agency" ("id") ON DELETE RESTRICT
);
COMMENT ON TABLE "agency" IS 'A ministry, a province or centrally-run city (or one of its departments), or a commune/ward.';
CREATE TABLE IF NOT EXISTS "procedure" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "code" VARCHAR(40) NOT NULL UNIQUE,
    "title" JSONB NOT NULL,
    "summary" JSONB NOT NULL,
    "applicants" JSONB NOT NULL,
    "documents" JSONB NOT NULL,
    "form" JSONB NOT NULL,
    "fee" INT NOT NULL,
    "fee_note" JSONB,
    "processing_days" INT NOT NULL,
    "result_forms" JSONB NOT NULL,
    "full_online" BOOL NOT NULL,
    "legal_basis" JSONB NOT NULL,
    "faq" JSONB NOT NULL,
    "life_events" JSONB NOT NULL,
    "search_text" TEXT NOT NULL,
    "published" BOOL NOT NULL,
    "agency_id" INT NOT NULL REFERENCES "agency" ("id") ON DELETE RESTRICT
);
COMMENT ON TABLE "procedure" IS 'An administrative procedure as the public catalogue describes it.';
CREATE TABLE IF NOT EXISTS "one_time_code" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "phone" VARCHAR(20) NOT NULL,
    "code_hash" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "attempts" INT NOT NULL,
    "used_at" TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS "idx_one_time_co_phone_93e06a" ON "one_time_code" ("phone");
COMMENT ON TABLE "one_time_code" IS 'A sign-in code sent by SMS; only its hash is kept.';
CREATE TABLE IF NOT EXISTS "session_record" (
    "key" VARCHAR(200) NOT NULL PRIMARY KEY,
    "value" BYTEA NOT NULL,
    "expires_at" TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS "idx_session_rec_expires_9833c2" ON "session_record" ("expires_at");
COMMENT ON TABLE "session_record" IS 'Server-side session data, keyed by the random id in the session cookie.';
CREATE TABLE IF NOT EXISTS "user_account" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "phone" VARCHAR(20) NOT NULL UNIQUE,
    "full_name" VARCHAR(200) NOT NULL,
    "role" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "last_sign_in_at" TIMESTAMPTZ,
    "agency_id" INT REFERENCES "agency" ("id") ON DELETE SET NULL
);
COMMENT ON COLUMN "user_account"."role" IS 'CITIZEN: citizen\nOFFICER: officer\nADMIN: admin';
CREATE TABLE IF NOT EXISTS "dossier" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "code" VARCHAR(32) NOT NULL UNIQUE,
    "status" VARCHAR(24) NOT NULL,
    "answers" JSONB NOT NULL,
    "result_form" VARCHAR(16) NOT NULL,
    "declaration_at" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "submitted_at" TIMESTAMPTZ,
    "received_at" TIMESTAMPTZ,
    "due_date" DATE,
    "paused_since" DATE,
    "settled_at" TIMESTAMPTZ,
    "decision_reason" TEXT NOT NULL,
    "agency_id" INT NOT NULL REFERENCES "agency" ("id") ON DELETE RESTRICT,
    "applicant_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE RESTRICT,
    "procedure_id" INT NOT NULL REFERENCES "procedure" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_dossier_status_b735c3" ON "dossier" ("status");
COMMENT ON COLUMN "dossier"."status" IS 'DRAFT: draft\nSUBMITTED: submitted\nIN_PROGRESS: in_progress\nSUPPLEMENT_REQUESTED: supplement_requested\nAPPROVED: approved\nREFUSED: refused\nWITHDRAWN: withdrawn';
CREATE TABLE IF NOT EXISTS "dossier_document" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "doc_key" VARCHAR(64) NOT NULL,
    "filename" VARCHAR(255) NOT NULL,
    "content_type" VARCHAR(64) NOT NULL,
    "size" INT NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "storage_name" VARCHAR(128) NOT NULL,
    "superseded" BOOL NOT NULL,
    "uploaded_at" TIMESTAMPTZ NOT NULL,
    "dossier_id" INT NOT NULL REFERENCES "dossier" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "dossier_document" IS 'An uploaded file. A replaced file stays, marked superseded, so the history is complete.';
CREATE TABLE IF NOT EXISTS "notification_outbox" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "event" VARCHAR(32) NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "sent_at" TIMESTAMPTZ,
    "attempts" INT NOT NULL,
    "dossier_id" INT NOT NULL REFERENCES "dossier" ("id") ON DELETE CASCADE,
    "recipient_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "notification_outbox" IS 'A message to send about a dossier; written with the change, delivered later.';
CREATE TABLE IF NOT EXISTS "supplement_request" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "documents" JSONB NOT NULL,
    "fields_to_fix" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "from_status" VARCHAR(24) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "resolved_at" TIMESTAMPTZ,
    "created_by_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE RESTRICT,
    "dossier_id" INT NOT NULL REFERENCES "dossier" ("id") ON DELETE CASCADE
);
COMMENT ON COLUMN "supplement_request"."from_status" IS 'DRAFT: draft\nSUBMITTED: submitted\nIN_PROGRESS: in_progress\nSUPPLEMENT_REQUESTED: supplement_requested\nAPPROVED: approved\nREFUSED: refused\nWITHDRAWN: withdrawn';
COMMENT ON TABLE "supplement_request" IS 'What an official asked the citizen to fix, and why.';
CREATE TABLE IF NOT EXISTS "timeline_event" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "action" VARCHAR(32) NOT NULL,
    "from_status" VARCHAR(24),
    "to_status" VARCHAR(24) NOT NULL,
    "note" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "actor_id" INT REFERENCES "user_account" ("id") ON DELETE SET NULL,
    "dossier_id" INT NOT NULL REFERENCES "dossier" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "rating" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "score" SMALLINT NOT NULL,
    "comment" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "dossier_id" INT NOT NULL UNIQUE REFERENCES "dossier" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "sandbox_sms" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "message_id" VARCHAR(40) NOT NULL UNIQUE,
    "to" VARCHAR(20) NOT NULL,
    "text" TEXT NOT NULL,
    "sender" VARCHAR(20) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_sandbox_sms_to_5e1f64" ON "sandbox_sms" ("to");
COMMENT ON TABLE "sandbox_sms" IS 'A message accepted by the sandbox SMS gateway.';
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSONB NOT NULL
);"""

SQLITE_DOWN = """
        """

POSTGRES_DOWN = """
        """


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES_UP if db.capabilities.dialect == "postgres" else SQLITE_UP


async def downgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES_DOWN if db.capabilities.dialect == "postgres" else SQLITE_DOWN


MODELS_STATE = (
    "eJztXW1z2zYS/isYfUpnlNRWHCfj3tyMbMutrrbkk+Sm7eWGA5GQhTEJKARpW+3lvx9AkR"
    "JfQJkQJZli8KWNQSwIPQssdhe7y78bDrWQzd617xEx540z8HeDQAfxf6SeNEEDzmardtHg"
    "wbEddIWrPmPmudD0eOsE2gzxJgsx08UzD1Mi+raBgwnmveZNAMHMpY+YmAhQF5iIcFrbnr"
    "91fQJM7M3BG95MCX86AdhjwEIz6HoO78d+aAoSCEzqOD5BPz5B13onZmBRkw+Oyf0+XuYT"
    "/NVHhkfvkTdFLn/lf/7LmzGx0DNi0Z+zB2OCkW0l4MWWGCBoN7z5LGjrEu8q6Ch+x9gwqe"
    "07ZNV5NvemlCx7Y+KJVo49cqGHxPCe6wvIiW/bIW8iLixmuuqymGKMxkIT6NuCcYJ6MYFV"
    "W8Mwev2RMeyMDKORYWpEEYM+bDIpEQuCT5UFv/5eTOFt6/jk48mn96cnn3iXYJrLlo/fFq"
    "9eAbMgDODpjRrfgufQg4seAcYrUE2+NrOwXkyhK8c16p9Clk85jWyEY3WhdeCzYSNy7035"
    "nydHa3D8rT24+KU9eHNy9IN4IeUbdrGPe+GTVvBIQL2CNvh/Btp/Dfs9ObRR/xS0FjY98D"
    "9g8025CcRRwwrjlZjZA8hrQBVIiJEdxr7acTDf3LR/T+N8cd0/D8ChzLt3g1GCAc5ToNvo"
    "EdkqC3pJsJ0V/cpwJ9f08WmBNX18mrumxaMkvFzAc/FuKIniBM3LElmCcigVKgPyFmSyOO"
    "UmD1KRvMArC/AVdRG+J7+ieYBzl88J8rNZgmpGETksfL9FKyhqXU3RhU9LzSC5sPjP5z8a"
    "eQEAg85wNOhecKAFzmNoPggFxMgB3Jxi2+JDZSE/Dymvfh0gGwa/47tBO7nvXWoiyxeCtx"
    "RIt9E4ByhbCwFFJxNsIrckTHcMFTl9DnElWZQxXBqgy8UodVpFQlLRFo1JqITsyj5yWk66"
    "BRJuWFrhu8WbMttOYq8m9mS+yTpLdHvZaiUAWqEtyZn5iMByAAAZ4MYfmPljG5vA5LaJTe"
    "99BBZDjBHj5qTENN3GiNr+1PZnVaDdsf3pYc9WMkCXBNoCLWGBMt9xoDtXAT5GoqEvAT0/"
    "vLj4h+LtCugnqTQDSjCAz8gP/L8q+CeINPwl4J9Q11FBPuqvQS8DOpIcsrl6Ydh7IzfYRk"
    "gfVVoxTMBoEOopKSxxmlJruJqG9N6WcGBHcYOa3BsWnEuEd75vN0u5v6VdebNnhTAHn8/P"
    "EAJX6WxM02lJXUZS81kYlNiYSKTMOaU2giRH0CQpU1wYc9Jdwb9s2S/+5/3+dQL/8+4ohf"
    "rdzXln8OY4YAbvhBee9+zSt9E9tI0xZFhp5afI9MIvs/DhV6VjddFdQ17mHhpPkIEeVW2h"
    "FJlmQRlHDIKuOTU89Cy5TB3x1hxnTJKsFmEBa6AfdX4frYfemYdPrvu9n6PuaX6kFErhh2"
    "dTJPGYrz1nE3R7PGUjt+/BHrKLeEK1uIwEjdbaXw7MWAVt7iswo2oAF43MSCytEpEZ+rJY"
    "jvdOL4v7BI2wgy7ETZvkujj+uLnuwpgSZHi8pxHd2RUJdWZ8I73FBAgawLgeBMZzMLwZ/g"
    "S4+TUPwoynkE0BZuABzWS3xBsNoa+Fq3UtPOP4KN0LLwl2pa+93s1wq8jNcCv/ZriVuRkW"
    "O8MQe0AF4QRRLbTiJMynJwVgPj3JhVk8SsHsIgGGASX2xyV/IoRjDtYJyrQVGJK+i/5xiN"
    "DzH2j1uThuLEPEcg2U7g3XGdo3twlV+bI96ognrYSFErW+Scc0LwcBn7ujX4D4E/zZ73XS"
    "duSy3+jPhpgT9D1qEPpkQCsmBKLWCLUE19HzDPPRNuB6krKGXD8QLkeYrGUz9DzkzGTenX"
    "yDK0aiLwDTJqzPNhKVMbIt7JjDuQg8iA2TMabzjb5dWjRDcUVJyQCZ1E0q79IOzXVWDVt0"
    "NdxV3xfNmiFyH5H7luHAIAnogVB9m9wAmSNL2CcietWFxKIOwBbg1otoiPqalD5glLV1tj"
    "huCQOIv0tFjwy71y6As3VUTE9fp6iHmnq+XfQIbV92eYkJdOdyvJckaX/q3Ftkc9RHiTgP"
    "bwaW4pBDe97ttQd/yJ3Z55KbhPM/Rp126miqkEr38gG1zx2gz6etnE9Buo/kWIrSgPJPI6"
    "79uAY0TeovFMgXz6J81moXmHaBVQfcHXvAgoAeeYJ+PsAJov15wBqNQ9NfYnFvVJaCIiDu"
    "EN/JXJclY9+oNBtll0ib2MN/LRKBFQBvXHRH3T87vTMQ0n8h/aur7kVncAbCfNAvpH150+"
    "U9ggy2tCJfhD3bz+XX7sl86OvrnrQh8wxxRWZgsgHrJeTa7VI1tfb1I0MqxtDaBYZUDN/y"
    "cSF8BqB3d32t40JKxYUk6k9RD3PlIwChJFK92FB93xvT57qCxvzZzEYiHdFwEZ8285jhQF"
    "mOugp+w+Wog8WgdYUv3Ji5kc8qoIkoI5Fx0XlEh3jmvErsViTSJM6kmLTL9ydZsU7alXRI"
    "6klzjStJF9kIjej3rQJG9PtWrhEtHqWSDDzo+RJBV8zFsaLeW9haw3LhxFP1cFwO2lejMx"
    "DQfiHDu/Ob7mjUuTwDzB872OMz/EK6PeN20P950BkOzwC3DmcuFYYME/1vb687N53eyBh0"
    "/n3HbZoFafqoFaO0b/kgv4nnXEq59FG0DTpXd0PR5KKJuO//QoTdxOf0uXcGnrA35fN62s"
    "ir0ioS9NXKD/pqZYK+IGFPUs10TQGKFcn+E34a/5j4xBR8BmMf2x4m7J147T935XXcdxpQ"
    "LIVWRQamyPbohFzlme5eIG7fq2gh04ZuoNpt4F7KUmvvUpW9S9qHnL/R6utD9mfWhlxPUm"
    "quV4Xrks0ucY2Eqt4GfE/TaqleHUZn97eLTIQfN2J0ilTzucp8tnxkCE7ImZyjocVo1nG3"
    "VpwV3MpUwg8izxkO7fqi+KXpvmcMGfI8e7PzJEGppUylpQwycRgyDxmVVNnPr8UhIa1B3N"
    "W+q3Ho4hCNHeQrLcvGKgKbItPYSrBdFnZX/NJMikxjW+BrM/Gy/iXDV+r4dY9m+qMzqTWW"
    "U90kK3+3gK+uG5NGNhKmWwC34DdXDhba1LlTqipPbpXvDcKvLsPRaoS9DsPaQRhWOei+mw"
    "is14i8OhiglEKvYv5Qjhd/XS6moiQW5f95GdnBcqSD9EfIEVWPT1vK/Pw4tfix8GK8mmHF"
    "exf5NpU/sym0kAUm2EbvQBu4aGZDM2wAXFmYsyZwoPvAm7g0Qi5DvHsTMBqk0E8x86g7F0"
    "XETOrMxEEq/WLVrt6jQ+yqFWLHZ2AoFkKIkehyWgXKaYkNo5yyGaOpIcitDx+KxK99+JAf"
    "wCaepavDEU8oXgFQClin6WqI9/YXNcN/qXw+JuquPVsSryGbwtaHU5Ulu6LQi7XIYuWqCN"
    "frlBPn03Q1BPu49alIJGXrU34opXiW/pRgpA9KbI91ddSThPpzJQqV1COFfaPgtgSpjm6r"
    "yjV1kZjGyJJUso6SRPpQfvm6KZZgVtJfX7/s3WbKZZ9cXQmH/UV7eNG+7Kzz1+8yzVDiiJ"
    "Z4cuTu6nxnTtxTbtAVQYGy8Q5ijE8VeFRUfLcAHHN6AEEI4U/gyRXhpyTIFgocK+YUkns+"
    "Fp8FfkQusoDNV5ArKyi/3cG156ZanhsUObmLarNLghqqsdtPkJzBudCKsgDn58PFSHQ+XE"
    "J92kY+nE7Z+R7VW/EdlI3ibJdkOsi2ykG2uhz9lp2J2h7c1ZeQTTzDSDVsNk2msdW29r5t"
    "beky3gK6NY88TG/dKjkysmFhsq9DyGLH1nwhIhO7VsyL8XkKPQDJomQshjaATASFBP6ERV"
    "1Z4YGY4Ocm72WBp+k866zYcAztk6iWT2JNhG2+2ZwgqobhLN5XG8N5wSi+Sfgrn1UYkyHU"
    "zNk6c9RzC18jpfCVjNldJBVOXOoY5aqfpYaoMht0AbRmTvyY/uql9i8G0pRRe9OSIQlS7W"
    "essp8x2qNjxXzyDJ124Gin405x1Y6xV3GMrTa69oy9hG1GKCon5e7SN5bMApT4xTJpgvk+"
    "MS/saiyDJ3R58YOSps013ipoRkmPRUNoVhRVNvoqE0Pzoq2d43fagn1dMVV618Yr13zVcU"
    "4Q1XBBbx9mQmVFB/N9dVF/XfxL2U+n3TH5q7y+7hh+wFJFMzJOor/5pm1zbZtX3n5Utc2D"
    "Lb4/s7xiAqFwpayYIFT+RuEuDfKweIzEEl+Vlck3wVdFbLTpfVDCsrnG9GYmlVVuHDrQtv"
    "OLCEREdTqP3rc+ni7RFX+sA3Z4076+zh7xJnUcaUhfvmUSI9HGiTZOtris62ucVEaTPvij"
    "IaNHqygmBXTuqLDd7jXuV2XFzhKyy8UmQ2KN6fPQYTKVL/Z0rdrHFv0MFnZUSKaGpolmnI"
    "VgPA8iiMOhwPBmCO45b5+gJAJZnVzrlNXSKUP+ScVzvhM8SVW7L8eeHBXwgZ8c5frAxaP0"
    "VYPaHcMuVczXw7VVBNdWPq6tLK5cV1fR4KP+tbi42bcCL+phyBSHNbXAlhS1AHzXq1lbSP"
    "nQ18tCKqXLb0/rbCMXm1OZxhk+WattwlUf7WSsi0L4iFymGOATI6mjmN9F2V2xqRQQDrvX"
    "EN3joyKnKO+VX0rzKHuOLooTZxHOT9uLkew/Ye91dMStpea96mH27f87iQP3"
)
