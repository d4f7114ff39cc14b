"""The receiving agency a citizen chooses for a commune or province procedure (issue 17): the suggestion (their last
choice, or their permanent address in the population registry), the picker (province, then the agency, with an
accent-free search: GET forms, no JavaScript needed), and the change while the dossier is a draft."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from backend.accounts.models import User
from backend.accounts.web import current_user, signed_in
from backend.catalogue import agencies
from backend.catalogue.fees import fee_quote, with_base
from backend.catalogue.models import Agency, Procedure
from backend.catalogue.services import get_procedure
from backend.core import units
from backend.core.paging import Page, page_number
from backend.core.web import form_dict, page
from backend.dossiers import filing
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier
from backend.dossiers.web import FORM_POST
from backend.dossiers.workflow import TransitionRefused
from backend.identity.registry import PopulationRegistry
from backend.journey.common import own_dossier

PAGE_SIZE = 50
MAX_QUERY = 100  # a longer search is cut: no agency's name is that long


@dataclass(frozen=True)
class Choice:
    """The agency a page proposes, and why: ``chosen`` (in the picker), ``draft`` (the open draft's), ``sole``
    (the only one), ``last`` (the citizen's last choice), ``residence`` (their permanent address)."""

    agency: Agency
    why: str


async def residence_unit(user: User, registry: PopulationRegistry) -> str | None:
    """The GSO code of the commune or ward of the citizen's permanent address in the population registry; only
    for a verified identity (level 2), None when the registry cannot say."""
    if user.identity_level != 2 or not user.identity_number:
        return None
    result = await registry.lookup(user.identity_number, user.phone)
    if result.citizen is None:
        return None
    address = result.citizen.permanent_address
    province = next((p for p in units.provinces() if units.fold(p.name) == units.fold(address.province)), None)
    if province is None:
        return None
    ward = next((w for w in units.wards(province.code) if w.key == units.fold(address.ward)), None)
    return ward.code if ward else province.code


async def suggestion(user: User, procedure: Procedure, registry: PopulationRegistry) -> Choice | None:
    """What to propose before the citizen chose: the only agency, their last choice, else their residence's."""
    if (sole := await filing.sole_agency(procedure)) is not None:
        return Choice(sole, "sole")
    if (last := await filing.last_choice(user, procedure)) is not None:
        return Choice(last, "last")
    unit = await residence_unit(user, registry)
    if unit and (found := await agencies.suggested_agency(procedure, unit)) is not None:
        if await agencies.offers(procedure, found):
            return Choice(found, "residence")
    return None


def terms_of(procedure: Procedure, agency: Agency | None) -> tuple[int, int]:
    """The fee (VND) and time limit (working days) at ``agency``, the catalogue's own without one."""
    return agencies.terms(procedure, agency) if agency is not None else (procedure.fee, procedure.processing_days)


def filing_context(dossier: Dossier) -> dict:
    """What the check page and the receipt show of where the dossier goes: the agency's fee and time limit, and
    whether the citizen chose the agency (then they can change it while it is a draft). No single fee for a
    procedure with fee options: the one chosen is the payment's; a fee per copy or page is for the answers given."""
    fee, days = terms_of(dossier.procedure, dossier.agency)
    quote = with_base(fee_quote(dossier.procedure, dossier.answers), fee)
    return {"filing_terms": (None if dossier.procedure.fee_options else quote.amount_for(""), days),
            "agency_chosen": filing.chosen_by_citizen(dossier.procedure)}


async def picker(
    request: Request, procedure: Procedure, *, action: str, search_action: str, back: str, current: Choice | None,
    dossier: Dossier | None = None, errors: dict | None = None, status_code: int = 200,
    values: dict | None = None,
) -> Template:
    """The agency picker: province and search (GET), then one agency among the matches (POST to ``action``)."""
    values = values if values is not None else dict(request.query_params)
    province = units.province(str(values.get("province") or ""))
    q = str(values.get("q") or "").strip()[:MAX_QUERY]
    if province is None and not q and current is not None:  # opens on the province of the agency proposed
        province = units.province(current.agency.province_code or "")
    number = page_number(values.get("page"))
    results = None
    # 3,321 communes: a commune procedure lists a province's, or the matches of a search, never all of them.
    if province is not None or q or procedure.filing_level != "commune":
        total, found = await agencies.filing_agencies(
            procedure, province=province.code if province else None, q=q or None,
            limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        results = Page(found, number, PAGE_SIZE, number * PAGE_SIZE < total, total)
    query = {k: v for k, v in (("province", province.code if province else ""), ("q", q)) if v}
    return page(
        "dossiers/agency_picker.html", status_code,
        procedure=procedure, dossier=dossier, action=action, back=back, current=current,
        provinces=units.provinces(), province=province, q=q, results=results, errors=errors or {},
        search_action=search_action, query=urlencode(query) + ("&" if query else ""),
        chosen=str(values.get("agency") or ""),
    )


async def new_picker(request: Request, procedure: Procedure, current: Choice | None, **extra) -> Template:
    """The picker for an application not started yet: the choice is posted to the start, which starts the form."""
    return await picker(request, procedure, action=f"/procedures/{procedure.code}/apply",
                        search_action=f"/procedures/{procedure.code}/agencies",
                        back=f"/procedures/{procedure.code}/apply", current=current, **extra)


async def _draft_picker(request: Request, dossier: Dossier, **extra) -> Template:
    return await picker(request, dossier.procedure, action=f"/dossiers/{dossier.code}/agency",
                        search_action=f"/dossiers/{dossier.code}/agency", back=f"/dossiers/{dossier.code}/check",
                        current=Choice(dossier.agency, "draft"), dossier=dossier, **extra)


async def _procedure(code: str) -> Procedure:
    procedure = await get_procedure(code)
    if procedure is None or not filing.chosen_by_citizen(procedure):
        raise NotFoundException()
    return procedure


@get("/procedures/{code:str}/agencies", guards=[signed_in])
async def choose_for_new(
    request: Request, population_registry: NamedDependency[PopulationRegistry], code: FromPath[str]
) -> Template:
    """Where a new application goes: province and search, then the agency."""
    procedure = await _procedure(code)
    return await new_picker(request, procedure, await suggestion(current_user(request), procedure, population_registry))


@get("/dossiers/{code:str}/agency", guards=[signed_in])
async def choose_for_draft(request: Request, code: FromPath[str]) -> Template:
    """Change where a draft goes (the "Change" link of the check page)."""
    dossier = await own_dossier(request, code, draft=True)
    if not filing.chosen_by_citizen(dossier.procedure):
        raise NotFoundException()
    return await _draft_picker(request, dossier)


@post("/dossiers/{code:str}/agency", guards=[signed_in], **FORM_POST)
async def change_for_draft(request: Request, code: FromPath[str]) -> Template | Redirect:
    dossier = await own_dossier(request, code)
    if not filing.chosen_by_citizen(dossier.procedure):
        raise NotFoundException()
    if dossier.status is not Status.DRAFT:
        raise TransitionRefused(filing.sent_already())
    form = await form_dict(request)
    try:
        agency = await filing.filing_agency(dossier.procedure, str(form.get("agency", "")))
    except filing.AgencyRefused as exc:
        return await _draft_picker(request, dossier, errors={"agency": str(exc)}, status_code=400, values=form)
    await filing.change_agency(dossier, agency)  # refused too if its payment sent it meanwhile
    return Redirect(f"/dossiers/{dossier.code}/check?agency=changed")

