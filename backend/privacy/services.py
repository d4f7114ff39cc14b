"""What the portal holds about a citizen, grouped as /my/data shows it; every list one bounded page.

Each group has its own page number (``?dossiers=2``), so a citizen with hundreds of dossiers or sign-ins reads them
a page at a time, and the page costs a fixed number of queries, whatever the size of the account.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tortoise.functions import Count

from backend.accounts.models import Passkey, PushSubscription, SignInEvent, User
from backend.assisted.services import consents_of_citizen
from backend.audit.models import AccessEntry
from backend.core.i18n import gettext, localized
from backend.core.paging import Page, fetch_page, page_number
from backend.core.templating import format_moment
from backend.delivery.models import DeliveryBooking
from backend.dossiers.models import Dossier, DossierDocument, PrefillConsent
from backend.identity.services import masked
from backend.payments.models import Payment
from backend.questions.models import Question

PAGE_SIZE = 10
GROUPS = ("dossiers", "payments", "deliveries", "devices", "passkeys", "prefill", "questions", "helpers",
          "sign_ins", "access")
"""The paged lists of /my/data; each name is also its ``?name=N`` page parameter and its section's anchor."""


@dataclass
class Held:
    """Everything /my/data shows: the account, then one page of each group."""

    user: User
    identity_number: str  # masked
    pages: dict[str, Page]
    documents: dict[int, int]  # dossier id -> current documents, for the dossiers on the page
    access_lines: list[str]


def page_numbers(query: Mapping[str, Any]) -> dict[str, int]:
    """Each group's page number from the query string (missing or bad: 1)."""
    return {name: page_number(query.get(name)) for name in GROUPS}


async def held(user: User, numbers: Mapping[str, int]) -> Held:
    """One page of each group of ``user``'s data, and only ``user``'s."""
    def n(name: str) -> int:
        return numbers.get(name, 1)

    pages = {
        "dossiers": await fetch_page(Dossier.filter(applicant_id=user.id).select_related("procedure")
                                     .order_by("-updated_at", "-id"), n("dossiers"), PAGE_SIZE),
        "payments": await fetch_page(Payment.filter(payer_id=user.id).select_related("dossier")
                                     .order_by("-id"), n("payments"), PAGE_SIZE),
        "deliveries": await fetch_page(DeliveryBooking.filter(dossier__applicant_id=user.id).select_related("dossier")
                                       .order_by("-id"), n("deliveries"), PAGE_SIZE),
        "devices": await fetch_page(PushSubscription.filter(user_id=user.id).order_by("-id"), n("devices"), PAGE_SIZE,
                                    total=await PushSubscription.filter(user_id=user.id).count()),  # "12 devices"
        "passkeys": await fetch_page(Passkey.filter(user_id=user.id).order_by("-id"), n("passkeys"), PAGE_SIZE),
        "prefill": await fetch_page(PrefillConsent.filter(user_id=user.id, granted=True).select_related(
            "dossier__procedure").order_by("-id"), n("prefill"), PAGE_SIZE),
        "questions": await fetch_page(Question.filter(asker_id=user.id).order_by("-id"), n("questions"), PAGE_SIZE),
        "helpers": await consents_of_citizen(user, n("helpers"), PAGE_SIZE),
        "sign_ins": await fetch_page(SignInEvent.filter(user_id=user.id).order_by("-id"), n("sign_ins"), PAGE_SIZE),
        "access": await fetch_page(AccessEntry.filter(citizen_id=user.id).select_related("agency")
                                   .order_by("-at", "-id"), n("access"), PAGE_SIZE),
    }
    return Held(user=user, identity_number=masked(user.identity_number), pages=pages,
                documents=await _document_counts([d.id for d in pages["dossiers"].items]),
                access_lines=await access_lines(pages["access"].items))


async def _document_counts(dossier_ids: list[int]) -> dict[int, int]:
    if not dossier_ids:
        return {}
    rows = await DossierDocument.filter(dossier_id__in=dossier_ids, superseded=False).group_by(
        "dossier_id").annotate(n=Count("id")).values("dossier_id", "n")
    return {row["dossier_id"]: row["n"] for row in rows}


def _who(entry: AccessEntry) -> str:
    name = entry.actor_name or gettext("Someone")
    if entry.agency is not None:
        return gettext("%(name)s (%(agency)s)", name=name, agency=localized(entry.agency.name))
    if entry.actor_role == "admin":
        return gettext("%(name)s (portal administrator)", name=name)
    if entry.actor_role == "helper":
        return gettext("%(name)s (helper for assisted filing)", name=name)
    return name


def access_line(entry: AccessEntry, procedure: str) -> str:
    """One access in plain words, in the page's language: who (and for which agency) opened what, and when."""
    who, when = _who(entry), format_moment(entry.at)
    if entry.what == "account":
        return gettext("%(who)s opened your account details on %(when)s.", who=who, when=when)
    if not procedure:
        return gettext("%(who)s opened your data on %(when)s.", who=who, when=when)
    texts = {
        "dossier": gettext("%(who)s opened your dossier “%(procedure)s” on %(when)s.",
                           who=who, procedure=procedure, when=when),
        "document": gettext("%(who)s opened a document of your dossier “%(procedure)s” on %(when)s.",
                            who=who, procedure=procedure, when=when),
        "result": gettext("%(who)s opened the result of your dossier “%(procedure)s” on %(when)s.",
                          who=who, procedure=procedure, when=when),
        "payment": gettext("%(who)s looked at the payments for your dossier “%(procedure)s” on %(when)s.",
                           who=who, procedure=procedure, when=when),
        "delivery": gettext("%(who)s looked at the delivery of your dossier “%(procedure)s” on %(when)s.",
                            who=who, procedure=procedure, when=when),
    }
    return texts.get(entry.what, texts["dossier"])


async def access_lines(entries: list[AccessEntry]) -> list[str]:
    """The lines of one page of the log; the procedures' names in one query (the log keeps no foreign key)."""
    ids = {e.dossier_id for e in entries if e.dossier_id is not None}
    titles: dict[int, str] = {}
    if ids:
        rows = await Dossier.filter(id__in=ids).values("id", "procedure__title")
        titles = {row["id"]: localized(row["procedure__title"]) for row in rows}
    return [access_line(e, titles.get(e.dossier_id or 0, "")) for e in entries]
