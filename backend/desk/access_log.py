"""The agency lead's page of the access log (issue 21): which of the agency's officials opened which citizen's
dossier, when and on which screen, newest first; flagged ones (``audit.flags``) can be shown alone."""

from __future__ import annotations

from litestar import Request, get
from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.params import FromQuery
from litestar.response import Template

from backend.accounts.web import current_user, officer_only
from backend.audit import services, words
from backend.core.i18n import gettext
from backend.core.paging import page_number
from backend.core.web import page
from backend.dossiers.models import Dossier


def leads_only(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    officer_only(connection, handler)
    if not services.reads_agency_log(connection.state.user):
        raise PermissionDeniedException(gettext("Only the agency's leads and administrators can see this"))


async def dossier_codes(ids: list[int]) -> dict[int, str]:
    """The codes of the dossiers on one page of the log (bounded by the page)."""
    return dict(await Dossier.filter(id__in=ids).values_list("id", "code")) if ids else {}


@get("/desk/access", guards=[leads_only])
async def access_page(request: Request, flagged: FromQuery[str] = "", official: FromQuery[str] = "") -> Template:
    agency_id = current_user(request).agency_id
    assert agency_id is not None  # officer_only
    actor_id = int(official) if official.isdigit() and len(official) < 12 else None
    chosen = await services.agency_official(agency_id, actor_id)  # another agency's official: nobody chosen
    rows = await services.agency_accesses(agency_id, page_number(request.query_params.get("page")),
                                          flagged_only=flagged == "1", actor_id=chosen.actor_id if chosen else None)
    codes = await dossier_codes([row.dossier_id for row in rows.items if row.dossier_id is not None])
    return page("desk/access.html", rows=rows, codes=codes, flagged=flagged == "1", chosen=chosen, words=words)


route_handlers = [access_page]
