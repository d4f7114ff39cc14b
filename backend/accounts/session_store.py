"""A Litestar session store in the database, so sessions survive restarts and can be revoked.

A row (and a cookie) exists only while something is kept in the session: signed in, or halfway through signing
in. Pages seen without a session write nothing; their forms are protected by the CSRF cookie, which needs no row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.csrf import generate_csrf_token
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.stores.base import Store
from litestar.types import Empty
from litestar.utils.dataclass import extract_dataclass_items

from backend.accounts.models import SessionRecord
from backend.core import clock, sql


def _expiry(expires_in: int | timedelta | None):
    if expires_in is None:
        return None
    seconds = expires_in.total_seconds() if isinstance(expires_in, timedelta) else expires_in
    return clock.now() + timedelta(seconds=seconds)


@dataclass(frozen=True)
class StoredSession:
    """A session row as read: its data and when it ends."""

    key: str
    value: bytes
    expires_at: datetime | None


class DatabaseStore(Store):
    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> None:
        data = value.encode() if isinstance(value, str) else value
        await SessionRecord.update_or_create(defaults={"value": data, "expires_at": _expiry(expires_in)}, key=key)

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        record = await self.read(key)
        if record is None:
            return None
        if renew_for is not None:
            await SessionRecord.filter(key=key).update(expires_at=_expiry(renew_for))
        return record.value

    async def read(self, key: str) -> StoredSession | None:
        """The live row (value and expiry), in one SELECT of plain SQL (every signed-in request makes it); an
        expired one is deleted."""
        rows = await sql.fetch('SELECT "value", "expires_at" FROM "session_record" WHERE "key" = ?', key)
        if not rows:
            return None
        record = StoredSession(key, bytes(rows[0]["value"]), sql.as_datetime(rows[0]["expires_at"]))
        if record.expires_at is not None and record.expires_at <= clock.now():
            await SessionRecord.filter(key=key).delete()
            return None
        return record

    async def delete(self, key: str) -> None:
        await SessionRecord.filter(key=key).delete()

    async def delete_all(self) -> None:
        await SessionRecord.all().delete()

    async def exists(self, key: str) -> bool:
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        record = await SessionRecord.get_or_none(key=key)
        if record is None or record.expires_at is None:
            return None
        return int((record.expires_at - clock.now()).total_seconds())

    async def delete_expired(self) -> int:
        return await SessionRecord.filter(expires_at__lte=clock.now()).delete()


SESSION_COOKIE = "portal_session"
ROTATE = "rotate_session"
_LOADED = "loaded_session"  # scope state: the row as read, to tell whether the response must write it
RENEW_AFTER = 60
"""An unchanged session's row is written again (its expiry pushed back) at most once in this many seconds: a
signed-in page view otherwise costs a read and no write."""
"""Set ``request.state.rotate_session = True`` to give the session a fresh ID and the browser a fresh CSRF token
(done at sign-in)."""


class RotatingSessionBackend(ServerSideSessionBackend):
    """Server-side sessions whose ID changes at sign-in, so an ID planted before sign-in is useless."""

    def get_session_id(self, connection: ASGIConnection) -> str:
        state = connection.scope.setdefault("state", {})
        if state.get(ROTATE):
            if "new_session_id" not in state:
                state["new_session_id"] = self.generate_session_id()
            return state["new_session_id"]
        return super().get_session_id(connection)

    async def load_from_connection(self, connection: ASGIConnection) -> dict:
        """As Litestar's, keeping the row read so that ``store_in_message`` can skip writing it back unchanged."""
        session_id = connection.cookies.get(self.config.key)
        store = self.config.get_store_from_app(connection.scope["app"])
        if not session_id or not isinstance(store, DatabaseStore):
            return await super().load_from_connection(connection)
        record = await store.read(session_id)
        if record is None:
            return {}
        connection.scope.setdefault("state", {})[_LOADED] = record
        return self.deserialize_data(bytes(record.value))

    def _unchanged(self, scope_session, connection: ASGIConnection) -> bool:
        """Same data as read, and an expiry pushed back less than ``RENEW_AFTER`` seconds ago."""
        record = connection.scope.get("state", {}).get(_LOADED)
        if record is None or record.expires_at is None or scope_session is Empty or not scope_session:
            return False
        if record.expires_at < _expiry(self.config.max_age - RENEW_AFTER):
            return False
        return self.serialize_data(scope_session, connection.scope) == bytes(record.value)

    async def store_in_message(self, scope_session, message, connection: ASGIConnection) -> None:
        old_id = connection.cookies.get(self.config.key)
        had_session = bool(old_id) and old_id != "null"
        if connection.scope.get("state", {}).get(ROTATE):
            if had_session and old_id:
                await self.delete(old_id, store=self.config.get_store_from_app(connection.scope["app"]))
            _new_csrf_cookie(message, connection)
        elif scope_session is Empty or not scope_session:
            if not had_session:
                return  # nothing kept, nothing to forget: no row, no cookie
            scope_session = Empty  # emptied: the row goes and the cookie expires
        elif self._unchanged(scope_session, connection):
            cookie = Cookie(value=old_id, key=self.config.key, **self._cookie_params())
            MutableScopeHeaders.from_message(message).add("set-cookie", cookie.to_header(header=""))
            return  # the row already holds this: the cookie is renewed as Litestar would, nothing is written
        await super().store_in_message(scope_session, message, connection)

    def _cookie_params(self) -> dict:
        return dict(extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys()))


def _new_csrf_cookie(message, connection: ASGIConnection) -> None:
    """A token from before sign-in is not valid after it: forms opened earlier say "expired" and are sent again.

    (Litestar's CSRF middleware reads the cookie on each request; setting a new one is all rotating takes.)
    """
    config = connection.scope["app"].csrf_config
    if config is None:
        return
    cookie = Cookie(key=config.cookie_name, value=generate_csrf_token(config.secret), path=config.cookie_path,
                    secure=config.cookie_secure, httponly=config.cookie_httponly, samesite=config.cookie_samesite,
                    domain=config.cookie_domain)
    MutableScopeHeaders.from_message(message).add("set-cookie", cookie.to_header(header=""))


class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend
