"""Plain SQL for the few reads every busy page makes, where building the query through the ORM cost more than
running it (issue 15: a Tortoise query took 0.3-0.37 ms of CPU to build and read, the same SQL 0.1 ms).

SQL is written once with ``?`` placeholders and runs on SQLite and PostgreSQL alike; values come back as the
engines give them, so the ``as_*`` helpers read the columns whose type differs between them (SQLite keeps
datetimes and JSON as text, booleans as integers).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise import connections

_MARK = re.compile(r"\?")


def postgres() -> bool:
    return connections.get("default").capabilities.dialect == "postgres"


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


async def execute(sql: str, *params: Any) -> None:
    conn = connections.get("default")
    text, values = _for_engine(sql, params, conn.capabilities.dialect == "postgres")
    await conn.execute_query(text, values)


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
