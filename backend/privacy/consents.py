"""Withdrawing a consent from /my/data: one step each, in force at once, and a clear answer the second time.

Each withdrawal returns the sentence the page shows in its status message; the state changes belong to the domain
that owns the consent (pre-fill here on its rows, push subscriptions, assisted filing, questions).
"""

from __future__ import annotations

from backend.accounts.models import PushSubscription, User
from backend.assisted import services as assisted
from backend.core.clock import Clock
from backend.core.i18n import gettext
from backend.core.templating import format_moment
from backend.dossiers.models import PrefillConsent
from backend.questions import services as questions
from backend.questions.models import Question


async def withdraw_prefill(user: User, clock: Clock) -> str:
    """Every pre-fill consent ``user`` gave: withdrawn (``withdrawn_at``), so no form holds an answer to the
    registry's value or is filled from it again."""
    changed = await PrefillConsent.filter(user_id=user.id, granted=True, withdrawn_at__isnull=True).update(
        withdrawn_at=clock.now())
    if changed:
        return gettext("Consent to pre-fill from the population registry withdrawn. The portal fills nothing more "
                       "from the registry; the answers you have keep what they say and you can change them.")
    last = await PrefillConsent.filter(user_id=user.id, withdrawn_at__isnull=False).order_by("-withdrawn_at").first()
    if last is not None and last.withdrawn_at is not None:
        return gettext("You already withdrew consent to pre-fill on %(when)s. Nothing changed.",
                       when=format_moment(last.withdrawn_at))
    return gettext("You have not agreed to pre-fill from the population registry. Nothing changed.")


async def withdraw_push(user: User) -> str:
    """All of ``user``'s push subscriptions deleted: no device gets the portal's notifications any more (news comes
    by text message). The page's script also drops this browser's own subscription."""
    removed = await PushSubscription.filter(user_id=user.id).delete()
    if removed:
        return gettext("Notifications withdrawn: your devices are unsubscribed. News about your dossiers comes by "
                       "text message.")
    return gettext("None of your devices gets notifications: they were already unsubscribed. Nothing changed.")


async def withdraw_helper(user: User, consent_id: int, clock: Clock) -> str | None:
    """A helper's consent ended at once; None when ``user`` gave no such consent."""
    outcome = await assisted.end_consent(consent_id, user, clock)
    if outcome is assisted.Outcome.NOT_FOUND:
        return None
    if outcome is assisted.Outcome.ENDED:
        return gettext("The helper can no longer act on your behalf.")
    return gettext("This consent had already ended. Nothing changed.")


async def withdraw_publication(user: User, question_id: int) -> str | None:
    """Consent to publish a question withdrawn, and the question taken down; None when it is not ``user``'s."""
    question = await Question.get_or_none(id=question_id, asker_id=user.id)
    if question is None:
        return None
    if await questions.withdraw_consent(question, user):
        return gettext("Consent to publication withdrawn: your question and its answer are no longer public.")
    when = await questions.consent_withdrawn_at(question)
    if when is not None:
        return gettext("You already withdrew consent to publish this question on %(when)s. Nothing changed.",
                       when=format_moment(when))
    return gettext("You did not agree to publish this question: it is private. Nothing changed.")
