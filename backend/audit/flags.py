"""Which accesses the agency lead should look at twice (issue 21): flagged rows of the access log.

The rule, precisely:

* An **official** (agency role "official") who opens a dossier **assigned to another person** is flagged. An
  unassigned dossier is not: the queue's new dossiers are open to every official of the agency to pick up.
* Leads and agency administrators are not flagged for assignment: leads assign dossiers and look over them.
* **Anyone** acting for an agency (official, lead, agency administrator) who opens a dossier **of another agency**
  is flagged, whatever the assignment (a transfer that left them a way in, a rule that changed): today's rule of
  who sees a dossier (``dossiers.access``) lets no one do so, so such a row says that something let them.
* Helpers and portal administrators belong to no agency: their access is never flagged here (a helper's comes
  from the citizen's own consent); the citizen sees every row on their "My data" page all the same.
"""

from __future__ import annotations

from backend.accounts.models import AgencyRole, Role, User


def outside_assignment(actor: User, dossier_agency_id: int | None, assignee_id: int | None) -> bool:
    """Whether ``actor`` opening a dossier of ``dossier_agency_id`` assigned to ``assignee_id`` is flagged."""
    if actor.role is not Role.OFFICER:
        return False
    if actor.agency_id != dossier_agency_id:
        return True
    return actor.role_in_agency is AgencyRole.OFFICIAL and assignee_id is not None and assignee_id != actor.id
