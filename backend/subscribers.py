"""Who reacts to which domain event (``backend.core.events``): each domain's ``register``, in one list.

``create_app`` calls ``register_all`` for the web processes, ``manage worker`` for the outbox worker's process
(its jobs settle payments, which publishes ``PaymentReceived``). The README ("Events") lists the events.
"""

from __future__ import annotations

from backend.assisted import filing as assisted_filing
from backend.assisted import identity as assisted_identity
from backend.assisted import services as assisted
from backend.core.clock import SYSTEM, Clock
from backend.core.events import EVENTS, Events
from backend.dossiers import history, redraft
from backend.journey import api as dossiers_api
from backend.questions import subscribers as questions


def register_all(events: Events = EVENTS, clock: Clock = SYSTEM) -> Events:
    history.register(events)  # every DossierEvent: its timeline row and the citizen's outbox row
    dossiers_api.register(events)  # status changes: the public status look-up forgets what it kept
    questions.register(events)  # a low rating becomes feedback; the procedure page shows published questions
    assisted_filing.register()  # a dossier filed with help: its pages say who helped, where, with what consent
    assisted_identity.register()  # the desk's page shows the identity a helper checked in person
    assisted.register(events, clock)  # a helper's consent: the access rule's HELPER; sent/settled move it
    redraft.register()  # not an event: the editor's warning counts open drafts by the dossiers' rule
    return events
