"""Translation review: roles, the texts of a language with their status, proposals, approvals, history.

A translator proposes; a reviewer (not the proposer) approves or sends it back with a comment. Critical
texts need two reviewers. An approved translation is laid over the files at once (``STORE.set_live``),
in this process and, through ``refresh_live``, in the others: no deploy.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from tortoise.transactions import in_transaction

from backend.accounts.models import Role, User
from backend.catalogue.services import reindex_procedures_with
from backend.core.catalogs import DOMAINS, first
from backend.core.clock import now
from backend.core.i18n import gettext, lazy_gettext
from backend.core.languages import LANGUAGES
from backend.core.text import fold
from backend.core.text_store import STORE, Source
from backend.translations.checks import CheckResult, check
from backend.translations.models import Proposal, TranslationEvent, TranslatorRole

ROLES = ("translator", "reviewer")
CRITICAL_REASONS = {  # the reasons of locales/critical.json, in words a translator reads in their language
    "sign-in and security": lazy_gettext("sign-in and security"),
    "SMS and push texts": lazy_gettext("a text message or notification"),
    "fees and amounts": lazy_gettext("fees and amounts"),
    "declarations and legal wording": lazy_gettext("declarations and legal wording"),
    "the decision on a result": lazy_gettext("the decision on a result"),
}
STATUSES = ("missing", "draft", "reviewed", "proposed")
MAX_LENGTH = 4000
PAGE_SIZE = 25
TARGETS = tuple(code for code in LANGUAGES if code != "vi")
"""The languages translated from the authoritative Vietnamese (English included: its content texts)."""


def text_key(domain: str, msgid: str) -> str:
    return hashlib.sha256(f"{domain}\0{msgid}".encode()).hexdigest()[:24]


@cache
def _by_key() -> dict[str, Source]:
    return {text_key(s.domain, s.msgid): s for domain in DOMAINS for s in STORE.sources[domain].values()}


def source_for(key: str) -> Source | None:
    return _by_key().get(key)


def vietnamese(source: Source) -> str:
    """The authoritative text a translator works from."""
    if source.domain == "content":
        return source.msgid
    entry = STORE.entry("vi", "messages", source.msgid)
    return first(entry.text) if entry else source.msgid


def english(source: Source) -> str:
    return source.msgid if source.domain == "messages" else source.english


# Where a translator can see a text in use: the page a template renders.
PAGES_BY_FILE = {
    "backend/templates/layouts/base.html": "/",
    "backend/catalogue/templates/catalogue/home.html": "/",
    "backend/catalogue/templates/catalogue/results.html": "/procedures?q=khai+sinh",
    "backend/catalogue/templates/catalogue/procedure.html": "/procedures/1.001193",
    "backend/accounts/templates/accounts/sign_in.html": "/sign-in",
    "backend/accounts/templates/accounts/display.html": "/display",
    "backend/dossiers/templates/dossiers/track.html": "/track",
    "backend/results/templates/results/verify.html": "/results/verify",
}


PAGES_BY_PACKAGE = {  # otherwise the main page of the part of the portal the text comes from
    "catalogue": "/procedures", "accounts": "/account", "identity": "/account/identity", "dossiers": "/my/dossiers",
    "desk": "/desk", "payments": "/my/dossiers", "delivery": "/my/dossiers", "feedback": "/my/dossiers",
    "results": "/results/verify", "notifications": "/account", "pwa": "/offline", "translations": "/languages",
    "templates": "/",
}


def page_for(source: Source) -> str | None:
    """A page (without the language prefix) where the text appears, when one is known."""
    for location in source.locations:
        if location.startswith("procedure "):
            return "/procedures/" + location.split(" ", 1)[1].split("/", 1)[0]
        if location.startswith("agency "):
            return "/procedures?agency=" + location.split(" ", 1)[1].split("/", 1)[0]
        if location in PAGES_BY_FILE:
            return PAGES_BY_FILE[location]
    for location in source.locations:
        for package, path in PAGES_BY_PACKAGE.items():
            if location.startswith(f"backend/{package}/"):
                return path
    return None


@dataclass
class TextRow:
    key: str
    source: Source
    vietnamese: str
    english: str
    status: str
    text: str
    pending: bool


async def _pending_keys(lang: str) -> set[str]:
    # Tortoise types values_list's rows as tuples whatever ``flat`` says: with flat=True they are the values.
    keys: list[str] = await Proposal.filter(  # type: ignore[assignment]
        language=lang, state="proposed").values_list("key", flat=True)
    return set(keys)


def _row(lang: str, source: Source, pending: set[str]) -> TextRow:
    key = text_key(source.domain, source.msgid)
    entry = STORE.entry(lang, source.domain, source.msgid) if lang != "en" or source.domain == "content" else None
    if lang == "en" and source.domain == "messages":
        status, text = "reviewed", source.msgid
    elif lang == "en":
        status, text = ("reviewed" if source.english else "missing"), source.english
    else:
        status = STORE.status(lang, source.domain, source.msgid)
        text = first(entry.text) if entry else ""
    return TextRow(key, source, vietnamese(source), english(source), status, text, key in pending)


async def texts(lang: str, *, status: str = "", kind: str = "", q: str = "", offset: int = 0,
                limit: int = PAGE_SIZE) -> tuple[list[TextRow], int]:
    """One page of a language's texts, filtered by status (``proposed``: waiting for review), kind and words."""
    pending = await _pending_keys(lang)
    needle = fold(q) if q else ""
    matched: list[TextRow] = []
    for domain in DOMAINS:
        for source in STORE.sources[domain].values():
            if kind and source.kind != kind:
                continue
            row = _row(lang, source, pending)
            if status == "proposed" and not row.pending or status not in ("", "proposed") and row.status != status:
                continue
            if needle and needle not in fold(f"{row.vietnamese} {row.english} {row.text}"):
                continue
            matched.append(row)
    return matched[offset : offset + limit], len(matched)


async def text_row(lang: str, key: str) -> TextRow | None:
    source = source_for(key)
    return _row(lang, source, await _pending_keys(lang)) if source else None


async def roles_of(user: User | None) -> dict[str, set[str]]:
    """The roles an account holds, by language; the administrator holds every one."""
    if user is None:
        return {}
    if user.role is Role.ADMIN:
        return {code: set(ROLES) for code in TARGETS}
    held: dict[str, set[str]] = {}
    for role in await TranslatorRole.filter(user_id=user.id):
        held.setdefault(role.language, set()).add(role.role)
    return held


async def may(user: User | None, lang: str, role: str) -> bool:
    return role in (await roles_of(user)).get(lang, set())


def _check(lang: str, source: Source, text: str) -> CheckResult:
    result = check(lang, source.msgid, text, vietnamese(source), english(source))
    if not text:
        result.errors.insert(0, gettext("Enter the translation"))
    elif len(text) > MAX_LENGTH:
        result.errors.insert(0, gettext("Must be %(max)s characters or fewer", max=MAX_LENGTH))
    return result


async def _event(lang: str, key: str, action: str, by: User | None, before: str = "", after: str = "",
                 comment: str = "", conn=None) -> None:
    await TranslationEvent.create(language=lang, key=key, action=action, before=before, after=after,
                                  comment=comment, by=by, at=now(), using_db=conn)


async def propose(user: User, lang: str, key: str, text: str, *, action: str = "proposed") -> CheckResult:
    """Record a proposal (earlier open ones for the text are superseded); nothing is stored when it is refused."""
    source = source_for(key)
    text = " ".join(text.split()) if source and source.domain == "content" else text.strip()
    if source is None:
        return CheckResult(errors=[gettext("This text does not exist any more.")])
    result = _check(lang, source, text)
    if result.errors:
        return result
    row = _row(lang, source, set())
    async with in_transaction() as conn:
        for old in await Proposal.filter(language=lang, key=key, state="proposed").using_db(conn):
            old.state, old.decided_at = "superseded", now()
            await old.save(using_db=conn, update_fields=["state", "decided_at"])
            await _event(lang, key, "superseded", user, old.text, text, conn=conn)
        await Proposal.create(language=lang, domain=source.domain, key=key, msgid=source.msgid, text=text,
                              proposed_by=user, proposed_at=now(), using_db=conn)
        await _event(lang, key, action, user, row.text, text, conn=conn)
    return result


def approvals_needed(proposal: Proposal) -> int:
    return 2 if STORE.is_critical(proposal.domain, proposal.msgid) else 1


async def approve(user: User, proposal: Proposal) -> str | None:
    """Add this reviewer's approval; at the last one needed the translation goes live. An error, or None."""
    if proposal.state != "proposed":
        return gettext("This proposal was already decided.")
    if proposal.proposed_by_id == user.id:
        return gettext("You cannot approve your own proposal: another reviewer must.")
    if any(a["by"] == user.id for a in proposal.approvals):
        return gettext("You approved this already: a second reviewer must approve this critical text.")
    async with in_transaction() as conn:
        fresh = await Proposal.select_for_update().using_db(conn).get(id=proposal.id)
        if fresh.state != "proposed":
            return gettext("This proposal was already decided.")
        fresh.approvals = [*fresh.approvals, {"by": user.id, "name": user.full_name, "at": now().isoformat()}]
        fresh_source = source_for(fresh.key)
        before = _row(fresh.language, fresh_source, set()).text if fresh_source else ""
        if len(fresh.approvals) >= approvals_needed(fresh):
            fresh.state, fresh.decided_at = "approved", now()
            await Proposal.filter(language=fresh.language, key=fresh.key, state="approved").using_db(conn).update(
                state="superseded")
        await fresh.save(using_db=conn)
        await _event(fresh.language, fresh.key, "approved", user, before, fresh.text,
                     comment="" if fresh.state == "approved" else gettext("1 of 2 approvals"), conn=conn)
    if fresh.state == "approved":
        STORE.set_live(fresh.language, fresh.domain, fresh.msgid, fresh.text)
        if fresh.domain == "content":  # a title or summary in a new wording: search finds it at once
            await reindex_procedures_with(fresh.msgid)
    proposal.state, proposal.approvals = fresh.state, fresh.approvals
    return None


async def send_back(user: User, proposal: Proposal, comment: str) -> str | None:
    """Return a proposal to its translator with the reviewer's reason. An error, or None."""
    comment = comment.strip()
    if proposal.state != "proposed":
        return gettext("This proposal was already decided.")
    if not comment:
        return gettext("Say what to change, so the translator can fix it")
    if len(comment) > MAX_LENGTH:
        return gettext("Must be %(max)s characters or fewer", max=MAX_LENGTH)
    proposal.state, proposal.comment, proposal.decided_at = "returned", comment, now()
    async with in_transaction() as conn:
        await proposal.save(using_db=conn, update_fields=["state", "comment", "decided_at"])
        await _event(proposal.language, proposal.key, "returned", user, proposal.text, "", comment, conn=conn)
    return None


async def history(lang: str, key: str) -> list[TranslationEvent]:
    return await TranslationEvent.filter(language=lang, key=key).order_by("-at", "-id").limit(50).prefetch_related("by")


async def proposals(lang: str, key: str) -> list[Proposal]:
    return await Proposal.filter(language=lang, key=key).order_by("-proposed_at", "-id").limit(20).prefetch_related(
        "proposed_by")


_live_since: datetime | None = None


async def refresh_live() -> int:
    """Lay approvals made since the last call (by any process) over the files; returns how many."""
    global _live_since  # noqa: PLW0603 - one watermark per process, like the store it feeds
    query = Proposal.filter(state="approved")
    if _live_since is not None:
        query = query.filter(decided_at__gte=_live_since)
    count = 0
    for proposal in await query.order_by("decided_at", "id"):
        STORE.set_live(proposal.language, proposal.domain, proposal.msgid, proposal.text)
        if proposal.decided_at is not None:  # set with the approval
            _live_since = max(_live_since or proposal.decided_at, proposal.decided_at)
        count += 1
    return count


@asynccontextmanager
async def live_translations(every_seconds: float = 30) -> AsyncIterator[None]:
    """Load approvals at startup, then pick up other processes' approvals every ``every_seconds``."""
    await refresh_live()

    async def poll() -> None:
        while True:
            await asyncio.sleep(every_seconds)
            with contextlib.suppress(Exception):  # a database hiccup: try again next round
                await refresh_live()

    task = asyncio.create_task(poll())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def forget_live() -> None:
    """Drop approvals laid over the files in this process (tests start from the files)."""
    global _live_since  # noqa: PLW0603
    _live_since = None
    STORE.clear_live()


async def proposal(lang: str, proposal_id: int) -> Proposal | None:
    return await Proposal.get_or_none(id=proposal_id, language=lang)


async def roles_given(limit: int = 500) -> list[TranslatorRole]:
    return await TranslatorRole.all().order_by("language", "role", "id").limit(limit).prefetch_related("user")


async def give_role(phone: str, language: str, role: str, by: User) -> dict[str, str]:
    """Give an account (by its normalised phone) a role for a language; errors by field, nothing saved then."""
    errors: dict[str, str] = {}
    user = await User.get_or_none(phone=phone) if phone else None
    if user is None:
        errors["phone"] = gettext("Enter the mobile number of an account that has signed in to the portal")
    if language not in TARGETS:
        errors["language"] = gettext("Choose a language")
    if role not in ROLES:
        errors["role"] = gettext("Choose a role")
    if not errors:
        await TranslatorRole.get_or_create(user=user, language=language, role=role,
                                           defaults={"granted_by": by, "granted_at": now()})
    return errors


async def remove_role(role_id: int) -> None:
    await TranslatorRole.filter(id=role_id).delete()
