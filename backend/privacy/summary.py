"""The export's ``summary.html``: the same data as ``data.json``, readable, in the citizen's language. Rendered by
the worker, outside any request, with the portal's own gettext and formatters."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from backend.audit.models import AccessEntry
from backend.core import i18n
from backend.core.languages import language
from backend.core.templating import configure, format_moment
from backend.dossiers.constants import status_label
from backend.privacy.services import access_lines
from backend.settings import ROOT


def _moment(value: str | None) -> str:
    return format_moment(datetime.fromisoformat(value)) if value else ""


@cache
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(ROOT / "backend" / "privacy" / "templates"),
                      autoescape=select_autoescape(default=True))
    configure(env, globals_={}, filters={"status_label": status_label, "at": _moment})
    return env


async def render(data: dict[str, Any], accesses: list[AccessEntry], lang: str) -> str:
    """The page in ``lang``; the access log in the plain words /my/data uses."""
    with i18n.in_language(lang):
        lines = await access_lines(accesses)
        return _environment().get_template("privacy/summary.html").render(data=data, here=language(lang),
                                                                           access_lines=lines)
