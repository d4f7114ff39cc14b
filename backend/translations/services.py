"""Translation review: who holds which role, proposals and their checks, approvals, returns, history.

A translator proposes; a reviewer (not the proposer) approves or sends it back with a comment. Critical
texts need two reviewers. An approved translation is laid over the files at once (``STORE.set_live``),
in this process and, through ``live.refresh_live``, in the others: no deploy. The texts themselves: ``texts``.
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from backend.accounts.models import Role, User
from backend.catalogue.services import reindex_procedures_with
from backend.core.clock import now
from backend.core.i18n import gettext
from backend.core.text_store import STORE, Source
from backend.translations.checks import CheckResult, check
from backend.translations.models import Proposal, TranslationEvent, TranslatorRole
from backend.translations.texts import TARGETS, english, row_for, source_for, vietnamese

ROLES = ("translator", "reviewer")
MAX_LENGTH = 4000


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
    row = row_for(lang, source, set())
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
        before = row_for(fresh.language, fresh_source, set()).text if fresh_source else ""
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
