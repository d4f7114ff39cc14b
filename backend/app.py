"""The application factory: the table of contents of the portal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from functools import partial

import httpx
from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig
from litestar.types import ControllerRouterHandler

from backend.accounts import account, display
from backend.accounts import controllers as accounts
from backend.accounts.display import html_classes
from backend.accounts.services import device_name, display_phone
from backend.accounts.session_store import SESSION_COOKIE, DatabaseStore, RotatingSessionConfig
from backend.accounts.web import UserMiddleware
from backend.adapters import Adapters, Overrides, adapters_of, check_overrides, overridden
from backend.adapters import dependencies as provided
from backend.assisted import controllers as assisted
from backend.assisted import counter_controllers as assisted_counter
from backend.audit.log import AccessLogMiddleware
from backend.catalogue import controllers as catalogue
from backend.catalogue import live
from backend.catalogue.services import ensure_search_index
from backend.core.caching import PublicCache
from backend.core.calendar import require_years
from backend.core.clock import SYSTEM, Clock
from backend.core.compression import Compression
from backend.core.fallback_markup import FallbackMarkup
from backend.core.i18n import gettext
from backend.core.keys import CSRF, derive_text_key
from backend.core.language_routing import LanguageRouting
from backend.core.loopback import loopback_only
from backend.core.security_headers import SecurityHeaders
from backend.core.templating import TEMPLATE_DIRS, configure
from backend.core.text_store import STORE as TEXTS
from backend.core.web import EXCEPTION_HANDLERS
from backend.db import orm_lifespan
from backend.delivery import controllers as delivery
from backend.delivery.postal import HttpPostalService
from backend.deployment import refuse_unsafe
from backend.desk import controllers as desk
from backend.documents.pool import CheckPool
from backend.dossiers.constants import status_label
from backend.dossiers.display import answer_text, result_form_label
from backend.dossiers.web import EXCEPTION_HANDLERS as WORKFLOW_REFUSALS
from backend.feedback import controllers as feedback
from backend.identity import controllers as identity
from backend.identity.registry import HttpPopulationRegistry
from backend.journey import api as dossiers_api
from backend.journey import pages as dossiers
from backend.limits import local as local_rate_counts
from backend.notifications import controllers as notifications
from backend.notifications.runtime import outbox_worker, periodic_jobs, running, vapid_keys
from backend.payments import controllers as payments
from backend.payments.gateway import VnpayGateway
from backend.privacy import controllers as privacy
from backend.privacy import rights as privacy_rights
from backend.privacy.jobs import privacy_jobs
from backend.privacy.retention import rules as retention_rules
from backend.publisher import controllers as publisher
from backend.publisher import exchange as procedure_exchange
from backend.pwa import controllers as pwa
from backend.pwa.idempotency import idempotency_input
from backend.pwa.shell import UserTagHeader, asset, portal_user
from backend.questions import controllers as questions
from backend.results import controllers as results
from backend.results.services import ResultIssuer
from backend.sandboxes.payment import payment_sandbox_router
from backend.sandboxes.postal import postal_sandbox_router
from backend.sandboxes.push import demo_inbox, push_sandbox_router
from backend.sandboxes.registry import registry_sandbox_router
from backend.sandboxes.sms import sms_sandbox_router
from backend.settings import ROOT, Settings
from backend.sms.gateway import HttpSmsGateway
from backend.staff import controllers as staff
from backend.statistics import controllers as statistics
from backend.storage import open_storage
from backend.subscribers import register_all
from backend.system import controllers as system
from backend.translations import controllers as translations
from backend.translations.live import live_translations

CSRF_COOKIE = "portal_csrf"
ANYONE = (r"^/api/v1/procedures(/[^/]+)?$", r"^/api/v1/agencies$", r"^/api/v1/dossiers/[^/]+/status$",
          r"^/api/v1/statistics/agencies(\.csv)?$")
"""Public JSON, read-only and the same for everyone: no session, no user look-up, no CSRF cookie."""
PAGES: list[ControllerRouterHandler] = [
    *catalogue.route_handlers,
    *dossiers_api.page_handlers,
    *accounts.route_handlers,
    *account.route_handlers,
    *display.route_handlers,
    *dossiers.route_handlers,
    *desk.route_handlers,
    *staff.route_handlers,
    *assisted.route_handlers,  # service points, helpers, a citizen's consent (issue 20)
    *publisher.route_handlers,
    *procedure_exchange.route_handlers,
    *feedback.route_handlers,
    *questions.route_handlers,
    *identity.route_handlers,
    *privacy_rights.route_handlers,  # the copy of my data and account closure (issue 21)
    *results.route_handlers,
    *delivery.route_handlers,
    *payments.page_handlers,
    *system.page_handlers,
    *pwa.page_handlers,
    *notifications.page_handlers,
    *translations.route_handlers,
    *statistics.route_handlers,
    *privacy.route_handlers,
    *assisted_counter.route_handlers,  # the counter and the helper's own desk (issue 20)
]


def create_app(
    settings: Settings | None = None, *, http_transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock = SYSTEM, adapters: Overrides | None = None,
) -> Litestar:
    """Build the portal. ``http_transport`` lets tests route adapter traffic to in-process sandboxes; ``clock``
    is the time handlers are given (``clock: Clock`` in a signature), a ``FixedClock`` in tests of date rules;
    ``adapters`` swaps adapters for stand-ins (``{"postal_service": factory}``, see backend/adapters.py)."""
    settings = settings or Settings.from_env()
    retention_rules()  # a retention file the portal cannot apply stops it here, saying what is wrong
    register_all(clock=clock)  # who reacts to which domain event (backend/subscribers.py)
    check_overrides(adapters)
    adapter_overrides = adapters  # stand-ins for tests (backend/adapters.py)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        async with orm_lifespan(settings.database_url), httpx.AsyncClient(transport=http_transport) as client:
            await ensure_search_index()  # after a migration that adds it, or procedures loaded by SQL
            local_rate_counts.forget()  # counts kept in memory belong to the database opened before
            async with AsyncExitStack() as background:
                # Keys are read (the demo authority created) at startup, never at import.
                # Uploads and result PDFs: a directory, or object storage every server shares (STORAGE_URL).
                storage = open_storage(settings)
                app.state.adapters = adapters = overridden(Adapters(
                    http=client,
                    sms_gateway=HttpSmsGateway(settings.sms_url, settings.sms_api_key, client),
                    population_registry=HttpPopulationRegistry(
                        settings.registry_base_url, settings.registry_api_key, client),
                    storage=storage,
                    issuer=ResultIssuer.from_settings(settings, storage),
                    postal_service=HttpPostalService.from_settings(settings, client),
                    payment_gateway=VnpayGateway.from_settings(settings, client),
                    vapid=vapid_keys(settings),
                    # Uploads and signed PDFs are opened and checked in these processes, never on the event loop.
                    file_checks=await background.enter_async_context(
                        CheckPool(settings.pdf_check_workers, settings.pdf_check_seconds)),
                    push_inbox=demo_inbox(settings),
                ), adapter_overrides)
                await background.enter_async_context(live_translations())
                if settings.outbox_worker:
                    worker = await background.enter_async_context(
                        outbox_worker(settings, adapters.sms_gateway,
                                      [*periodic_jobs(settings, client), *privacy_jobs(adapters.storage)],
                                      adapters.vapid)
                    )
                    await background.enter_async_context(running(worker))
                yield

    handlers: list = [
        Router(path="/", route_handlers=PAGES, include_in_schema=False),
        *catalogue.api_route_handlers,
        *statistics.api_route_handlers,
        *dossiers_api.route_handlers,
        *system.route_handlers,
        *pwa.route_handlers,
        *delivery.api_route_handlers,
        *payments.route_handlers,
        *notifications.route_handlers,
        create_static_files_router(path="/static", directories=[ROOT / "pwa"], include_in_schema=False),
    ]
    refuse_unsafe(settings)
    require_years(clock.today())  # due dates need this year's holidays and the next: refuse rather than guess
    if settings.demo_mode:  # the sandboxes take payments and show parcels to anyone: never outside demo mode
        sandboxes = ((settings.sms_gateway_url, sms_sandbox_router), (settings.registry_url, registry_sandbox_router),
                     (settings.postal_service_url, postal_sandbox_router),
                     (settings.payment_gateway_url, payment_sandbox_router))
        # ...and even then to this machine only: the portal's adapters call them on localhost.
        handlers.append(Router(path="/", guards=[loopback_only], route_handlers=[
            *system.demo_route_handlers, push_sandbox_router, *(router for url, router in sandboxes if not url)]))

    dependencies = {"clock": Provide(lambda: clock, use_cache=True, sync_to_thread=False), **provided(settings)}
    app = Litestar(
        route_handlers=handlers,
        lifespan=[lifespan],
        dependencies=dependencies,
        middleware=[
            RotatingSessionConfig(
                store="sessions",
                exclude=list(ANYONE),
                max_age=settings.session_max_age,
                secure=settings.secure_cookies,
                samesite="lax",
                httponly=True,
                key=SESSION_COOKIE,
            ).middleware,
            UserMiddleware(anyone=ANYONE),
            # After UserMiddleware: it tells the service worker whose pages these are.
            UserTagHeader(settings.secret_key),
            AccessLogMiddleware(),  # who opened a citizen's data: one insert per request, after its response
        ],
        stores={"sessions": DatabaseStore()},
        csrf_config=CSRFConfig(
            secret=derive_text_key(settings.secret_key, CSRF),
            cookie_secure=settings.secure_cookies,
            cookie_name=CSRF_COOKIE,
            exclude=["^/sandbox/", "^/api/v1/postal/events$", *ANYONE],
        ),
        template_config=TemplateConfig(directory=[*TEMPLATE_DIRS], engine=JinjaTemplateEngine,
                                       engine_callback=partial(_engine, settings=settings)),
        openapi_config=OpenAPIConfig(title="National public service portal", version="1"),
        exception_handlers={**EXCEPTION_HANDLERS, **WORKFLOW_REFUSALS},
        request_max_body_size=settings.upload_max_bytes + 512 * 1024,
        debug=settings.debug,
    )
    app.state.settings = settings  # for settings_of (backend/settings.py), where injection does not reach
    # Outside Litestar's router: page paths carry the language first (/km/procedures), handlers do not.
    # Texts that fall back to another language get that language's lang attribute (FallbackMarkup).
    # The catalogue, as anyone sees it, is kept a few minutes per language (PublicCache); bodies are compressed last.
    # A copy dies when a translation is approved or a procedure version published (in this process).
    public_cache = PublicCache(FallbackMarkup(app.asgi_handler), public_paths=is_public_path,
                               session_cookie=SESSION_COOKIE, csrf_cookie=CSRF_COOKIE,
                               version=lambda: TEXTS.version + live.generation())
    app.asgi_handler = Compression(SecurityHeaders(LanguageRouting(public_cache),
                                                   payment_gateway_url=settings.payment_gateway_url,
                                                   hsts=settings.secure_cookies, session_cookie=SESSION_COOKIE))
    return app


def is_public_path(path: str) -> bool:
    """The catalogue's pages and JSON (language-free paths): the same for everyone without a session. (Not the
    agency directory: an agency added or closed shows within a second, catalogue.agency_index.)"""
    if path in ("/", "/procedures", "/api/v1/procedures"):
        return True
    head, _, code = path.rpartition("/")
    return head in ("/procedures", "/api/v1/procedures") and bool(code)


def _engine(engine: JinjaTemplateEngine, *, settings: Settings) -> None:
    # Checking each template's file on every render (a stat per include) is for editing under make run only.
    engine.engine.auto_reload = settings.template_reload
    configure(
        engine.engine,
        globals_={"display_phone": display_phone, "display_classes": html_classes, "asset": asset,
                  "idempotency_input": idempotency_input, "answer_text": answer_text,
                  "result_form_label": result_form_label,
                  "portal_user": partial(portal_user, secret=settings.secret_key),
                  "upload_max_mb": settings.upload_max_bytes // (1024 * 1024),
                  "push_public_key": lambda request: adapters_of(request.app).vapid.public_key},
        filters={"status_label": status_label,
                 "device": lambda ua: device_name(ua or "", gettext("Unknown device"))},
    )
