"""An agency's staff: who may run it, adding officials, their roles, deactivation, and the audit log of each change.

The portal administrator runs every agency's staff and names its agency administrators; an agency administrator
runs their own agency's officials and leads. Every change is written with its audit row in one transaction.
"""

from __future__ import annotations

from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from backend.accounts.models import AgencyRole, PushSubscription, Role, User
from backend.accounts.services import normalise_phone
from backend.catalogue import agencies
from backend.catalogue.models import Agency
from backend.core.clock import Clock
from backend.core.i18n import gettext
from backend.core.i18n import lazy_gettext as _
from backend.core.paging import Page, fetch_page
from backend.staff.models import StaffAction, StaffChange

PAGE_SIZE = 50
MAX_NAME = 200
MAX_ASSIGNABLE = 500  # the officials a lead chooses from; an agency with more would need a search, not a list

ROLE_LABELS = {
    AgencyRole.OFFICIAL: _("Official"),
    AgencyRole.LEAD: _("Lead"),
    AgencyRole.AGENCY_ADMIN: _("Agency administrator"),
}
ACTION_LABELS = {
    StaffAction.ADDED: _("Added"),
    StaffAction.ROLE_CHANGED: _("Role changed"),
    StaffAction.DEACTIVATED: _("Deactivated"),
    StaffAction.REACTIVATED: _("Reactivated"),
}
Errors = dict[str, str]


def is_agency_admin(user: User | None) -> bool:
    return (
        user is not None and user.role is Role.OFFICER and user.active and user.agency_id is not None
        and user.agency_role is AgencyRole.AGENCY_ADMIN
    )


def runs_staff(user: User | None) -> bool:
    """May open the staff pages at all: the portal administrator, or an active agency administrator."""
    return user is not None and (user.role is Role.ADMIN or is_agency_admin(user))


def manages(user: User, agency: Agency) -> bool:
    """Runs this agency's staff: the portal administrator runs every agency's, an agency administrator their own."""
    return user.role is Role.ADMIN or (is_agency_admin(user) and user.agency_id == agency.id)


def roles_given_by(user: User) -> list[AgencyRole]:
    """The roles this person may give: agency administrators are named by the portal administrator only."""
    if user.role is Role.ADMIN:
        return [AgencyRole.OFFICIAL, AgencyRole.LEAD, AgencyRole.AGENCY_ADMIN]
    return [AgencyRole.OFFICIAL, AgencyRole.LEAD]


def snapshot(user: User) -> dict[str, Any]:
    """What the audit log keeps of an account, before and after a change."""
    return {
        "full_name": user.full_name, "phone": user.phone, "agency_id": user.agency_id,
        "agency_role": user.role_in_agency.value if user.role_in_agency else None, "active": user.active,
    }


async def agency_by_code(code: str) -> Agency | None:
    return await Agency.get_or_none(code=code[:40])


async def find_agencies(q: str, page: int) -> Page:
    """Agencies whose name or code holds every word of ``q``, accents ignored (the portal administrator picks one
    to name its administrators); the directory's own search."""
    offset = (page - 1) * PAGE_SIZE
    total, found = await agencies.find(q=q[:100], limit=PAGE_SIZE, offset=offset)
    return Page(found, page, PAGE_SIZE, total > offset + PAGE_SIZE, total)


async def staff_page(agency: Agency, page: int) -> Page:
    """The agency's officers, active ones first, by name."""
    query = User.filter(role=Role.OFFICER, agency_id=agency.id).order_by("-active", "full_name", "id")
    return await fetch_page(query, page, PAGE_SIZE)


async def audit_page(agency: Agency, page: int) -> Page:
    """The agency's staff audit log, newest first."""
    query = StaffChange.filter(agency_id=agency.id).select_related("actor", "target").order_by("-id")
    return await fetch_page(query, page, PAGE_SIZE)


async def _record(actor: User, agency_id: int, target: User, action: StaffAction, before: dict | None,
                  clock: Clock, conn) -> None:
    await StaffChange.create(actor_id=actor.id, agency_id=agency_id, target_id=target.id, action=action,
                             before=before, after=snapshot(target), created_at=clock.now(), using_db=conn)


def _role_error(raw: str, actor: User) -> str | None:
    if raw not in {role.value for role in roles_given_by(actor)}:
        if actor.role is Role.ADMIN:
            return gettext("Choose official, lead or agency administrator")
        return gettext("Choose official or lead")
    return None


async def add_staff(actor: User, agency: Agency, form: dict[str, Any], *, clock: Clock) -> Errors:
    """Add an official, a lead or (the portal administrator only) an agency administrator to ``agency``."""
    if not manages(actor, agency):
        return {"phone": gettext("You can only add staff to your own agency")}
    errors: Errors = {}
    phone = normalise_phone(str(form.get("phone", "")))
    name = str(form.get("full_name", "")).strip()
    if phone is None:
        errors["phone"] = gettext("Enter a Vietnamese mobile number, like 0912 345 678")
    elif await User.exists(phone=phone):
        errors["phone"] = gettext(
            "This number already has an account on the portal. Each official needs a number with no account yet."
        )
    if not name:
        errors["full_name"] = gettext("Enter the official's full name")
    elif len(name) > MAX_NAME:
        errors["full_name"] = gettext("The name must be %(max)s characters or fewer", max=MAX_NAME)
    role_error = _role_error(str(form.get("agency_role", "")), actor)
    if role_error:
        errors["agency_role"] = role_error
    if errors:
        return errors
    try:
        async with in_transaction() as conn:
            user = await User.create(phone=phone, full_name=name, role=Role.OFFICER, agency_id=agency.id,
                                     agency_role=AgencyRole(form["agency_role"]), using_db=conn)
            await _record(actor, agency.id, user, StaffAction.ADDED, None, clock, conn)
    except IntegrityError:  # the same number added a moment ago by someone else
        return {"phone": gettext(
            "This number already has an account on the portal. Each official needs a number with no account yet.")}
    return {}


async def _member(actor: User, agency: Agency, user_id: int, key: str) -> tuple[User | None, Errors]:
    """The officer ``actor`` is about to change, or the reason they may not."""
    target = await User.get_or_none(id=user_id, role=Role.OFFICER)
    if target is None or target.agency_id != agency.id or not manages(actor, agency):
        return None, {key: gettext("This person is not on your agency's staff: nothing was changed")}
    if target.id == actor.id:
        return None, {key: gettext("You cannot change your own account here: ask another administrator")}
    if target.agency_role is AgencyRole.AGENCY_ADMIN and actor.role is not Role.ADMIN:
        return None, {key: gettext("Only the portal administrator can change an agency administrator's account")}
    return target, {}


async def change_role(actor: User, agency: Agency, user_id: int, raw: str, *, clock: Clock) -> Errors:
    key = f"role-{user_id}"
    target, errors = await _member(actor, agency, user_id, key)
    if target is None:
        return errors
    role_error = _role_error(raw, actor)
    if role_error:
        return {key: role_error}
    if target.role_in_agency is AgencyRole(raw):
        return {}
    before = snapshot(target)
    target.agency_role = AgencyRole(raw)
    async with in_transaction() as conn:
        await target.save(update_fields=["agency_role"], using_db=conn)
        await _record(actor, agency.id, target, StaffAction.ROLE_CHANGED, before, clock, conn)
    return {}


async def set_active(actor: User, agency: Agency, user_id: int, active: bool, *, clock: Clock) -> Errors:
    """Deactivate (every session ends at its next request, no sign-in, no notification) or reactivate."""
    key = f"active-{user_id}"
    target, errors = await _member(actor, agency, user_id, key)
    if target is None:
        return errors
    if target.active == active:
        return {}
    before = snapshot(target)
    target.active = active
    target.deactivated_at = None if active else clock.now()
    async with in_transaction() as conn:
        await target.save(update_fields=["active", "deactivated_at"], using_db=conn)
        if not active:  # the "sign out everywhere" epoch: sessions that carry the old one stop working
            await User.filter(id=target.id).using_db(conn).update(session_epoch=F("session_epoch") + 1)
            await PushSubscription.filter(user_id=target.id).using_db(conn).delete()
        action = StaffAction.REACTIVATED if active else StaffAction.DEACTIVATED
        await _record(actor, agency.id, target, action, before, clock, conn)
    return {}


# Assignment (the desk asks): who may assign, and to whom.

def may_assign(user: User) -> bool:
    return user.active and user.role_in_agency in (AgencyRole.LEAD, AgencyRole.AGENCY_ADMIN)


async def assignable(agency_id: int) -> list[User]:
    """The agency's active officers, whom a lead may give a dossier to."""
    return await User.filter(role=Role.OFFICER, agency_id=agency_id, active=True).order_by(
        "full_name", "id").limit(MAX_ASSIGNABLE)


async def assignee_error(agency_id: int, raw: str) -> tuple[User | None, str | None]:
    """The officer chosen to take a dossier of ``agency_id`` (None with no error: unassign), or why not."""
    if not raw:
        return None, None
    try:
        user = await User.get_or_none(id=int(raw), role=Role.OFFICER)
    except (TypeError, ValueError):
        user = None
    if user is None or user.agency_id != agency_id:
        return None, gettext("Choose an official of this agency: that person does not work here")
    if not user.active:
        return None, gettext("%(name)s has been deactivated and cannot take dossiers", name=user.full_name)
    return user, None
