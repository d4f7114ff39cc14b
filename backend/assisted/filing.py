"""Filing for a citizen (issue 20): what a helper does on the citizen's draft, and what the record says of it.

A helper reaches the draft's form, documents and check pages through ``Standing.HELPER`` (only those pages name it;
``services.active_consent`` decides), and never declares: ``refuse_declaration`` says so and records the try. The
dossier is the citizen's from the start (its applicant): *My dossiers* lists it, its news goes to them.
``notes`` is the sentence its pages show: who helped, where, when, with what consent (registered with
``dossiers.provenance`` by ``register``).
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from backend.accounts.models import User
from backend.assisted import services
from backend.assisted.events import AccessEnded, ConsentGranted, FiledWithHelp
from backend.assisted.models import AssistConsent, ConsentMethod
from backend.core.events import publish
from backend.core.i18n import gettext, localized
from backend.core.templating import format_day
from backend.dossiers import provenance
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, DossierDocument, TimelineEvent
from backend.dossiers.provenance import Note

DECLARE_REFUSED = "declare_refused"  # ``AssistEvent.action``: a helper tried to send the declaration
PAPER_KEY = "signed_declaration"  # ``DossierDocument.doc_key``: the signed paper of a citizen with no phone


def helping(dossier: Dossier, user: User | None) -> bool:
    """Whether ``user`` is on the dossier's pages as someone else than its citizen (a helper: ``own_dossier``
    lets no one else in)."""
    return user is not None and dossier.applicant_id != user.id


async def declared(dossier: Dossier) -> bool:
    """Whether the citizen has declared the draft (its fee may still be due): from then on the helper changes
    nothing, so what is sent is what the citizen declared."""
    return await AssistConsent.filter(dossier_id=dossier.id, declared_at__isnull=False).exists()


async def filling(dossier: Dossier) -> bool:
    """Whether a helper may still fill the dossier and open its documents: a draft its citizen has not declared.
    After that the helper sees its status only, while the consent lasts."""
    return dossier.status is Status.DRAFT and not await declared(dossier)


async def refuse_declaration(dossier: Dossier, helper: User) -> str:
    """A helper tried to declare for the citizen: recorded, and the sentence that tells them what to do instead."""
    consent = await services.active_consent(helper, dossier)
    await services.record(DECLARE_REFUSED, helper=helper, consent=consent, dossier_id=dossier.id)
    return gettext("Only the citizen can declare that the answers are true. Ask them to declare: on their own phone "
                   "with a link, or here with a code they read out to you.")


async def consent_granted(dossier: Dossier, helper: User) -> None:
    """The consent step opened the citizen's draft to ``helper``: its timeline says so (no news: the citizen has
    just read out the code)."""
    async with in_transaction() as conn:
        await publish(ConsentGranted(dossier=dossier, actor=helper), conn)


async def mark_filed(dossier: Dossier, consent: AssistConsent, helper: User) -> None:
    """The helper has filled the draft and asks the citizen to declare: the dossier's channel and service point
    are set (the statistics count them), and its timeline says so once (asking again writes nothing more)."""
    point = await consent.service_point
    async with in_transaction() as conn:
        # Locked: two asks at once write one timeline line (the consent step may have set the channel already).
        await Dossier.filter(id=dossier.id).using_db(conn).select_for_update().get()
        await Dossier.filter(id=dossier.id).using_db(conn).update(channel=str(point.channel), service_point_id=point.id)
        if not await TimelineEvent.filter(dossier_id=dossier.id, action=FiledWithHelp.ACTION).using_db(conn).exists():
            await publish(FiledWithHelp(dossier=dossier, actor=helper), conn)
    dossier.channel, dossier.service_point_id = str(point.channel), point.id


async def end_access(dossier: Dossier, citizen: User, consent_id: int) -> services.Outcome:
    """The citizen ends the helper's access from the dossier's page (``services.end_consent``), on the timeline."""
    consent = await AssistConsent.get_or_none(id=consent_id, dossier_id=dossier.id, citizen_id=citizen.id)
    if consent is None:
        return services.Outcome.NOT_FOUND
    outcome = await services.end_consent(consent.id, citizen)
    if outcome is services.Outcome.ENDED:
        async with in_transaction() as conn:
            await publish(AccessEnded(dossier=dossier, actor=citizen), conn)
    return outcome


def _how(consent: AssistConsent) -> str:
    if consent.method is ConsentMethod.IN_PERSON:
        return gettext("consent given in person: the helper checked the identity document, the citizen has no phone")
    return gettext("consent by a code sent to the citizen's phone")


async def notes(dossier: Dossier) -> list[Note]:
    """The dossier's record of help (``provenance``'s reader): helper, service point, day, consent; an identity
    checked in person is flagged for the agency."""
    consent = await services.consent_of_dossier(dossier)
    if consent is None:
        return []
    when = consent.granted_at
    text = gettext("Filed with help from %(helper)s at %(place)s on %(day)s, %(how)s.",
                   helper=consent.helper.full_name or gettext("a helper"), place=localized(consent.service_point.name),
                   day=format_day(when) if when else "", how=_how(consent))
    if consent.method is not ConsentMethod.IN_PERSON:
        return [Note(text)]
    paper = await DossierDocument.filter(dossier_id=dossier.id, doc_key=PAPER_KEY, superseded=False).first()
    if paper is None:
        return [Note(text, flagged=True)]
    return [Note(text, flagged=True, href=f"/dossiers/{dossier.code}/files/{paper.id}",
                 link_text=gettext("The declaration the citizen signed on paper"))]


def register() -> None:
    """At startup (``subscribers.register_all``): the dossiers' pages tell how an assisted dossier was filed."""
    provenance.register_reader("assisted", notes)


async def live_consent(dossier: Dossier) -> AssistConsent | None:
    """The consent a helper still acts under on this dossier (for the citizen's *End their access*), or None."""
    if dossier.channel == provenance.ONLINE and dossier.status is not Status.DRAFT:
        return None
    consent = await services.consent_of_dossier(dossier)
    return consent if consent is not None and services.is_live(consent) else None
