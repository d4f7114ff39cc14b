"""Online fee payment (issue 7): payment attempts, receipts, the log of the gateway's callbacks, the sandbox
gateway's transactions, and a procedure's fee options (SQLite and PostgreSQL). Written by hand in the style aerich
emits; one attempt per dossier and purpose can be accepted (``payment.settles`` is unique). Its MODELS_STATE is
migration 4's: migrations 5 and 6 were written side by side, and 6 carries the state after both."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE_UP = """
        CREATE TABLE IF NOT EXISTS "payment" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "txn_ref" VARCHAR(34) NOT NULL UNIQUE,
    "purpose" VARCHAR(32) NOT NULL,
    "option" VARCHAR(32) NOT NULL,
    "amount" INT NOT NULL,
    "description" VARCHAR(255) NOT NULL,
    "status" VARCHAR(16) NOT NULL /* PENDING: pending\nPAID: paid\nFAILED: failed\nCANCELLED: cancelled\nEXPIRED: expired */,
    "settles" VARCHAR(64) UNIQUE,
    "refund_due" INT NOT NULL,
    "gateway_code" VARCHAR(8) NOT NULL,
    "transaction_no" VARCHAR(32) NOT NULL,
    "bank_code" VARCHAR(20) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "expires_at" TIMESTAMP NOT NULL,
    "settled_at" TIMESTAMP,
    "checked_at" TIMESTAMP,
    "dossier_id" INT NOT NULL REFERENCES "dossier" ("id") ON DELETE RESTRICT,
    "payer_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE RESTRICT
) /* One attempt to pay: each has its own txn_ref (vnp_TxnRef at the gateway); a new attempt is a new row. */;
CREATE INDEX IF NOT EXISTS "idx_payment_status_8a1c2e" ON "payment" ("status");
        CREATE TABLE IF NOT EXISTS "payment_receipt" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "number" VARCHAR(24) NOT NULL UNIQUE,
    "amount" INT NOT NULL,
    "paid_at" TIMESTAMP NOT NULL,
    "payer_name" VARCHAR(200) NOT NULL,
    "purpose" VARCHAR(32) NOT NULL,
    "description" VARCHAR(255) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "dossier_id" INT NOT NULL REFERENCES "dossier" ("id") ON DELETE RESTRICT,
    "payment_id" INT NOT NULL UNIQUE REFERENCES "payment" ("id") ON DELETE RESTRICT
) /* What the citizen keeps: written with the confirmation, never changed. */;
        CREATE TABLE IF NOT EXISTS "payment_callback" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "source" VARCHAR(8) NOT NULL,
    "txn_ref" VARCHAR(100) NOT NULL,
    "params" JSON NOT NULL,
    "outcome" VARCHAR(40) NOT NULL,
    "remote_addr" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP NOT NULL
) /* Every answer from the gateway (IPN, return, query), kept as received, with what the portal made of it. */;
CREATE INDEX IF NOT EXISTS "idx_payment_cal_txn_ref_5b7d0f" ON "payment_callback" ("txn_ref");
        CREATE TABLE IF NOT EXISTS "sandbox_payment" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "tmn_code" VARCHAR(16) NOT NULL,
    "txn_ref" VARCHAR(100) NOT NULL,
    "amount" INT NOT NULL,
    "order_info" VARCHAR(255) NOT NULL,
    "return_url" VARCHAR(1000) NOT NULL,
    "ip_addr" VARCHAR(64) NOT NULL,
    "locale" VARCHAR(4) NOT NULL,
    "create_date" VARCHAR(14) NOT NULL,
    "expire_date" VARCHAR(14) NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "response_code" VARCHAR(4) NOT NULL,
    "transaction_no" VARCHAR(16) NOT NULL,
    "bank_code" VARCHAR(20) NOT NULL,
    "pay_date" VARCHAR(14) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_sandbox_pay_tmn_cod_0c51a4" UNIQUE ("tmn_code", "txn_ref")
) /* A transaction the sandbox payment gateway took, and what the citizen chose on its page. */;
        ALTER TABLE "procedure" ADD "fee_options" JSON;"""

POSTGRES_UP = """
        CREATE TABLE IF NOT EXISTS "payment" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "txn_ref" VARCHAR(34) NOT NULL UNIQUE,
    "purpose" VARCHAR(32) NOT NULL,
    "option" VARCHAR(32) NOT NULL,
    "amount" INT NOT NULL,
    "description" VARCHAR(255) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "settles" VARCHAR(64) UNIQUE,
    "refund_due" BOOL NOT NULL,
    "gateway_code" VARCHAR(8) NOT NULL,
    "transaction_no" VARCHAR(32) NOT NULL,
    "bank_code" VARCHAR(20) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "settled_at" TIMESTAMPTZ,
    "checked_at" TIMESTAMPTZ,
    "dossier_id" INT NOT NULL REFERENCES "dossier" ("id") ON DELETE RESTRICT,
    "payer_id" INT NOT NULL REFERENCES "user_account" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_payment_status_8a1c2e" ON "payment" ("status");
        CREATE TABLE IF NOT EXISTS "payment_receipt" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "number" VARCHAR(24) NOT NULL UNIQUE,
    "amount" INT NOT NULL,
    "paid_at" TIMESTAMPTZ NOT NULL,
    "payer_name" VARCHAR(200) NOT NULL,
    "purpose" VARCHAR(32) NOT NULL,
    "description" VARCHAR(255) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "dossier_id" INT NOT NULL REFERENCES "dossier" ("id") ON DELETE RESTRICT,
    "payment_id" INT NOT NULL UNIQUE REFERENCES "payment" ("id") ON DELETE RESTRICT
);
        CREATE TABLE IF NOT EXISTS "payment_callback" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "source" VARCHAR(8) NOT NULL,
    "txn_ref" VARCHAR(100) NOT NULL,
    "params" JSONB NOT NULL,
    "outcome" VARCHAR(40) NOT NULL,
    "remote_addr" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_payment_cal_txn_ref_5b7d0f" ON "payment_callback" ("txn_ref");
        CREATE TABLE IF NOT EXISTS "sandbox_payment" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "tmn_code" VARCHAR(16) NOT NULL,
    "txn_ref" VARCHAR(100) NOT NULL,
    "amount" INT NOT NULL,
    "order_info" VARCHAR(255) NOT NULL,
    "return_url" VARCHAR(1000) NOT NULL,
    "ip_addr" VARCHAR(64) NOT NULL,
    "locale" VARCHAR(4) NOT NULL,
    "create_date" VARCHAR(14) NOT NULL,
    "expire_date" VARCHAR(14) NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "response_code" VARCHAR(4) NOT NULL,
    "transaction_no" VARCHAR(16) NOT NULL,
    "bank_code" VARCHAR(20) NOT NULL,
    "pay_date" VARCHAR(14) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "uid_sandbox_pay_tmn_cod_0c51a4" UNIQUE ("tmn_code", "txn_ref")
);
COMMENT ON COLUMN "payment"."status" IS 'PENDING: pending\nPAID: paid\nFAILED: failed\nCANCELLED: cancelled\nEXPIRED: expired';
COMMENT ON TABLE "payment" IS 'One attempt to pay: each has its own txn_ref (vnp_TxnRef at the gateway); a new attempt is a new row.';
COMMENT ON TABLE "payment_receipt" IS 'What the citizen keeps: written with the confirmation, never changed.';
COMMENT ON TABLE "payment_callback" IS 'Every answer from the gateway (IPN, return, query), kept as received, with what the portal made of it.';
COMMENT ON TABLE "sandbox_payment" IS 'A transaction the sandbox payment gateway took, and what the citizen chose on its page.';
        ALTER TABLE "procedure" ADD "fee_options" JSONB;"""

SQLITE_DOWN = """
        ALTER TABLE "procedure" DROP COLUMN "fee_options";
        DROP TABLE IF EXISTS "sandbox_payment";
        DROP TABLE IF EXISTS "payment_callback";
        DROP TABLE IF EXISTS "payment_receipt";
        DROP TABLE IF EXISTS "payment";"""

POSTGRES_DOWN = """
        ALTER TABLE "procedure" DROP COLUMN "fee_options";
        DROP TABLE IF EXISTS "sandbox_payment";
        DROP TABLE IF EXISTS "payment_callback";
        DROP TABLE IF EXISTS "payment_receipt";
        DROP TABLE IF EXISTS "payment";"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES_UP if db.capabilities.dialect == "postgres" else SQLITE_UP


async def downgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES_DOWN if db.capabilities.dialect == "postgres" else SQLITE_DOWN


MODELS_STATE = (
    "eJztXWlz2zia/isof5l0lZKy5SNZ99RWybbc7W3H9kpOMt2TKRZEQhLWFMAmSDvq2fz3AX"
    "hIPECKkCiZYvBlpkPigegH13vj3wczaiGbvetNEDHnB+fg3wcEzhD/j8ybDjiAjrN8Lh54"
    "cGQHTeGyzYh5LjQ9/nQMbYb4Iwsx08WOhykRbXtghgnmreYdAIHj0mdMTASoC0xEONa252"
    "9dnwATe3Pwhj+mhL8dA+wxYCEHut6Mt2M/dQQEApPOZj4J8C/Qtd6Jj7CoyfvHZLKj3/MJ"
    "/tNHhkcnyJsil//qP//FH2NioW+Ixf90nowxRraVIhlbooPgueHNneDZDfGug4biTxkZJr"
    "X9GVk2dubelJJFa0w88ZSPAHKhh0T3nusL4olv29EIxWMRfumySfiJCYyFxtC3xfAJdPgB"
    "y2cHhnF3/2gM+4+GcZAb2hiRYD96ZFIipgX/VBb89RPxCW+7RyfvTz4cn5184E2Cz1w8ef"
    "89/OklMSEwoOfu8eB78B56MGwRcLwk1eQzNE/r5RS6cl7j9hlm+SdnmY15bC61M/jNsBGZ"
    "eFP+z5PDEh4/9waXv/YGb04OfxI/SPmyDVfzXfSmG7wSVC+pDf4/R+3/DO/v5NTG7TPUWt"
    "j0wP8Dm6/LdSiOHyw5Xm42OyC5hFTBhOh5xtifdpLMNx97/8jyfHl7fxGQQ5k3cYNegg4u"
    "MqTb6BnZKhN6AahnRr8y3ek5fXRWYU4fnRXOafEqTS/f4/kObyhtxSnM6h1ZwnK0KzSG5B"
    "r2ZHHKjZ+kW3LIV57ga+oiPCG/oXnA8w3/JsiPZwmrOXFkv/j9Hs+g+OnyE134spAM0hOL"
    "//n8j0ZeQMCgP3wc3FxyogXPI2g+CQHEKCDcnGLb4l3lKb+IkNe/DZANg7/jh2E7ve5dai"
    "LLFxvvRiQ9xP3s4d5aiSg6HmMTuRvS9ImhKqfPPs4kizKGNyboKuylrbOIrzP+oxtyNAg6"
    "aRNFYjOnXZrYxFPbe/7VrDvLPoGEa+BW9Nvil3I7k0SxT21bxbq9k2q2Wr0nAFqRxs3H8h"
    "mBRQcAMsD1Y+D4IxubwOTqm00nPgJhFyPEuNItUeDr6FGr6FpFbwq1W1bRPezZSjr6AqCV"
    "9A2UdObPZtCdqxCfgGjqN6CeH158+4dEJlwUs59G6QHYYAD4F/mBlVyF/xRI078B/WPqzl"
    "SYj9tr0jchHUkO2UK5MGq9lqVwLaYPGy0Ypmg0CPWUBJYkZqM53Exbw86mcKBHMcY/ybDg"
    "XLJ5F5u/88jdTe3Gqz1Zm4chNlylszGL0zv1Jjs1/wqDEhsTyS5zQamNICnYaNLIzCiMOH"
    "Rb9C+e7Jb/i/v72xT/FzePGdY/fbzoD94cBYPBG+HQOZGf+jaaQNsYQYaVZn4Gpif+JhMf"
    "/ql0rIbNNeWbuOrxGBnoWVUXysD0EGxiiEHQNaeGh75J/M2P/GmBMSYNa0XkRAn1j/1/PJ"
    "ZTP5tHb27v736Jm2fHIyNQCjs8myKJxbz0nE3hdnjKxmbfvT1kw8BLtdCVFEZL7atjV5bR"
    "rbuKXWkawVWDV1JTa4PgFe1Pl/O9VWfxPUGPeIYuhadN4i5Ovu6UOYwpQYbHWxqxz65KTD"
    "jjC+ktJkBgAONyEBjNwfDj8GfA1a95EIw9hWwKMANPyJF5idfqQruFm+UWdjg/Sn7hBWBb"
    "8trreYa7VTzD3WLPcDfnGRYrwxBrQIXhFKgVUnEmnviwCs+8VXFE8WGeaRcJPgwoUUGu+B"
    "uxPxbQnUJmFcEI+i7+j31kn/+B1j3fkQ8WMWKFOsrNRy429D4+pKTlq95jX7zpppSU+Omb"
    "bOT3ohPw5ebxVyD+Cf64v+tnVclFu8c/DsQ3Qd+jBqEvBrQS+0D8NGYtNerom4N5b2uMeh"
    "rZwlHfk1GOOSkdZuh5aObIDDzFOlcCon2AWS3WZ2ttlQlYDStmf3yBe7Fgcvp0sd631QhY"
    "yNgTkia2xq86pdGviUYV1JgvaNTzvSlXQlxkcRUEQxu8sTAz6TOfe7zPDuCz1n3L/4X5X2"
    "D9BLwp9ALVhQUaCn3hkxRgIlNw6u1cqz7NUn2Wgyo155UI6Flg62Jkj06qyegnZUL6SV5K"
    "D8PGjWh9ZwxNmEB3XmKuXuCy9uq5FyYUtUdCu4g8L4uzhrN6cXPXG/wudxZcSDw1F78/9n"
    "tZTw3fmTitviwx8AJPCreUNK418tR/dbvHx++7h8dnH05P3r8//XC42GPyr8o2m4ubX8R+"
    "k1oJeamLfwBhDnXVPJVp1O4dlQd/H/vEFAyDkY9tDxP2Tvzefx/sfl1sJ5gZTny1A2CJ2J"
    "155mBbdKd3/uMqyd7Hxcnex7lkbyFWcrXBdxRdlCmcDgRS8FHKS0YUT+eCkhFtsDWeVRFj"
    "zoqFmDNtaNSGRt6FDZlnrGk1yWK16aRpppOMacxVC+9IIHRwx+rgDj+qSrBhaEfF4gZNI7"
    "dqYEdiUqXCOi57w8veVb8sqmOb1r2hyEGgZIBM6qZNVNIGnTJLHwubGu6y7UqD3xC5z8h9"
    "y3AQcRDggTDwdMATmiNLBCCI9HSuMll0BrAFMAkexG1NSp8wytv6aux3AzOf1C5SLLfJzS"
    "H7b33qVjI+dUtsT93Y9FRs/XuGti/LTiixQi0g2gDVWdMA1SCH7WoZapcrYN9FqIZ4n4Zc"
    "hrghfRHXLz2dEq/LzyZh8MQkzBCodjTdEwRE3pIoZQoJgGZgL/0bW4TJTTHzqDvPHz5KSO"
    "1FapYXacaHgRZYD/vEn+XE2RTLS3STjS8Hl/dX/fMgzvMreegNh7/1fz8Hkaf2Kxne/HLX"
    "vzLuPz0a/c/9we9ffu0PeHMxe7nSS31PLCN3/sKnK8pO/krywEkVceCkWBo4yRegDD7dUL"
    "WUZXGtM//Wby8LFBkRpi458YuJTqNaR/NxJQn3uETCPc47V7EjDml+jkvcS8VMp1GtY/qs"
    "yt5xVrx3nOX2jv0yAO/0qG2v/VdbBbVVUFsFi7SugHWJuhWPRrGeFZ7z5iK0ZKWaVUypVo"
    "yapRi9dmZRowyadScWBXVSVLWXFKh1kl6NVuNEOSEqq+xZTbePsTtk2sQe/issQa+k3t88"
    "3vzRvzsHEf4rub++vrnsD85BVIn8K+ldfbzhLYLCwOso8fXfIrFfgriOxKhHEg+iKWLz7J"
    "rBGGm4jsdomjMhXVwm9BIjh5qSNNrikOUsrjVRy7VlgeEgi8GbG/woG8nUrxKrUR661jGX"
    "XTgNEtqOulUOrG7xgdXNGehi0uJ8oTX2r6I+9CbW5E3Mwsyx4dxgyPP436xWtVmCbUYWgP"
    "jZ9mQBvEphp4atudbVdWoYv1XtfMVlnfgXgLtPt7fVyjpF/spNr9tapuTumR5UxHc+KY7v"
    "Z5uRlAktaSNRukhYBZII9bhcZgYkbMjUXaKre98b0W9tJY35jmMjcTeF4SL+2cxjxgzKLi"
    "xSWpKLXgdhp22lL1qYhWVwVUgTJedEMFrVnWxPTth0+I+Lxti2g1abM/YQ9nYZdtbWORbq"
    "m+FmZBQX5FEh7nOiy17YY1vZi65iNDBjvrRY7zZuZNzHpRkT5aJn+qSZKtvEfDY1mD9a/M"
    "Km2xjvb5jorq1LEVt8o6FeoGCFqUcbEnez7HCZ9tQW5rYZNhJrApLIkYSSUBw8YiUa6biR"
    "XU0VfVHpjhwQx1UcEMfFDojjnAOCedDzC6KDV8czLNE7K/17YLlw7KmGM1wNeteP5yDAfi"
    "XDTxcfbx4f+1fngJ+WM8wFTesrubkzHgb3vwz6w+E5wMRwXCqsw0y0f3i47X/s3z0ag/7/"
    "fuoPI2hWQxW99B54J5/Fe75LufRZPBv0rz8NxSOuFois/69E+Bf4N325Owcv2Jvy73pZK4"
    "Si/jwISNiL1KBTconnEqK9ELV7IRLXkKnsgRnYDiOOlnd17cAjW3sIkYVMG7qxTqvqi82j"
    "tRe2yV5YHTBWvNDaGzDmO9aao55G6lFvyqhLFrvEoxCJemuMexard/XmDHR+fbvIRPh5rY"
    "HOQPU4N3mcLR8ZYiTkg1wgoSUwZaPbqpEVo5XLdw/qzzEc6fVV+cvifmQORfydvd55kkLq"
    "XabRuwwycVSVDLLQ6p8e6uL7TCXQFiRZlQ3uNm40tSGZ+HCiZAJOYnZI+TPejd3jQwWzx4"
    "dCq8eHnNFPX2G6hWQK6Dg2NiHxFInNwDS3Em4dl5rI8l2kxm0WprldHaK94CzPs3KU9kOy"
    "rz2juWqkdnaOFdzBm99/a+BX326cZTbeTGsgt+WVRLLnzkZ3R5v+bPMwyijk4yrqrUXc6/"
    "jwLcSHb0bdDxMa/hoh4XtJlI4JXztYdzOqKgfp7jFFxhhi23dRLVRdh321iTGlKNMEuVBk"
    "RBdzek/QI+X/U4HZRU97aXqVM6oeirsQvopDcpPy2crQXMNKtl59nSsBvmNTaCEL8O0TvQ"
    "M94CLHhmb0AHCpfc46YAbdJ/6IiwXIZYg37wBGgwsZolLZADNg0pkjJFrJza7b+x0dTdys"
    "aGL+BfLrRoutyQlIk4tyr2lMrr8grlgwyqXoEpgWktw9Pa0Sqnt6WhyrK95l6p1R4gkNKC"
    "BKgessroV81z+pGf5LQnLJBbl/ybj9cU3MKS6nsHt6pjJllwg9WatMVi6KcLlOuSBoFtdC"
    "so+6VbynvFVJHa+cB3UpD0p0j7I7bdNAfamtwqW2scC+VhxvCqoDeZsSkVMlfDvWJJW0oz"
    "RIH8qr/b6JXNoNHWftq+/TyfjO0rOrSYX4JR4hiSVH7jcqNuYkXVbiOqcYsNqeA2aIMf6p"
    "wKOAIWIBOOJ4AEFE4c/gxRWR9iRIjAwMK+YUkgnvi38FfkYusoDNZ5ArMeLU3Lm23DTLcr"
    "O4eq+qNLsAtFCMrT8X3IFzIRXlCS5O/U1AdOpvSnyqI/VXZyf+iOKtcA+vlVKwgOl8gibn"
    "ExRXSisOCU5AdNH6nDHRk+aAlRm55AlgW6xa4nBpNHIn78LCVcnApVCnnqBvXlzib429SQ"
    "LX13U3eIsybciHwDJGSl7SNKoFiU5bvzc0IswnHraVRbwsWJ/6jV5SU0gIkoxyyXpaQlq3"
    "mGpOYFtYbwyPquivWVwzlFjxe61RYoPrtZDrUokluThzNo1qwfTfddKsdpJsR9lwkYkdjF"
    "STOrMwza12QO3aASWdxjWw2/K8uOzSbZJ3L5+0JHHuSTObin17+cyqaq69L1PoAUjC+2Ex"
    "tAFkIlI6cLKFl8gKt9wYf+vwVhZ4mc7zHrw1+9COumY56kryP0tk8SRIC+K1C+LhQPFFwn"
    "/ym8rA5IB6cGofHPXaQq9RUuiVbD3b0I/GLp0Zm1U/z3TR5GHQBdA7BUkVeaOsdrr/gE53"
    "3hO11y0ZmoJqM3yjzfDRGh0pVjvL4bQBR2Ic00ZHbRhrmPVG1TC2XOjaMraK29ymqFwyap"
    "u2sXSNGoldLFfEptgm5kVNjUVEsb5ebK92006JtQqacSWQqp75JaLJSl9jAstX6toFdqca"
    "9OuGidLbVl655KvOcwrUwgldP82EygJOi211cXsdx6Bsp9PmmOJZ3l5zDD9gqaIamYSspU"
    "Q27ajQunljedW6+avo5sES351a3rANoSqryY0wxSn/AHD36fb2tRTyqKKiRBNf1losVsGX"
    "lR216r1Xm2WnRPVmJpXdKzCcQdsurqwVg9p0Hh13358t2BX/KCN2+LF3e5s/4k06m0lD+o"
    "o1kwREKydaOalxWrdXOWmMJL33R0NOjlYRTCrI3HG15+1L3K86FFurUrSRuJcpeC8R+/Il"
    "8YvFv0wx/kpy4EEvjhr+GwNzxAB1AaFhBLFtc0aXlYF4gzF1Z0DYnINwYxdNMO9+3glLBb"
    "2IwOQXyAIksmS1h7b5U1pubZbcOnEh8ZRrPSZQOyz0+DqRQTXWeWTUd2WX1JYUeFggdijU"
    "OtTxw0sFjHhFb0vOTfs3Tg4r+DdODgv9G+KVNFQ83IDyxK8MFV8Cdah4udKhq0JppWO/lI"
    "7XHuKa3SI+UyU1gdCMrnaI+KwWb0jLQ+kSk2q1H0T7mNpQmfczchc1dHthbawDiZIsa9Yp"
    "05SfE4C46FY1dbkPzSkncS7U1qCXucjFxRbXt7E3598/GyG3A56Q44kmNp5hD0x8xBkWCi"
    "6xgrq7U/qSTNjNq8rb+xmtJjdLTaa+Z1K1CygSkBaGoh2dVVDVjrJiZqIy39l+p6vtdHK3"
    "VxnQQqsWWhsgW60UWl+pKAoXEUb023DGZPJU4m2pGMXCdgaLGipcbQBNk8suyAKjeSCiRF"
    "2B4cchmPBp8AIlpU/U4VraaZa0E42fdGMuFnjSqHpkntelecvGaVmFx7Lkhm2Kkq/Ha7cK"
    "r91iXrt5XtE3pdChuH0rxPRdRw6J22lkIkaJT2uBaAXh257N+6UXaS/J+orRRkFENUY3Ix"
    "aOUj66OXxTKm26yzYrBc17wmVCrodwCTGEgbh02nkgLz5cXYtLyGF4bzkmwUMhtYAxtS1h"
    "WsMeA1PIpqJZYGbj4qPkUvRt/pAWXpslvJp8TqocR3H71gms9ac/Y8b8tU6iFLB9Bro9OX"
    "dikkotcjYkE58fDCpLKIlpoUxXe4l/EzNpnYZiFSWJ0ekN6kqKvkR8t5eI478kPBfnQUXN"
    "tUFfFjQ6hd3TM6VZu0C0z1pU/91FgV7g8v7IBLmOi9UuZpWjW7hPbI145o/+D5nrkJ5Atu"
    "BMzAjvh1UMSbxVsfh+mDeMcumaeXDmKAf8Z5A7DPpfPNnfqP+NajO/RkGjg2doY0txovNJ"
    "eXtzdQ4CrKiU/Pn+t7BS8jN9EpWSh58e+oNh/yqquIxchqxwOr1+8En0kcY61cuzyBbsRb"
    "uWz2MS16lZnETqksVNNi1wTYqYiuWKUxitH+hySDvjNbJZqtbXzsJ0BS/Z1XPhpq3KbQ6n"
    "yZWIm7FoxdTIzeFqIXfvXU0lsZU6e6WW7JVlee28sFADt71FRy2lNiUiVWB2cULVQG67C9"
    "Blz/KCInTyo02zu/I6ysxpXkONP9kxmB8IxWo6y7CXfTr8qg5D7tyvMgwrWZevgIsIHw/A"
    "AIV1JrbAfUMXwfe1grGuIbZ9Fx0UxmTFDTqrQ7OMcaLt6lwAEt1+Bm3wMqUMxQFUJvVtCx"
    "DqgVEcWxXGUi2ai2VlsU7qFtRgR2UAewBOOCuS5IHt/54O2GpWwBZyXVkx3GKT6wLQCjfb"
    "rm2tOp64eKa3K55YXwv449nYtTVYm34apmA0t3DJg8+mQ3+U/OvzpT2zbUpFbIe3FnEp6e"
    "YVMm5HLn1hQUlN0QVAxHIopzQoEvKE5uxnLgfPxB3EXCpGJFkvBDA4Z4BRUahTPA7wvKtn"
    "bKLwHZd+MQMTSiSZETv9ZS15N0zyjsY6T21x7FUS07qUiaPDSmFXollxcMlhPvDK6Z6eWV"
    "MVmpeIVig52STJalmSZWmSOY65WKTEcNy+hfweVZ3FZZM4n7Yg9nUVhpeIFoREZaPmKzFc"
    "kuh7pDN9tWYuurAh87jIaJqIsTWGXgLXGnqTNXRd8kqXvGqAVt7Qklc3Fpo51BMRDQNkUj"
    "etBRY26pQp5XjZ3HCX7SuVJ0hghTYM6BhwbVZUtqJ+XD1gjF3mcS2Zjz/zuB4dVX7s8EeO"
    "Dedccx5zDRmSuXjAD2p5fYKt/ZJE6/7nYpHwXzr4l1bCX1EJFyOgIFRHzVuotdSfYRYtFB"
    "V6E5AWUryVrLIwQ8mQ190oDjdNo3Qkbz6S16bmIjqm6vxNYlqndZ9Wmr6nJdP3ND9990vr"
    "1nWHdd3hxmxWWglrpxLWQy42pwcSzSt60ylTt+Cyjb7fep+Wc6dES3lGrrxmUbEokoC0UJ"
    "Tunp5W8WGdnhb7sMS7jA+LLyoFhqPmLWR3Kx4s/oue9Fbx4msAE5DdXwD4Ogb12q76y0kH"
    "uzzMvv8H80h+XA=="
)
