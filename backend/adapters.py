"""What the portal talks to outside itself (the adapters), and how code gets them: by name, through Litestar's
dependency injection.

``create_app`` opens the adapters in its lifespan and provides each one under its name (``dependencies``); a
handler names what it needs in its signature (``storage: NamedDependency[Storage]``), and passes it on to the
services, which take adapters as parameters. Nobody else reads ``app.state``:

- the providers below read the running app's ``Adapters`` (one object, ``app.state.adapters``), per request;
- code Litestar does not inject into uses ``adapters_of(app)`` here or ``backend.settings.settings_of(connection)``
  (exception handlers, decorators around handlers); middlewares are given what they need when ``create_app``
  builds them, template helpers are bound to the settings there.

Tests swap an adapter with ``create_app(settings, adapters={"postal_service": factory})`` (``factory(adapters)``
returns the stand-in, given the ones built so far), or, in a running app, by setting a field of
``adapters_of(app)``: providers read it on every request.

Names (a handler's parameter with one of these names is that adapter, never a query parameter): ``settings``,
``http``, ``sms_gateway``, ``population_registry``, ``storage``, ``issuer`` (signs and keeps result PDFs),
``postal_service``, ``payment_gateway``, ``vapid``, ``file_checks``, ``push_inbox`` (the demo push service), and
``trust_roots`` (the issuer's, to check uploads' signatures against).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from litestar.datastructures import State
from litestar.di import Provide

from backend.settings import Settings

if TYPE_CHECKING:
    import httpx
    from litestar import Litestar

    from backend.delivery.postal import HttpPostalService
    from backend.documents.pool import CheckPool
    from backend.identity.registry import PopulationRegistry
    from backend.notifications.vapid import VapidKeys
    from backend.payments.gateway import PaymentGateway
    from backend.results.services import ResultIssuer
    from backend.sandboxes.push import PushInbox
    from backend.storage import Storage


@dataclass
class Adapters:
    """The running app's adapters, built once at startup."""

    http: httpx.AsyncClient
    sms_gateway: Any
    population_registry: PopulationRegistry
    storage: Storage
    issuer: ResultIssuer
    postal_service: HttpPostalService
    payment_gateway: PaymentGateway
    vapid: VapidKeys
    file_checks: CheckPool
    push_inbox: PushInbox


Overrides = Mapping[str, Callable[[Adapters], Any]]
"""Adapter name -> ``factory(adapters)``, the stand-in a test wants instead (see the module's docstring)."""


def check_overrides(overrides: Overrides | None) -> None:
    """An unknown name is an error (when the app is built), not a stand-in silently ignored."""
    unknown = set(overrides or {}) - {f.name for f in fields(Adapters)}
    if unknown:
        raise ValueError(f"No adapter named {', '.join(sorted(unknown))}")


def overridden(adapters: Adapters, overrides: Overrides | None) -> Adapters:
    """``adapters`` with the stand-ins of ``overrides`` (each of the type handlers name: it is checked)."""
    check_overrides(overrides)
    for name, factory in (overrides or {}).items():
        adapters = replace(adapters, **{name: factory(adapters)})
    return adapters


def _provider(name: str) -> Provide:
    def provide(state: State) -> Any:
        return getattr(state.adapters, name)

    provide.__name__ = f"provide_{name}"
    return Provide(provide, sync_to_thread=False)  # an attribute read: never worth a thread


def dependencies(settings: Settings) -> dict[str, Provide]:
    """``Litestar(dependencies=...)``: the settings (the same object for the app's life) and every adapter."""
    provided = {f.name: _provider(f.name) for f in fields(Adapters)}
    return {"settings": Provide(lambda: settings, use_cache=True, sync_to_thread=False), **provided,
            "trust_roots": Provide(_trust_roots, sync_to_thread=False)}


def _trust_roots(state: State) -> list:
    """The certificates uploads' signatures are checked against: the issuer's, without handing out the issuer."""
    return state.adapters.issuer.pki.trust_roots


def adapters_of(app: Litestar) -> Adapters:
    """The running app's adapters, for code dependency injection does not reach (template helpers, tests)."""
    return app.state.adapters

