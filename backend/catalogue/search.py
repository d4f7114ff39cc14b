"""Catalogue search in the database: words folded and cut in Python, matched, ranked and paged in SQL.

Both engines index the same tokens, so they agree on what matches: lower-case, accents removed from Latin
letters (đ -> d), one token per word; scripts written without spaces (Chinese, Khmer, Thai...) are cut into
overlapping pairs of characters, so any part of a title finds it. SQLite keeps them in an FTS5 table (the
``ascii`` tokenizer only splits on the spaces put there), PostgreSQL in ``tsvector`` columns with positions,
built here from the same tokens (no text-search parser, which would cut Khmer between its vowel signs).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

# The words' side lives in search_words; these names are this module's interface too.
from backend.catalogue.search_words import LATIN_WORD, Term, document_tokens, edits, fold, query_terms

__all__ = ["document_tokens", "edits", "find", "fold", "index", "indexed_count", "query_terms", "unindex"]
MAX_POSITION = 16383  # PostgreSQL's limit for a position in a tsvector


def _vector(tokens: list[str]) -> str:
    """A PostgreSQL ``tsvector`` literal with positions (for phrases), lexemes taken as they are."""
    positions: dict[str, list[int]] = defaultdict(list)
    for position, token in enumerate(tokens, 1):
        positions[token].append(min(position, MAX_POSITION))
    return " ".join(f"{_quote(token)}:{','.join(map(str, ps[:256]))}" for token, ps in positions.items())


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


class _Dialect:
    """How one engine matches a term, a phrase and the whole query; SQL uses numbered parameters ``?n``."""

    def __init__(self, conn: BaseDBAsyncClient):
        self.postgres = conn.capabilities.dialect == "postgres"

    def sql(self, text: str) -> str:
        return re.sub(r"\?(\d+)", r"$\1", text) if self.postgres else text

    def phrase(self, tokens: tuple[str, ...], prefix: bool) -> str:
        if self.postgres:
            return "(" + " <-> ".join(_quote(t) + (":*" if prefix and i == len(tokens) - 1 else "")
                                      for i, t in enumerate(tokens)) + ")"
        return '"' + " ".join(tokens) + '"' + ("*" if prefix else "")

    def in_title(self, phrase: str) -> str:
        return phrase if self.postgres else "{title} : " + phrase

    def matching(self, column: str, param: int) -> str:
        """Ids of the procedures whose ``column`` (``title`` or ``body``) matches parameter ``param``."""
        if self.postgres:
            return f"SELECT procedure_id AS id FROM procedure_search WHERE {column} @@ ?{param}::tsquery"
        return f"SELECT rowid AS id FROM procedure_fts WHERE procedure_fts MATCH ?{param}"

    def event_filter(self, param: int) -> str:
        if self.postgres:
            return f"p.life_events @> ?{param}::jsonb"
        return f"EXISTS (SELECT 1 FROM json_each(p.life_events) e WHERE e.value = ?{param})"


def _filters(dialect: _Dialect, agency: str | None, event: str | None, params: list) -> str:
    sql = ""
    if agency:
        params.append(agency)
        n = len(params)
        sql += (f" AND p.agency_id IN (SELECT a.id FROM agency a LEFT JOIN agency up ON up.id = a.parent_id"
                f" WHERE a.code = ?{n} OR up.code = ?{n})")
    if event:
        params.append(json.dumps([event]) if dialect.postgres else event)
        sql += " AND " + dialect.event_filter(len(params))
    return sql


def _ranked_sql(dialect: _Dialect, terms: list[Term], filters: str, params: list) -> str:
    """Matches of any term, ranked: the whole query as a phrase in a title first, then by how many terms match,
    then how many match in the title, then in catalogue order (the procedures' ids: reading their codes would
    read their rows). Short queries need every word the best match has; from three words on, one may be
    missing (a typo, a synonym). Each match is one index look-up; their ids are counted together."""
    phrases, whole = _phrases(dialect, terms)
    parts: list[str] = []

    def matches(column: str, query: str, score: str) -> None:
        params.append(query)
        parts.append(f"SELECT id, {score} FROM ({dialect.matching(column, len(params))}) m{len(parts)}")

    for phrase in phrases:
        matches("body", phrase, "1 AS hit, 0 AS title_hit, 0 AS phrase")
        matches("title", dialect.in_title(phrase), "0, 1, 0")
    matches("title", dialect.in_title(whole), "0, 0, 1")
    if filters:
        filters = f" WHERE id IN (SELECT p.id FROM procedure p WHERE p.published{filters})"
    return _ranked(f"""
            SELECT id, sum(hit) AS hits, sum(title_hit) AS title_hits, max(phrase) AS phrase
            FROM ({" UNION ALL ".join(parts)}) AS matched{filters} GROUP BY id""", _slack(terms))


def _slack(terms: list[Term]) -> int:
    return 1 if len(terms) >= 3 else 0


def _phrases(dialect: _Dialect, terms: list[Term]) -> tuple[list[str], str]:
    """Each term as a phrase of its tokens, and the whole query as one phrase."""
    whole = dialect.phrase(tuple(tok for t in terms for tok in t.tokens), terms[-1].prefix)
    return [dialect.phrase(t.tokens, t.prefix) for t in terms], whole


def _ranked(hits_sql: str, slack: int) -> str:
    """Rows ``(id, hits, title_hits, phrase)`` of ``hits_sql``, kept and ordered as both searches rank them."""
    return f"""
        WITH hit AS ({hits_sql}
        ), scored AS (SELECT hit.*, max(hits) OVER () AS best FROM hit)
        SELECT id, best, count(*) OVER () AS total FROM scored
        WHERE hits >= CASE WHEN best > 1 THEN best - {slack} ELSE best END
        ORDER BY phrase DESC, hits DESC, title_hits DESC, id"""


def _best_only_sql(dialect: _Dialect, terms: list[Term], filters: str, params: list) -> str:
    """PostgreSQL: what ``_ranked_sql`` answers when some procedure has every term, from one index look-up.

    The index is asked for the procedures that have every term (or all but one, from three terms on): GIN
    intersects its lists, so a few hundred rows come back instead of every procedure that has any common word.
    Only those rows are scored. When none has every term, ``best`` says so and the caller asks ``_ranked_sql``.
    """
    def param(query: str) -> str:
        params.append(query)
        return f"?{len(params)}::tsquery"

    phrases, whole = _phrases(dialect, terms)
    slack = _slack(terms)
    if slack:
        wanted = " | ".join("(" + " & ".join(p for j, p in enumerate(phrases) if j != i) + ")"
                            for i in range(len(phrases)))
    else:
        wanted = " & ".join(phrases)
    hits = " + ".join(f"(s.body @@ {param(p)})::int" for p in phrases)
    title_hits = " + ".join(f"(s.title @@ {param(p)})::int" for p in phrases)
    phrase = f"(s.title @@ {param(whole)})::int"
    if filters:
        filters = f" AND s.procedure_id IN (SELECT p.id FROM procedure p WHERE p.published{filters})"
    return _ranked(f"""
            SELECT s.procedure_id AS id, {hits} AS hits, {title_hits} AS title_hits, {phrase} AS phrase
            FROM procedure_search s WHERE s.body @@ {param(wanted)}{filters}""", slack)


async def find(q: str, *, agency: str | None, event: str | None, limit: int, offset: int) -> tuple[list[int], int]:
    """Ids of one page of published procedures, best first (by code without ``q``), and how many in all.

    When a word is found nowhere, each unknown word is replaced by the nearest indexed one and the search runs
    again (a typo)."""
    conn = connections.get("default")
    dialect = _Dialect(conn)
    terms = query_terms(q)
    ids, total, best = await _page(conn, dialect, terms, agency, event, limit, offset)
    if terms and best < len(terms):  # a word found nowhere may be a typo
        better = await _corrected(conn, dialect, terms)
        if better:
            ids, total, best = await _page(conn, dialect, better, agency, event, limit, offset)
    return ids, total


async def _page(conn, dialect, terms, agency, event, limit, offset) -> tuple[list[int], int, int]:
    params: list = []
    filters = _filters(dialect, agency, event, params)
    if not terms:
        sql = f"SELECT p.id, 0 AS best, count(*) OVER () AS total FROM procedure p WHERE p.published{filters}"
        return await _run(conn, dialect, sql + " ORDER BY p.code", params, limit, offset)
    if dialect.postgres:  # most queries: some procedure has every word
        fast_params = list(params)
        found = await _run(conn, dialect, _best_only_sql(dialect, terms, filters, fast_params), fast_params,
                           limit, offset)
        if found[2] == len(terms):
            return found
    return await _run(conn, dialect, _ranked_sql(dialect, terms, filters, params), params, limit, offset)


async def _run(conn, dialect, sql, params, limit, offset) -> tuple[list[int], int, int]:
    rows = await conn.execute_query_dict(dialect.sql(f"{sql} LIMIT {int(limit)} OFFSET {int(offset)}"), params)
    if not rows and offset:  # past the last page: still say how many there are
        rows = [{**row, "id": None} for row in await conn.execute_query_dict(dialect.sql(f"{sql} LIMIT 1"), params)]
    if not rows:
        return [], 0, 0
    return [r["id"] for r in rows if r["id"] is not None], rows[0]["total"], rows[0]["best"]


async def _corrected(conn: BaseDBAsyncClient, dialect: _Dialect, terms: list[Term]) -> list[Term] | None:
    """The terms with each unknown word of four letters or more replaced by the closest indexed word."""
    changed, out = False, []
    for term in terms:
        word = term.tokens[0]
        if term.latin and len(word) >= 4 and not await _known(conn, dialect, word, term.prefix):
            nearest = await _nearest(conn, dialect, word)
            if nearest:
                term, changed = Term((nearest,), False), True
        out.append(term)
    return out if changed else None


async def _known(conn: BaseDBAsyncClient, dialect: _Dialect, word: str, prefix: bool) -> bool:
    """Whether ``word`` (or, ``prefix``, a word it begins) is indexed: words are letters and digits only."""
    if dialect.postgres:  # strings sort by the database's collation there: LIKE, through the pg_trgm index
        sql, params = "SELECT 1 FROM search_term WHERE term LIKE $1 LIMIT 1", [word + "%" if prefix else word]
    else:
        last = word + "\U0010ffff" if prefix else word
        sql, params = "SELECT 1 FROM search_term WHERE term >= ?1 AND term <= ?2 LIMIT 1", [word, last]
    return bool(await conn.execute_query_dict(sql, params))


async def _nearest(conn: BaseDBAsyncClient, dialect: _Dialect, word: str) -> str | None:
    """The indexed word closest to ``word`` in edits (one, two from eight letters; first in order on a tie).

    One edit keeps the first letter, or moves the second to first or the first to second: those few words are
    compared. On PostgreSQL, pg_trgm adds words that share trigrams (two edits near the start of a long word).
    """
    sql = ("SELECT term FROM search_term WHERE length(term) BETWEEN ?1 AND ?2"
           " AND (substr(term, 1, 1) IN (?3, ?4) OR substr(term, 2, 1) IN (?3, ?4))")
    if dialect.postgres:
        sql += " UNION SELECT term FROM (SELECT term FROM search_term WHERE term % ?5"
        sql += " ORDER BY similarity(term, ?5) DESC LIMIT 20) AS alike"
    params = [len(word) - 2, len(word) + 2, word[0], word[1]] + ([word] if dialect.postgres else [])
    rows = await conn.execute_query_dict(dialect.sql(sql), params)
    allowed = 1 if len(word) < 8 else 2
    scored = [(d, r["term"]) for r in rows if (d := edits(word, r["term"], allowed)) <= allowed]
    return min(scored)[1] if scored else None


async def index(rows: list[tuple[int, list[str], list[str]]], conn: BaseDBAsyncClient | None = None) -> None:
    """(Re)index published procedures: ``(id, title tokens, body tokens)`` each."""
    conn = conn or connections.get("default")
    if not rows:
        return
    words = sorted({t for *_, body in rows for t in body if LATIN_WORD.match(t) and 4 <= len(t) <= 100})
    if conn.capabilities.dialect == "postgres":
        await conn.execute_many(
            "INSERT INTO procedure_search (procedure_id, title, body) VALUES ($1, $2::tsvector, $3::tsvector)"
            " ON CONFLICT (procedure_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body",
            [[pid, _vector(title), _vector(body)] for pid, title, body in rows],
        )
        await conn.execute_query("INSERT INTO search_term (term) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING",
                                 [words])
        return
    await unindex([pid for pid, *_ in rows], conn)
    await conn.execute_many("INSERT INTO procedure_fts (rowid, title, body) VALUES (?, ?, ?)",
                            [[pid, " ".join(title), " ".join(body)] for pid, title, body in rows])
    await conn.execute_many("INSERT OR IGNORE INTO search_term (term) VALUES (?)", [[w] for w in words])


async def unindex(ids: list[int], conn: BaseDBAsyncClient | None = None) -> None:
    conn = conn or connections.get("default")
    table, column = ("procedure_search", "procedure_id") if conn.capabilities.dialect == "postgres" else (
        "procedure_fts", "rowid")
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join(f"?{i}" for i in range(1, len(chunk) + 1))
        await conn.execute_query(_Dialect(conn).sql(f"DELETE FROM {table} WHERE {column} IN ({marks})"), chunk)


async def indexed_count() -> int:
    conn = connections.get("default")
    table = "procedure_search" if conn.capabilities.dialect == "postgres" else "procedure_fts"
    return (await conn.execute_query_dict(f"SELECT count(*) AS n FROM {table}"))[0]["n"]
