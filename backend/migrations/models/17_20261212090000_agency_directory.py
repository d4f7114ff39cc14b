"""The agency directory (issue 17): every agency gets its kind (``people_committee``, ``police``, ``justice``...),
its province and the administrative unit it governs (GSO codes), an address and opening hours, an accent-free
search key and an active flag; every procedure says where it is filed (level and kind of agency, optionally
narrowed to a list of agency codes) and may carry per-province fees and time limits. The catalogue loader fills
the directory (3,321 communes, 34 provinces, their departments). Existing rows keep their codes; the loader
gives them their new fields. The same SQL on SQLite and PostgreSQL but for the JSON type. No MODELS_STATE: aerich
then records the models as they are when it applies this migration."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

INDEXES = [
    ("idx_agency_level_kind", "agency", ("level", "kind", "province_code")),
    ("idx_agency_province", "agency", ("province_code", "level")),
    ("idx_agency_unit", "agency", ("unit_code",)),
]


def _columns(columns: tuple[str, ...]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _up(json: str) -> str:
    columns = [
        ("agency", "kind", "VARCHAR(32) NOT NULL DEFAULT 'people_committee'"),
        ("agency", "province_code", "VARCHAR(2)"),
        ("agency", "unit_code", "VARCHAR(5)"),
        ("agency", "address", json),
        ("agency", "hours", json),
        ("agency", "search_key", "VARCHAR(255) NOT NULL DEFAULT ''"),
        ("agency", "active", "BOOL NOT NULL DEFAULT TRUE"),
        ("procedure", "filing_level", "VARCHAR(16) NOT NULL DEFAULT 'commune'"),
        ("procedure", "filing_kind", "VARCHAR(32) NOT NULL DEFAULT 'people_committee'"),
        ("procedure", "offered_by", json),
        ("procedure", "province_terms", json),
    ]
    statements = [f'ALTER TABLE "{table}" ADD "{column}" {kind};' for table, column, kind in columns]
    statements += [
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({_columns(cols)});' for name, table, cols in INDEXES
    ]
    return "\n".join(statements)


DROPPED = {
    "agency": ("kind", "province_code", "unit_code", "address", "hours", "search_key", "active"),
    "procedure": ("filing_level", "filing_kind", "offered_by", "province_terms"),
}
DOWN = "\n".join(
    [f'DROP INDEX IF EXISTS "{name}";' for name, *_ in INDEXES]
    + [f'ALTER TABLE "{table}" DROP COLUMN "{column}";' for table, columns in DROPPED.items() for column in columns]
)


async def upgrade(db: BaseDBAsyncClient) -> str:
    return _up("JSONB" if db.capabilities.dialect == "postgres" else "JSON")


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWN
