"""Is this deployment safe to start? Every problem in one list; a loud warning for a demo the network reaches."""

from __future__ import annotations

from collections.abc import Mapping

from backend.core.loopback import is_loopback
from backend.delivery.postal import insecure_settings as postal_problems
from backend.payments.gateway import insecure_settings as payment_problems
from backend.settings import Settings


class UnsafeSettings(ValueError):
    """Outside demo mode the settings leave the portal open; the message lists every problem."""


def problems(settings: Settings) -> list[str]:
    """Everything that must change before the portal may serve citizens (nothing in demo mode)."""
    if settings.demo_mode:
        return []
    return [*settings.insecure_settings(), *payment_problems(settings), *postal_problems(settings)]


def refuse_unsafe(settings: Settings) -> None:
    """Raise ``UnsafeSettings`` naming each problem, so one restart can fix them all."""
    if found := problems(settings):
        raise UnsafeSettings(
            "Outside demo mode the portal needs real services and secrets; fix these and start again:\n"
            + "\n".join(f"  - {problem}" for problem in found)
        )


def listen_host(settings: Settings, env: Mapping[str, str]) -> str:
    """``HOST`` when set; otherwise this machine only in demo mode, every interface in production (a container)."""
    return env.get("HOST") or ("127.0.0.1" if settings.demo_mode else "0.0.0.0")


def demo_exposure_warning(settings: Settings, host: str) -> str | None:
    """Several lines for stderr when demo mode listens beyond this machine; None when it does not."""
    if not settings.demo_mode or is_loopback(host):
        return None
    rule = "!" * 78
    return "\n".join([
        rule,
        f"!! DEMO MODE IS LISTENING ON {host}: OTHER MACHINES CAN REACH THIS PORTAL.",
        "!! Demo mode has published secrets, made-up services and a sign-in code for every account.",
        "!! /dev/* and /sandbox/* answer only this machine (others get 404), but a proxy on this machine that does",
        "!! not send X-Forwarded-For makes every visitor look local. Unset HOST to listen on 127.0.0.1 only.",
        rule,
    ])
