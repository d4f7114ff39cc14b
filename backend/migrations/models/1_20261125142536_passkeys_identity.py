"""Passkeys, sign-in history, "sign out everywhere", verified identity and pre-fill consent (SQLite and PostgreSQL)."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE_UP = """
        CREATE TABLE IF NOT EXISTS "passkey" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "credential_id" VARCHAR(1400) NOT NULL UNIQUE,
    "public_key" BLOB NOT NULL,
    "sign_count" BIGINT NOT NULL,
    "transports" JSON NOT NULL,
    "aaguid" VARCHAR(36) NOT NULL,
    "backed_up" INT NOT NULL,
    "name" VARCHAR(60) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "last_used_at" TIMESTAMP,
    "user_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE CASCADE
) /* A WebAuthn credential (discoverable, user-verified) that signs its owner in. */;
        CREATE TABLE IF NOT EXISTS "sign_in_event" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "method" VARCHAR(24) NOT NULL /* CODE: code\nPASSKEY: passkey\nSIGNED_OUT_EVERYWHERE: signed_out_everywhere */,
    "passkey_name" VARCHAR(60) NOT NULL,
    "user_agent" VARCHAR(300) NOT NULL,
    "ip_address" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "user_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE CASCADE
) /* One line of an account's sign-in history. */;
CREATE INDEX IF NOT EXISTS "idx_sign_in_eve_created_6aff25" ON "sign_in_event" ("created_at");
        CREATE TABLE IF NOT EXISTS "prefill_consent" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "granted" INT NOT NULL,
    "source" VARCHAR(40) NOT NULL,
    "fields_filled" JSON NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "dossier_id" INT NOT NULL REFERENCES "dossier" ("id") ON DELETE CASCADE,
    "user_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE CASCADE
) /* A citizen's yes or no to filling a dossier's form from the registry, with what was filled. */;
        CREATE TABLE IF NOT EXISTS "verification_attempt" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "outcome" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "user_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE CASCADE
) /* Each try to verify an identity number, kept to limit guessing and to show the citizen. */;
CREATE INDEX IF NOT EXISTS "idx_verificatio_created_0a667c" ON "verification_attempt" ("created_at");
        ALTER TABLE "user_account" ADD "identity_number" VARCHAR(12);
        ALTER TABLE "user_account" ADD "identity_verified_at" TIMESTAMP;
        ALTER TABLE "user_account" ADD "session_epoch" INT NOT NULL DEFAULT 0;
        CREATE UNIQUE INDEX "uid_user_accoun_identit_206c3e" ON "user_account" ("identity_number");"""

POSTGRES_UP = """
        CREATE TABLE IF NOT EXISTS "passkey" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "credential_id" VARCHAR(1400) NOT NULL UNIQUE,
    "public_key" BYTEA NOT NULL,
    "sign_count" BIGINT NOT NULL,
    "transports" JSONB NOT NULL,
    "aaguid" VARCHAR(36) NOT NULL,
    "backed_up" BOOL NOT NULL,
    "name" VARCHAR(60) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "last_used_at" TIMESTAMPTZ,
    "user_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "passkey" IS 'A WebAuthn credential (discoverable, user-verified) that signs its owner in.';
        CREATE TABLE IF NOT EXISTS "sign_in_event" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "method" VARCHAR(24) NOT NULL,
    "passkey_name" VARCHAR(60) NOT NULL,
    "user_agent" VARCHAR(300) NOT NULL,
    "ip_address" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "user_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_sign_in_eve_created_6aff25" ON "sign_in_event" ("created_at");
COMMENT ON COLUMN "sign_in_event"."method" IS 'CODE: code\nPASSKEY: passkey\nSIGNED_OUT_EVERYWHERE: signed_out_everywhere';
COMMENT ON TABLE "sign_in_event" IS 'One line of an account''s sign-in history.';
        CREATE TABLE IF NOT EXISTS "prefill_consent" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "granted" BOOL NOT NULL,
    "source" VARCHAR(40) NOT NULL,
    "fields_filled" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "dossier_id" INT NOT NULL REFERENCES "dossier" ("id") ON DELETE CASCADE,
    "user_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "prefill_consent" IS 'A citizen''s yes or no to filling a dossier''s form from the registry, with what was filled.';
        CREATE TABLE IF NOT EXISTS "verification_attempt" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "outcome" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "user_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_verificatio_created_0a667c" ON "verification_attempt" ("created_at");
COMMENT ON TABLE "verification_attempt" IS 'Each try to verify an identity number, kept to limit guessing and to show the citizen.';
        ALTER TABLE "user_account" ADD "identity_verified_at" TIMESTAMPTZ;
        ALTER TABLE "user_account" ADD "identity_number" VARCHAR(12) UNIQUE;
        ALTER TABLE "user_account" ADD "session_epoch" INT NOT NULL DEFAULT 0;"""

SQLITE_DOWN = """
        DROP INDEX IF EXISTS "uid_user_accoun_identit_206c3e";
        ALTER TABLE "user_account" DROP COLUMN "identity_number";
        ALTER TABLE "user_account" DROP COLUMN "identity_verified_at";
        ALTER TABLE "user_account" DROP COLUMN "session_epoch";
        DROP TABLE IF EXISTS "verification_attempt";
        DROP TABLE IF EXISTS "sign_in_event";
        DROP TABLE IF EXISTS "passkey";
        DROP TABLE IF EXISTS "prefill_consent";"""

POSTGRES_DOWN = """
        DROP INDEX IF EXISTS "uid_user_accoun_identit_206c3e";
        ALTER TABLE "user_account" DROP COLUMN "identity_verified_at";
        ALTER TABLE "user_account" DROP COLUMN "identity_number";
        ALTER TABLE "user_account" DROP COLUMN "session_epoch";
        DROP TABLE IF EXISTS "verification_attempt";
        DROP TABLE IF EXISTS "passkey";
        DROP TABLE IF EXISTS "sign_in_event";
        DROP TABLE IF EXISTS "prefill_consent";"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES_UP if db.capabilities.dialect == "postgres" else SQLITE_UP


async def downgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES_DOWN if db.capabilities.dialect == "postgres" else SQLITE_DOWN


MODELS_STATE = (
    "eJztXW1z2zYS/isYfbl0RsnYsuPk3JubkW0l1dVvJylJ08sNByJhCWMSUPliW+3lvx/AF4"
    "kvAEVKlEQx+NLGJBakHoCL3WcXi79aFjWQ6bzpThDR561z8FeLQAuxf6TutEELzmbL6/yC"
    "C8em3xQu24wd14a6y64+QNNB7JKBHN3GMxdTwtt2gYUJZq3mbQDBzKZPmOgIUBvoiDBZ05"
    "y/tj0CdOzOwSt2mRJ29wFg1wEGmkHbtVg756c2F4FAp5blEV/+GdrGG/4SBtVZ/5hMdvQ8"
    "j+A/PKS5dILcKbLZU//zX3YZEwO9ICf6c/aoPWBkGgmQscE78K9r7nzmX+sT94PfkP+Usa"
    "ZT07PIsvFs7k4pWbTGxOVX2QggG7qId+/aHgeeeKYZjlA0FsGbLpsErxiTMdAD9Ew+fFw6"
    "eIHltZam3d6NtGFvpGmtzNBGEjH0w0s6JXxasFd1/F8/4a/wunN8+u70/cnZ6XvWxH/NxZ"
    "V334NHL4EJBH14bket7/596MKghY/xElSdzdAsrJdTaItxjdqnkGWvnEY2wrG+0FrwRTMR"
    "mbhT9ufpUQ6On7uDy1+6g1enRz/xB1L22QZf8214p+Pf4lAvofX/n4H2X8O7WzG0UfsUtA"
    "bWXfA/YLLvch2IowtLjJfKZgcg54DKkeA9W47zhxkH89VN97c0zpfXdxc+ONRxJ7bfi9/B"
    "RQp0Ez0hs8yEXghUM6P3DHdyTh+fFZjTx2fSOc1vJeFlOp5peK2UKk7IrNbIApRDrVAbkC"
    "vQyXyVe3gUquQAryzAH6iN8IT8iuY+zn32TpAtzwJUM+bIYeH7PZpB0dXlK9rweWEZJCcW"
    "+/nsRyPXB2DQG44G/UsGNMd5DPVHboBoEsD1KTYN1lUW8otQ8sOvA2RC/3f8MGgnv3ub6s"
    "jwuOLdCKT7qJ8D1K2FgKIPD1hH9oYwfXJQkdXnEGeSQR0HbwzQVdBLk2YR11S0Q2MaKqG7"
    "sresjpW+AglzL43w2fxJmc9O4LUmvkm54zpLNFvtuxIAjdCdZIP5hMCiAwAdwJw/MPPGJt"
    "aBznwTk048BIIuxshhHqXAO62iR+V/Kv+zLtBu2f90sWuWckAXAsoD3cADdTzLgva8DPAx"
    "EQX9BtCzxYupf8ifXgL9pJQagA0GgL2R51PAZfBPCCn4N4D/gdpWGeSj9gr0TUBHgkVWah"
    "eGrdeiwdZC+qjWhmECRo1Qt5TBEpfZaA7X05He2RT2/SjmUJOJZsC5QHnLud2s5O6mdu3d"
    "niXCDHz2fhpXuKXWxrSc0tSbaGr2FholJiYCLXNBqYkgkSiapGRqFMZMdFvwL67sFv+Lu7"
    "vrBP4X/VEK9U83F73Bq2N/MFgjHDDv2alvogk0tTF0cKmZnxJTE3+TiQ//KLWsBs0V5JvE"
    "ofED0tBTWV8oJaaGYBMiBkFbn2ouehEEU0fsqoSMSYo1Ii0gB/pR77dRPvTWPLxzfXf7MW"
    "qeHo+UQcl5eGeKBIx57jqbkNvhKhvRvge7yAZZheXyMhIyympfnZixTN3cVWJG3QAumpmR"
    "mFobZGaoYLEY760Gi+8IGmELXfJImyBcHL/dzgsYU4I0l7XUophdkYRnh31IrzEBXAY4zA"
    "4C4zkY3gx/Bsz9mvuZxlPoTAF2wCOaiaLEa3WhwsL1CgvPGD6l4sILgW3Za/uLDHeKRIY7"
    "8shwJxMZ5l+Gxr+BMggnhBphFaeSZY+K4MxaydNlj7JI24jjoUGBC3LF7nD9KIE7IZl2BE"
    "PRN9E/DhF99gONO6aRW4ssMamP0r9hZkP35j5hLV91Rz1+p5NwUqKrr9JpzYtOwJf+6BfA"
    "/wS/39320q7kot3o9xZ/J+i5VCP0WYNGTA9EVyPUEqOOXmaY9bbGqCclGzjqBzLKESa5ww"
    "xdF1kzEcEj97liIioGmPZiPWctVRkTq+CLOZxY4EF8MBl/Wu73bTUDFjrOIxLu2oxutXOz"
    "X2ONCrgxX9C467lT5oTYyGAuCIYmeGVgR6dPbO6xPtuAzVr7NfsLs19g/ATcKXR918XxPR"
    "T6zCYpwETk4FTbuXJ96uX6LAdVSOflGOhpwcblyB6fFrPRT/OM9NOslR6kjWvh950imjCB"
    "9jyHrl7IpfnquRvslmmOhXYRRl4Waw1D9aJ/2x18FQcLLgSRmouvo143HalhmonB6ol2vV"
    "3giVSlJOUaY0/9vdM5OXnXOTo5e//29N27t++PFjomeytP2Vz0P3J9k/gSslYXewHizKhd"
    "LlKZlNp9oLL1jweP6BxhMPaw6WLivOHP+2dr99/FdpKZ4cQrtwAsJXZHz7S2BXdS858U2c"
    "l8It/JfJLZyczNSuY2eLOSIcqEnEoEKhGjFNdDkE9nST2EJnCNZ0XMmDO5EXOmiEZFNLIu"
    "TOi42pqsSVpWUSd1o05S1JhdLr0jJqGSO1Ynd3jhlvsNUzsK7tyvG7hFEztikyqR1nHZHV"
    "52r3p5WR3bZPeGfA8CJQOkUztJUQkbtPOYPidoqtnLtisJvyGyn5D92sF+xoEvDzjB0waP"
    "aI4MnoDAt6czl8mgFsAGwMS/ELXVKX3EKMv1VdjvBjSfkBeR221iOuTw2adOIfKpk8M9dS"
    "LqSc7+PUHTE+1OyGGhFiKKgGqvSUDVKGC72oba5Rdw6CZUTaJPQ2ZD9EmP5/ULV6fY7fy1"
    "iROemAQ7BIotTXcEAb5vidfphARA3edL/+Ys0uSm2HGpPc8uPqUkVRSpXlEkiw0DlbCHPe"
    "JZGXM2gfJSus7kS+vy7qp37ud5fiP33eHw197XcxBGar+RYf/jbe9Ku/s00nqfe4OvX37p"
    "DVhzPnuZ00s9l39G9vyZTVeUnvyF7IHTIubAqdwaOM1WV/RfXSvLlKXlGkf/Vs+X+Y4MT1"
    "MXrPhyoJNSjYP5pJCFe5Jj4Z5kg6t4xhdpto4LwktypJNSjUP6rIjuOJPrjrOM7jgsAnin"
    "S21z+V/FCipWULGCMq/LR13gbkWjIfezgnVeX6SWrHSz5JAqx6hejtG+dxbVitCsemORXy"
    "elrPeSEGqcpVchaxwrJ0RFlT2L+faR7A6R1rGL/wzqq5dy7/uj/u+923MQyn8jdx8+9C97"
    "g3MQltn+RrpXN33Wwi8MvI4TX/0RCYdliKtMjGoscT+bIqJn10zGSIqrfIy6BROSxWWCKD"
    "GaUV2wjVaespyWa0zWcmW7wLC/i8Gda2wpG4vcrxzWKCu61jKX/nBqZLQdd4osWB35gtXJ"
    "EHQRaNF+oTX0l6wPpcTqrMT2UzWoZgPauKJBNcO3KIkkrxnE3gDcfrq+LlYzKAyGbXpQ0X"
    "K/54EZ2TK8szuuMNkQpFTeQhOBUhWoCoBEqMsWfd0HYUOkbmNd3XnumL40FTTHm81MxA8+"
    "0GzEXttxHc2CotNwSn2Si14HQadNhS/8MKU1VsuAxuuZ8UynoprsQFbYZG6JjR6wafqtNk"
    "fsPujtMuisqXMscGYCZaTJq72UAe5zrMtu0GOT0NtmOC9aRAURvdj6Kg/qGbFGKp63q6mi"
    "DpDbETF0UoQYOpETQycZYoh5pK4nydpaHWdaSu+sJGPLsOGDWzbMdDXofhidA1/2Gxl+ur"
    "jpj0a9q3PgeGMLMx1tfCP9W+1+cPdx0BsOzwEm2symnIhxePv7++veTe92pA16//7UG4ai"
    "aeOO99K9Z5185veZlrLpE7826H34NOSX2IrKd2N+I5z3Ye/05fYcPGN3yt7rea3QVvX5qZ"
    "A4z0JfKOdwtaVIPWpE8Mc2pkZE7HiYMjowJbbDSPDyDJUdMOWVh3YNpJvQjszBshx5Vlqx"
    "43Vmx1UgX/6hNTeQ782MNUc9KalGvS6jLvjYBWRcaOqtMe5pWaXV6zPQ2e/bRjrCT2sNdE"
    "pUjXOdx9nwkMZHQjzIEgstJpM3uo0aWT5amX2Ifl0gB4d+fVH80nI/MoYOcl1zvfUkIam0"
    "TK21DNJxWC0GOgHvnxxq+TlzAtEGJL/nDe42TppTB5+1tpCCCWczE+uQuCWBTYkpbAXY+k"
    "dmG56NymGbFlPYrs69W2CWxbl0+t19vK8Dg7loCl56jklO7svq3wrwVWcippGNlGkF4DZ8"
    "/3F63dnoxEndszbPjwkTEq7C3hqEvUr820Li32bQ/TA5f/vI9TtIoFSy3xbS1WIcMgOMPU"
    "4KKj8il7L/rIZ2sOjpIDkcMaLlc/oW66Q8ty++lK7M8dOMeOvV53UR4M1MCg1kADbT0RvQ"
    "BTaamVAPLwBmYM2dNrCg/cguMQ2ObAex5m3gUL/iblgLkR8qrFNrxo0PwdFd23uOSkusV1"
    "oiewPxeVLyrJyYSJ2rLq6ZjVN9xTP+wZSuNRKTaSDInbdvi+T8vX0rT/rj99KnRROXG6s+"
    "UCWwTss1EO/qJ7WD/xSAnHMC2p8ibH9cNjCB5RR23p6VmbJLCTVZi0xWZoowu650xae0XA"
    "PBPu68L1Sn4X1OoYb3GbwX9qDA98g7tCwpqE4tK3FqWWSwr5UQmBBVGYF1Ce0XyQONPMlS"
    "3lFSSC3Kq0N0sU15G8Y4mrfHvp0KcyRnV50qrQrIewGTI6b45WROPLrA6/VHAgXOX7eQ47"
    "BXBS4FDiIGgGMmDyAIIfwZPNs8ZZf4O6x8YkWfQjJhfbG3wE/IRgYw2QyyReevV9u5Ym7q"
    "xdwszlYpas0uBBpoxla/qXQG59wqygIs30MYE1F7CBPmUxV7CNU2px/RvOWRvLVykxdiKj"
    "G5zonJ8mol8uzNmIiqSprmAZQ/uB1cbaTjGUZlU43TYgpb5Wvv2tcWTuMK0G14tmb6060T"
    "kZFNpRPwGMJ8u5xDOzP5fsVYjC9T6PKDN/2zDjA0AXR4UojPJwQHInAG4gG/tFkrAzxPBW"
    "d4rtmH4iTqxUnkZCXL3eaEUD0cZ/68xjjOwUCxj4Q98qXMwGQE1eBUPjjl92PuYxvmnpzZ"
    "bWzEfLCppW1WMS7VRZ2HQRWNa0vyxw78YFLFL1bDL7KeqLlumZWEqOIZ68wzRt/ouOQe/I"
    "ycInAU6bhVXBUxthdibPmhK2ZsFbYZpVh6I/M2ubHkzkkBL5bZWinnxNywqbZInlAl2Q9K"
    "m7Zz2CqoR5sei6bQLCXq7PTVJodmpa8t4Z0q8K9rZkpv23lllm95nBNCDZzQ1cNMqKhQo5"
    "yri9qrgmmleTpFx8hneXPpGLbA0pJuZFxEnfOpfHPlm9fefyzrm/uf+O7c8pophMLVxWKK"
    "sPS5tNt0yMPiMQJPfFlWRu6CL4vYKNf7oJRlO8f1dnQqqnY5tKBpyosIREJNWo9OOu/OFu"
    "jyP/KAHd50r6+zS7xOLUuY0if3TGIiyjlRzkmF07q5zkltLOmDXxoydnQZw6SAzR0Vttu+"
    "xb3XodjahuyNzL1UGUaB2Zct1Cg3/1IlIgvZga1ulDX8NwfMkQOoDQgNMohNkyG63ATNGv"
    "DjBQHnnP10YxtNMOt+3g52RT/zxORn6PiSyBBts97mo5TdWi+7dWJD4pYuaxOT2mFNm/1k"
    "BlVY0sahni062CenYNNCYodG7YzOvKB+qhZ90duyc5PxjdOjAvGN0yNpfIPfEqaKBwooC/"
    "zKVPGloEoVz3c61AZ45XQcltOx7yGuOCziOWVBjUkoRFcHRDynkmhIw1PpYpNqdRxExZia"
    "UITsM7IX5cK6QS2LlsBJFjVr53nKTzEBDcYkVrrLPahPGYhz7rb6vcz5XlxsMH8bu3P2/t"
    "YY2W3wiGYub2JiC7tg4iGGMHdwieGXGJvS5/iG3ayrvL3HKDe5Xm4y9Vydlqu1GxNpYCra"
    "8VkBV+04bWbGiuyeHfZ2tZ1O7uY6A8poVUZrDWyrlUbrnoqiMBNhTF+GliOyp2J3c80oJ2"
    "inOWHDElVcoa4z2wUZYDz3TZSwKzC8GYIJmwbPUFD6pLy4snbqZe2E4ydUzHKDJylVjc2z"
    "X5i3TE67tAy8QettmZL7w7VTBNeOHNdOFlf0Uip1KGrfCDN915lDvBC3yMTIiWktJBoB+L"
    "Zn82H5RSpKsr5jtFESUXVWZxfZWJ+KLM7wTq61CZdtVHZzUwzCJ2Q7JXcWx0SaqOa3cd4f"
    "/6hKIBw2byC6x0dFVlHWSk4vHmXX0eBUxCzC8iSQmMju0z/2YyNWluix18Xs+/8BzrAg5w"
    "=="
)
