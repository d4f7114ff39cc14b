"""Plain SQL for the few reads every busy page makes, where building the query through the ORM cost more than
running it (issue 15: a Tortoise query took 0.3-0.37 ms of CPU to build and read, the same SQL 0.1 ms).

SQL is written once with ``?`` placeholders and runs on SQLite and PostgreSQL alike; values come back as the
engines give them, so the ``as_*`` helpers read the columns whose type differs between them (SQLite keeps
datetimes and JSON as text, booleans as integers).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise import connections
from tortoise.models import Model

_MARK = re.compile(r"\?")


def numbered(sql: str) -> str:
    """``?`` placeholders as PostgreSQL's ``$1, $2…``. (No ``?`` may appear in the SQL text otherwise.)"""
    count = iter(range(1, 10_000))
    return _MARK.sub(lambda _: f"${next(count)}", sql)


def _for_engine(sql: str, params: tuple[Any, ...], postgres: bool) -> tuple[str, list[Any]]:
    if postgres:
        return numbered(sql), list(params)
    # SQLite holds dates as ISO text and datetimes as Tortoise writes them (str() of an aware datetime).
    return sql, [value.isoformat() if type(value) is date else str(value) if isinstance(value, datetime) else value
                 for value in params]


async def fetch(sql: str, *params: Any) -> list[dict[str, Any]]:
    """The rows of one SELECT (or ``… RETURNING``), as dictionaries."""
    conn = connections.get("default")
    text, values = _for_engine(sql, params, conn.capabilities.dialect == "postgres")
    return await conn.execute_query_dict(text, values)


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


@dataclass(frozen=True)
class Select:
    """A SELECT and its parameters, run with ``await query.rows()``; ``sql(params_inline=True)`` is the text with
    the values written in, as Tortoise's querysets give it, for the tests that read PostgreSQL's plan."""

    text: str
    params: tuple[Any, ...] = ()

    async def rows(self) -> list[dict[str, Any]]:
        return await fetch(self.text, *self.params)

    def sql(self, params_inline: bool = False) -> str:
        if not params_inline:
            return self.text
        values = iter(self.params)
        return _MARK.sub(lambda _: _literal(next(values)), self.text)


def as_datetime(value: Any) -> datetime | None:
    """A timestamp column: PostgreSQL gives a datetime, SQLite the text Tortoise wrote."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def as_json(value: Any) -> Any:
    """A JSON column: decoded, whichever engine (asyncpg gives JSON text too, unless a codec is set)."""
    return json.loads(value) if isinstance(value, (str, bytes)) else value


_READERS: dict[str, Callable[[Any], Any]] = {
    "DatetimeField": as_datetime,
    "DateField": as_date,
    "JSONField": as_json,
    "BooleanField": bool,
    "BinaryField": bytes,
}
_ENUM_FIELDS = ("CharEnumFieldInstance", "IntEnumFieldInstance")
_columns: dict[type, list[tuple[str, str, Callable[[Any], Any] | None]]] = {}


def _columns_of(model: type[Model], enums: Mapping[str, type]) -> list[tuple[str, str, Callable[[Any], Any] | None]]:
    """(attribute, column, reader) of each column of ``model``, from its public description. An enum field's
    type is not in the description: ``enums`` names it, and a missing one is an error, not a plain string."""
    if model not in _columns:
        described = model.describe(serializable=False)
        found: list[tuple[str, str, Callable[[Any], Any] | None]] = []
        for field in [described["pk_field"], *described["data_fields"]]:
            kind = field["field_type"].__name__
            if kind in _ENUM_FIELDS:
                if field["name"] not in enums:
                    raise TypeError(f"{model.__name__}.{field['name']}: name its enum type to read it by SQL")
                found.append((field["name"], field["db_column"], enums[field["name"]]))
            else:
                found.append((field["name"], field["db_column"], _READERS.get(kind)))
        _columns[model] = found
    return _columns[model]


def model_from_row[M: Model](model: type[M], row: dict[str, Any], enums: Mapping[str, type] | None = None) -> M:
    """A model instance from a ``SELECT *`` row, as the ORM would have read it (saved, so ``save()`` updates)."""
    values = {}
    for name, column, reader in _columns_of(model, enums or {}):
        value = row[column]
        values[name] = reader(value) if reader is not None and value is not None else value
    return model.construct(_saved_in_db=True, **values)
