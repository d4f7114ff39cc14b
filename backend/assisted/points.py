"""Service points and their helpers: who runs which point, creating one, appointing a helper, ending a post.

The portal administrator runs every point (post offices belong to no agency); an agency administrator runs their
own agency's commune points (its one-stop desk, its community team). A helper is any account, found or created by
its mobile number, posted at one point; ending the post takes the helper's access to every consent at once
(``services.active_consent`` asks for a live post).
"""

from __future__ import annotations

import re
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.accounts.models import Role, User
from backend.accounts.services import normalise_phone
from backend.assisted.models import HelperPost, PointKind, ServicePoint
from backend.catalogue.models import Agency
from backend.core.clock import Clock
from backend.core.i18n import gettext
from backend.core.i18n import lazy_gettext as _
from backend.core.paging import Page, fetch_page
from backend.staff.services import is_agency_admin

PAGE_SIZE = 30
MAX_TEXT = 200
CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,39}$")
KIND_LABELS = {
    PointKind.POST_OFFICE: _("Post office"),
    PointKind.ONE_STOP_DESK: _("Commune one-stop desk"),
    PointKind.COMMUNITY_TEAM: _("Commune community digital team"),
}
Errors = dict[str, str]


def runs_points(user: User | None) -> bool:
    """May open the service-point pages: the portal administrator, or an active agency administrator."""
    return user is not None and (user.role is Role.ADMIN or is_agency_admin(user))


def manages(user: User, point: ServicePoint) -> bool:
    return user.role is Role.ADMIN or (is_agency_admin(user) and point.agency_id == user.agency_id)


def kinds_for(user: User) -> list[PointKind]:
    """Post offices belong to no agency: only the portal administrator creates them."""
    if user.role is Role.ADMIN:
        return list(PointKind)
    return [PointKind.ONE_STOP_DESK, PointKind.COMMUNITY_TEAM]


async def points_page(user: User, page: int) -> Page:
    """The points ``user`` runs, by code."""
    query = ServicePoint.all() if user.role is Role.ADMIN else ServicePoint.filter(agency_id=user.agency_id)
    return await fetch_page(query.select_related("agency").order_by("code", "id"), page, PAGE_SIZE)


async def point_for(user: User, code: str) -> ServicePoint | None:
    """The point with this code if ``user`` runs it, else None (the page answers 404)."""
    point = await ServicePoint.get_or_none(code=code[:40]).select_related("agency")
    return point if point is not None and manages(user, point) else None


async def create_point(user: User, form: dict[str, Any]) -> tuple[ServicePoint | None, Errors]:
    """A new service point from the form (code, kind, name, address; the agency's code for a commune point)."""
    errors: Errors = {}
    code = str(form.get("code", "")).strip().upper()
    name, address = str(form.get("name", "")).strip(), str(form.get("address", "")).strip()
    raw_kind = str(form.get("kind", ""))
    kind = PointKind(raw_kind) if raw_kind in {k.value for k in kinds_for(user)} else None
    if not CODE.match(code):
        errors["code"] = gettext("Enter a code of 2 to 40 capital letters, digits and dashes, like VNP-HN-HOANKIEM")
    elif await ServicePoint.exists(code=code):
        errors["code"] = gettext("Another service point has this code. Choose another code.")
    if kind is None:
        errors["kind"] = gettext("Choose the kind of service point")
    for key, value, missing in (("name", name, gettext("Enter the service point's name")),
                                ("address", address, gettext("Enter the service point's address"))):
        if not value:
            errors[key] = missing
        elif len(value) > MAX_TEXT:
            errors[key] = gettext("Use %(max)s characters or fewer", max=MAX_TEXT)
    agency: Agency | None = None
    if kind is not None and kind is not PointKind.POST_OFFICE:
        if user.role is Role.ADMIN:
            agency_code = str(form.get("agency", "")).strip()[:40]
            agency = await Agency.get_or_none(code=agency_code) if agency_code else None
            if agency is None:
                errors["agency"] = gettext("Enter the code of the commune's agency, like P01-W-HOANKIEM")
        else:
            agency = await Agency.get(id=user.agency_id)
    if errors:
        return None, errors
    assert kind is not None
    try:
        point = await ServicePoint.create(code=code, kind=kind, name={"vi": name, "en": name},
                                          address={"vi": address, "en": address}, agency=agency)
    except IntegrityError:  # the same code created a moment ago
        return None, {"code": gettext("Another service point has this code. Choose another code.")}
    return point, {}


async def helpers_page(point: ServicePoint, page: int) -> Page:
    """The point's helpers, those still posted first, then by name."""
    query = HelperPost.filter(service_point_id=point.id).select_related("user", "appointed_by")
    return await fetch_page(query.order_by("-appointed_at", "-id"), page, PAGE_SIZE)


async def appoint(actor: User, point: ServicePoint, form: dict[str, Any], *, clock: Clock) -> Errors:
    """Make the account with this mobile number a helper at ``point`` (a new number gets a citizen account, named
    as the form says). One live post per person: a helper works at one point at a time."""
    if not manages(actor, point):
        return {"phone": gettext("You can only appoint helpers at your own agency's service points")}
    phone = normalise_phone(str(form.get("phone", "")))
    name = str(form.get("full_name", "")).strip()
    if phone is None:
        return {"phone": gettext("Enter a Vietnamese mobile number, like 0912 345 678")}
    if len(name) > MAX_TEXT:
        return {"full_name": gettext("Use %(max)s characters or fewer", max=MAX_TEXT)}
    async with in_transaction() as conn:
        user = await User.filter(phone=phone).using_db(conn).first()
        if user is None:
            if not name:
                return {"full_name": gettext("This number has no account yet: enter the helper's full name")}
            user = await User.create(phone=phone, full_name=name, role=Role.CITIZEN, using_db=conn)
        elif not user.active or user.closed_at is not None:
            return {"phone": gettext("This account is deactivated or closed: it cannot be made a helper")}
        if await HelperPost.filter(user_id=user.id, ended_at__isnull=True).using_db(conn).exists():
            return {"phone": gettext("This person is already a helper at a service point. End that post first.")}
        if name and not user.full_name:
            user.full_name = name
            await user.save(update_fields=["full_name"], using_db=conn)
        await HelperPost.create(user_id=user.id, service_point_id=point.id, appointed_by_id=actor.id,
                                appointed_at=clock.now(), using_db=conn)
    return {}


async def end_post(actor: User, point: ServicePoint, post_id: int, *, clock: Clock) -> Errors:
    """End a helper's post (one UPDATE: ending twice changes nothing); their consents stop opening dossiers."""
    key = f"post-{post_id}"
    if not manages(actor, point):
        return {key: gettext("You can only end posts at your own agency's service points")}
    ended = await HelperPost.filter(id=post_id, service_point_id=point.id, ended_at__isnull=True).update(
        ended_at=clock.now())
    if not ended:
        return {key: gettext("This post has ended already: nothing was changed")}
    return {}


async def post_of(user: User | None) -> HelperPost | None:
    """The user's live helper post, with its service point, or None: the helper pages' guard asks this."""
    if user is None or not user.active:
        return None
    return await HelperPost.filter(user_id=user.id, ended_at__isnull=True).select_related(
        "service_point").order_by("-id").first()
