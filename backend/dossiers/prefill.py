"""Pre-fill a dossier's form from the population registry, only after the citizen said yes, and say so.

A procedure's form field may declare ``"prefill": "<registry key>"`` (one of ``REGISTRY_KEYS``) and
``"correctable": false`` when the procedure takes the registry's value as it is (the identity number, say).
The record is read live from the registry when the citizen agrees; the portal keeps only the answers
written into the dossier and, in ``PrefillConsent.fields_filled``, which answers hold the registry's value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tortoise.transactions import in_transaction

from backend.accounts.models import User
from backend.accounts.services import display_phone
from backend.dossiers.forms import all_fields
from backend.dossiers.models import Dossier, PrefillConsent
from backend.identity.registry import Citizen, Outcome, PopulationRegistry

SOURCE = "population_registry"
REGISTRY_KEYS: dict[str, Callable[[Citizen], str]] = {
    "full_name": lambda c: c.full_name,
    "id_number": lambda c: c.id_number,
    "birth_date": lambda c: c.birth_date.isoformat(),
    "sex": lambda c: c.sex,
    "phone": lambda c: display_phone(c.phone) if c.phone else "",
    "permanent_address": lambda c: c.permanent_address.one_line(),
    "ethnicity": lambda c: c.ethnicity,
    "household_head_name": lambda c: c.household_head_name,
}


class PrefillRefused(Exception):
    """Only a citizen with a verified identity can be offered the registry's data."""


class RegistryFailed(Exception):
    """The registry did not give the record; ``outcome`` says why."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome)
        self.outcome = outcome


@dataclass(frozen=True)
class PrefillState:
    """What a form page needs to know about pre-fill on one dossier."""

    offer: list[dict] = field(default_factory=list)  # fields to list when asking; empty when not asking
    available: bool = False  # the form has fields the registry can fill and nobody has answered yet
    filled: frozenset[str] = frozenset()  # answers that hold the registry's value
    locked: frozenset[str] = frozenset()  # the ones the procedure does not let the citizen change
    granted: bool = False


def prefill_fields(procedure_form: list[dict]) -> list[dict]:
    return [f for f in all_fields(procedure_form) if f.get("prefill") in REGISTRY_KEYS]


def from_account(procedure_form: list[dict], user: User) -> dict[str, str]:
    """A new draft's answers that the portal knows already, without asking the registry (issue 22): the contact
    phone is the number the citizen signs in with. The citizen may change it like any answer."""
    phone = display_phone(user.phone) if user.phone else ""
    return {f["name"]: phone for f in prefill_fields(procedure_form) if f["prefill"] == "phone" and phone}


def registry_value(citizen: Citizen, spec: dict) -> str:
    """The registry's answer to one field; empty when it has none the field accepts."""
    value = REGISTRY_KEYS[spec["prefill"]](citizen) or ""
    if spec.get("type") == "select" and value not in {o["value"] for o in spec.get("options", [])}:
        return ""
    return value


def _locked(procedure_form: list[dict], filled: frozenset[str]) -> frozenset[str]:
    return frozenset(
        f["name"] for f in prefill_fields(procedure_form) if f["name"] in filled and f.get("correctable") is False
    )


async def consent_for(dossier: Dossier) -> PrefillConsent | None:
    return await PrefillConsent.filter(dossier=dossier).order_by("-id").first()


async def state(dossier: Dossier, user: User | None = None) -> PrefillState:
    """Pre-fill on ``dossier``; ``user`` (its applicant) is asked when verified and not asked before."""
    consent = await consent_for(dossier)
    if consent is None:
        fields = prefill_fields(dossier.procedure.form)
        ask = user is not None and user.id == dossier.applicant_id and user.identity_level == 2
        return PrefillState(offer=fields if ask else [], available=bool(fields))
    if not in_force(consent):  # refused, or withdrawn on /my/data: nothing is held to the registry's value
        return PrefillState()
    filled = frozenset(consent.fields_filled)
    return PrefillState(filled=filled, locked=_locked(dossier.procedure.form, filled), granted=True)


def in_force(consent: PrefillConsent | None) -> bool:
    """Granted and not withdrawn since: the portal fills from the registry only then, and keeps such answers."""
    return consent is not None and consent.granted and consent.withdrawn_at is None


async def record_choice(dossier: Dossier, user: User, granted: bool, registry: PopulationRegistry) -> PrefillConsent:
    """Record yes or no; on yes fill the empty answers from the registry. Asking twice changes nothing."""
    if user.identity_level != 2 or user.identity_number is None or dossier.applicant_id != user.id:
        raise PrefillRefused()
    values: dict[str, str] = {}
    if granted:
        # Read before the transaction: no row stays locked while the registry answers.
        result = await registry.lookup(user.identity_number, user.phone)
        if result.citizen is None:
            raise RegistryFailed(result.outcome)
        values = {f["name"]: registry_value(result.citizen, f) for f in prefill_fields(dossier.procedure.form)}
    async with in_transaction() as conn:
        current = await Dossier.filter(id=dossier.id).select_for_update().using_db(conn).get()
        existing = await PrefillConsent.filter(dossier=dossier).using_db(conn).order_by("-id").first()
        if existing is not None:
            return existing
        # Never overwrite what the citizen typed: only empty answers are filled, and those the account gave.
        given = from_account(dossier.procedure.form, user)
        filled = [n for n, v in values.items()
                  if v and (not str(current.answers.get(n) or "").strip() or current.answers.get(n) == given.get(n))]
        if filled:
            current.answers = {**current.answers, **{n: values[n] for n in filled}}
            await current.save(update_fields=["answers", "updated_at"], using_db=conn)
        consent = await PrefillConsent.create(
            user=user, dossier=dossier, granted=granted, source=SOURCE, fields_filled=filled, using_db=conn
        )
    dossier.answers = current.answers
    return consent


def keep_locked(dossier: Dossier, consent: PrefillConsent | None, fields: list[dict], submitted: dict) -> dict:
    """What was posted, except that answers the procedure takes from the registry keep the registry's value."""
    if consent is None or not in_force(consent):
        return submitted
    names = {f["name"] for f in fields}
    locked = _locked(dossier.procedure.form, frozenset(consent.fields_filled)) & names
    return {**submitted, **{name: dossier.answers.get(name, "") for name in locked}}


async def forget_changed(consent: PrefillConsent | None, before: dict, after: dict) -> None:
    """An answer the citizen changed no longer holds the registry's value: take it off the list.

    Officials read the list as "this answer comes from the registry", so it must stay true; the consent
    itself (yes or no, when) is not changed.
    """
    if consent is None or not consent.fields_filled:
        return
    changed = {n for n in consent.fields_filled if n in after and str(after[n]) != str(before.get(n, ""))}
    if changed:
        consent.fields_filled = [n for n in consent.fields_filled if n not in changed]
        await consent.save(update_fields=["fields_filled"])
