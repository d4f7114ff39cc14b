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
    "code_hash" VARCHAR(100) NOT NULL,
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
COMMENT ON TABLE "agency" IS 'A ministry, a province or centrally-run city (or one of its departments), or a commune or ward.';
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
    "code_hash" VARCHAR(100) NOT NULL,
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
    "eJztXW1z2zYS/isYfUpnlIyjOG7GvbkZ2ZZbXW05Jyl9u9xwIBKyMCEBlSBtq7389wMoUu"
    "ILIBOiJFMMvrQxiAWhZ4HF7mJ3+XfLow5y2ZvuPSL2onUO/m4R6CH+j9yTNmjB+XzdLhoC"
    "OHGjrnDdZ8ICH9oBb51ClyHe5CBm+3geYEpE3y7wMMG816INIJj79AETGwHqAxsRTuu6i9"
    "d+SICNgwV4xZsp4U+nAAcMOGgO/cDj/dh3bUECgU09LyQR/SP0nTdiEg61+fiY3B/ofSHB"
    "f4bICug9CmbI52/9z395MyYOekIs+XP+xZpi5DoZkLEjBojarWAxj9r6JLiOOoqfMrFs6o"
    "YeWXeeL4IZJavemASilXMA+TBAYvjADwXwJHTdmEMJL5YzXXdZTjFF46ApDF3BPkG9nMC6"
    "rWVZg7uxNeqNLatVYG1CkUI/brIpEcuCT5VFv/5eTOF15+3p96cf3p2dfuBdommuWr7/un"
    "z1GpglYQTPYNz6Gj2HAVz2iDBeg2rzFVqE9XIGfTmuSf8csnzKeWQTHOsLrQefLBeR+2DG"
    "/zw92YDjL93h5U/d4avTk+/ECynftsvdPIifdKJHAuo1tNH/C9D+a3Q3kEOb9M9B62A7AP"
    "8DLt+X20CcNKwxXgubA4C8AVSBhBjZY+xPNw3mq9vub3mcL2/uLiJwKAvu/WiUaICLHOgu"
    "ekCuzoJeEexmRb8w3Nk1/fasxJp+e6Zc0+JRFl4u47mEt7REcYbmeYksQTmWCrUBeQcyWZ"
    "xy0y9SkbzEqwjwNfURvic/o0WEc5/PCfLjWYJqQR05Lny/JisoaV1P0YePK80gu7D4z+c/"
    "GgURAMPeaDzsX3KgBc4TaH8RCoilANyeYdfhQxUhv4gpr38eIhdGv+ObQTu7731qIycUgr"
    "cSSB+TcY5QtpYCik6n2EZ+RZg+MVTm9DnGleRQxnBlgK6WozRpFQlJRTs0JaEysqv4yOt4"
    "+RZIuHnpxO8WbypsO4nVmtmTasN1nun2vO1KAHRic5Iz8wGB1QAAMsCNPzAPJy62gc1tE5"
    "fehwgsh5ggxi1KiXW6ixGN/Wnsz7pAu2f7M8CBq2WArgiMBVrBAmWh50F/oQN8isRAXwF6"
    "fnhx8Q/F2zXQz1IZBlRgAJ9RGLmAdfDPEBn4K8A/pb6ng3zS34BeBXQkOWSVemHceys32F"
    "ZIn9RaMczAaBEaaCksaZpKa7iehvTBlnBkR3GDmtxbDlxIhLfat1ukPNzSrr3Zs0aYg8/n"
    "ZwmBq3U25umMpK4iqfksLEpcTCRS5oJSF0GiEDRZyhwXJpx0X/CvWg6L/8Xd3U0G/4v+OI"
    "f6p9uL3vDV24gZvBNeet6LS99F99C1JpBhrZWfIzMLv8rCh39qHavL7gbyKvfQeIos9KBr"
    "C+XIDAuqOGIQ9O2ZFaAnyWXqmLcqnDFZskaEBWyAftz7bbwZem8RP7m5G/yYdM/zI6dQCj"
    "88myGJx3zjOZuhO+Apm7h9j/aQXUYV6sVlZGiM1v58YMY6dPNQgRl1A7hsZEZmaVWIzDCX"
    "xXK893pZfEfQGHvoUty0Sa6L04/bmy6MKUFWwHtayZ1dmYBnxjfSa0yAoAGM60FgsgCj29"
    "EPgJtfiyjSeAbZDGAGvqC57JZ4qyHMtXC9roXnHB+te+EVwb70tZe7Ge6UuRnuqG+GO4Wb"
    "YbEzLLEHdBDOEDVCK84Fy56UwZn3UofLnhSR9pHAw4ISE+SKPxHyUQF3hjJvCMakb5J/HC"
    "P6/Ac6d1wit1ZRYkobpX/L1Ybu7ceMtnzVHffEk07GSElaX+XDmleDgF/745+A+BP8cTfo"
    "5U3JVb/xHy0xJxgG1CL00YJOSg4krQlqGa6jpznmo23B9SxlA7l+JFxOMNnIZhgEyJvLHD"
    "xqmytFYu4A81ZsyLYSlSmyHeyY47kLPIoNU7Cn1XbfPo2akbilpGSIbOpn9Xdph/Ymw4Yt"
    "u1r+uu+zls0I+Q/If81wZJNE9EBov21ugyyQI0wUEcDqQ+JQD2AHcANGNCR9bUq/YFQ0d3"
    "Y4bgUbiL9LR5WMuzcuhrNTSoXsbFAhO4kKqTaNHqAbyu4vMYH+Qo73iiTvUl0Ey4SO5igR"
    "F/HlwEoccmgv+oPu8He5P/tCcplw8fu4180dTTVS6Z4/oA65A8z5tJPzKcr4kRxLSSaQ+j"
    "Ti2o9vQdum4VKBfPYsUrPWeMGMF6w+4O7ZCRbF9Mhz9NUAZ4gO5wRrtY5Nf0mFvlFZFoqA"
    "uEdCr3Bjlg1/o9KElH0ibeMA/7XMBdYAvHXZH/f/6A3OQUz/mdxdX/cve8NzEKeEfibdq9"
    "s+7xElseUV+VIeyp2n8xv3pBr65ronXcgCS9ySWZhswXoJuXG71E2tffngkJoxtHGxITXD"
    "t3poCJ8BGHy6uTGhIZVCQzIlqGiAufIRgVARqUFqqLswmNCnpoLGwvncRSIj0fIRnzYLmO"
    "VBWZq6Dn6j1ajD5aBNhS/emMrgZx3QRKCRSLroPaBjPHNeJHwrEWkSZ1JK2qn9SU6qk3El"
    "HZN60t7gSjJ1NmIj+l2nhBH9rqM0osWjXJ5BAINQIujKuTjW1AeLXGs5PpwGuh6Oq2H3en"
    "wOItrPZPTp4rY/HveuzgELJx4O+Aw/k/7A+ji8+3HYG43OAbcO5z4VhgwT/T9+vOnd9gZj"
    "a9j79ydu0yxJ80etGKX7kQ/yi3jOpZRPH0TbsHf9aSSafDQV9/2fibCb+Jx+HZyDRxzM+L"
    "wet/KqdE7L+LxO1S6v0/yCgIQ9SjXTDTUo1iSHz/lp/WMaElvwGUxC7AaYsDfitf/cl9fx"
    "0JlAqSxaHRmYIzugE3KdanqAuMedexUdZLvQj1S7LdxLRWrjXaqzd8n4kNUbrbk+5HDubM"
    "n1LKXhel24LtnsEtdIrOptwfc8rZHq9WF0cX/7yEb4YStG50gNn+vMZydEluCEnMkKDS1F"
    "s4m7jeKs4FahGH4Uec5wbNeXxS9P9y1jyFAQuNudJxlKI2VqLWWQjeOQeciopNC+uhyHhL"
    "QBcVeHLshh6kO09pCvtKocqwlsjsxgK8F2Vdtd82MzOTKDbYkPzqQr+1cMX2niBz7a+e/O"
    "5NaYosBJUf7uAF9TOiaPbCJMdwBuyc+uHC20uXOnUmEeZaHvLcKvruLRGoS9CcPaQxhWNe"
    "i+mQisl4i8OhqgtEKvUv5Qjhd/nRJTURWL8v88j+xwNdJR+iPkiOrHp61kvjpOLX0sPBuv"
    "Zjnp3mU+TxXOXQod5IApdtEb0AU+mrvQjhsAVxYWrA086H/hTVwaIZ8h3r0NGI1S6GeYBd"
    "RfiDpiNvXm4iCVfrRqX+8xIXb1CrHjM7A0CyGkSBpYUeusTGTVmTqy6qwQWSU2jHbKZoqm"
    "gSB33r8vE7/2/r06gE08yxeII4FQvCKgNLDO0zUQ790vaob/0vmCTNLdeLYkXkM2g533Zz"
    "pLdk1hFmuZxcpVEa7XaSfO5+kaCPbbzocykZSdD+pQSvEs/zXBRB+U2B6bSqlnCc0XSzSK"
    "qScK+1bBbRlSE91Wl2vqMjGNiSWpZR1licyh/Px1UyrBrKK/vnnZu+2cyz67ujIO+8vu6L"
    "J71dvkr99nmqHEES3x5Mjd1WpnTtpTbtE1QYnK8R5ijE8VBFQUfXcAnHB6AEEM4Q/g0Rfh"
    "pyTKFoocK/YMkns+Fp8FfkA+coDLV5Avqym/28GN56ZenhuUOLnLarMrggaqsbtPkJzDhd"
    "CKigCr8+FSJCYfLqM+7SIfzqTsfIvqrfgUylZxtisyE2Rb5yBbU45+x85EYw/u62PINp5j"
    "pBs2mycz2Bpb+9C2tnQZ7wDdhkce5rdunRwZxbAw2dchZLFjG74QUYhdK+fF+HUGAwDJsm"
    "Qshi6ATASFRP6EZV1Z4YGY4qc27+WAx9mi6KzYcgzjk6iXT2JDhK3abM4Q1cNwFu9rjOG8"
    "ZBTfJPyVTzqMKRAa5uycOfq5hS+RUvhCxuw+kgqnPvWsatXPckPUmQ2mAFpbET9WCBIx/k"
    "U19M31L/KRqLttyZAMqfEz1tnPmOzRiWY+eYHOOHCM03GvuBrH2Is4xtYb3XjGnsO2IBS1"
    "k3L36RvLZgFK/GKFNEG1TyyIu1qr4AlTXvyopGl7g7cK2knSY9kQmjVFnY2+2sTQPGtrK/"
    "xOO7Cva6ZK79t45ZqvPs4ZogYu6N3DTKis6KDaV5f0N8W/tP10xh2jXuXNdcfwA5ZqmpFp"
    "EvPNN2ObG9u89vajrm0ebfHDmeU1EwilK2WlBKH2Nwr3aZDHxWMklvi6rIzaBF8XsTGm91"
    "EJy/YG05vZVFa5ceRB11UXEUiImnQevet8f7ZCV/yxCdjRbffmpnjE29TzpCF9asskRWKM"
    "E2Oc7HBZN9c4qY0mffRHQ0GP1lFMSujcSWG7/WvcL8qKvSVkV4tNhsSZ0KeRx2QqX+rpRr"
    "WPLftZLO6okUwNbRvNOQvBZBFFEMdDgdHtCNxz3j5CSQSyPrnRKeulU8b8k4pntRM8S9W4"
    "L8eenpTwgZ+eKH3g4lH+qkHvjmGfKubL4dopg2tHjWuniCvX1XU0+KR/Iy5uDq3Ai3oYMs"
    "VhQy2wFUUjAN/3ajYWkhr6ZllIlXT53WmdXeRjeybTOOMnG7VNuO5jnIxNUQgfkM80A3xS"
    "JE0U8/souys2lQbCcfcGovv2pMwpynupS2meFM/RZXHiIsLqtL0UyeET9l5GR9xZat6LHm"
    "Zf/w/QIwZQ"
)
