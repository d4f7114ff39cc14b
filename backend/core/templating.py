"""Jinja2 setup: one loader over the shared layouts and each domain's templates, gettext, formatters."""

from __future__ import annotations

import time
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.numbers import format_currency
from jinja2 import Environment
from markupsafe import Markup

from backend.core import i18n
from backend.core.clock import VIETNAM
from backend.core.languages import LANGUAGES, language
from backend.core.text_store import STORE
from backend.settings import ROOT

TEMPLATE_DIRS = [ROOT / "backend" / "templates", *sorted((ROOT / "backend").glob("*/templates"))]


def format_vnd(amount: int) -> str:
    """Money in the page's conventions (``200.000 ₫`` in Vietnamese, ``₫200,000`` in English)."""
    if not amount:
        return i18n.gettext("Free")
    return format_currency(amount, "VND", locale=i18n.format_locale())


def format_iso_day(value: str | None) -> str:
    """An answer typed as a date (``2026-11-20``) written as the page's language writes dates."""
    try:
        return format_day(date.fromisoformat(value or ""))
    except ValueError:
        return value or ""


def format_day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(VIETNAM).date()
    return _day_in(value, i18n.current_locale.get())


@lru_cache(maxsize=8192)
def _day_in(value: date, code: str) -> str:
    """A day as ``code`` writes it; kept, since a list page writes one per row (Babel takes 20 µs each)."""
    if language(code).numeric_dates:
        return babel_date(value, format="dd/MM/yyyy", locale="vi")
    return babel_date(value, format="long", locale=language(code).format_locale)


def format_moment(value: datetime | None) -> str:
    if value is None:
        return ""
    pattern = "dd/MM/yyyy HH:mm" if language(i18n.current_locale.get()).numeric_dates else "medium"
    return babel_datetime(value.astimezone(VIETNAM), format=pattern, locale=i18n.format_locale(), tzinfo=VIETNAM)


FRAGMENT_SECONDS = 1.0
"""How long a remembered piece of the layout is reused: what it holds changes only with the language, a
translation approved (``STORE.version``, in its key) or a static file edited under ``make run`` (its URL)."""
_fragments: dict[tuple, tuple[float, Markup]] = {}


def remember(name: str, *key: Any, caller) -> Markup:
    """``{% call remember("footer") %}…{% endcall %}``: the enclosed part of the layout rendered once a second per
    language (and per ``key``) rather than on every page. For the parts that are the same for every reader of a
    language: the head's links, the footer, the app's messages. (They were a third of a signed-in page's time:
    four dozen texts looked up per page.) Never for what depends on the person or the address."""
    full_key = (name, i18n.current_locale.get(), i18n.show_drafts.get(), i18n.marking.get(), STORE.version, *key)
    now = time.monotonic()
    kept = _fragments.get(full_key)
    if kept is not None and kept[0] > now:
        return kept[1]
    html = Markup(caller())
    if len(_fragments) > 4096:  # unbounded keys would be a bug; forget everything rather than grow
        _fragments.clear()
    _fragments[full_key] = (now + FRAGMENT_SECONDS, html)
    return html


def configure(env: Environment, *, globals_: dict[str, Any], filters: dict[str, Any]) -> None:
    """Gettext, the language helpers and formatters; ``globals_`` and ``filters`` are the domains' own, which the
    application factory passes in (core imports no domain)."""
    env.add_extension("jinja2.ext.i18n")
    env.add_extension("jinja2.ext.do")
    # The i18n extension adds this method at run time: jinja2's Environment type does not know it.
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        localized=i18n.localized,
        content_lang=i18n.content_lang,
        current_locale=i18n.current_locale,
        gettext_in=i18n.gettext_in,
        languages=list(LANGUAGES.values()),
        languages_by_code=LANGUAGES,
        translated=lambda message: i18n.resolve_message(i18n.current_locale.get(), message)[1]
        == i18n.current_locale.get(),
        drafts_shown=i18n.show_drafts.get,
        page_language=lambda: language(i18n.current_locale.get()),
        lp=i18n.LanguagePrefix(),
        local_path=i18n.local_path,
        remember=remember,
        **globals_,
    )
    env.filters.update(
        vnd=format_vnd,
        iso_day=format_iso_day,
        day=format_day,
        moment=format_moment,
        localized=i18n.localized,
        **filters,
    )
    env.trim_blocks = True
    env.lstrip_blocks = True
