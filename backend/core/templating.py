"""Jinja2 setup: one loader over the shared layouts and each domain's templates, gettext, formatters."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.numbers import format_currency
from jinja2 import Environment

from backend.accounts.display import html_classes
from backend.accounts.services import device_name, display_phone
from backend.core import i18n
from backend.core.clock import VIETNAM
from backend.core.languages import LANGUAGES, language
from backend.dossiers.constants import STATUS_LABELS, Status
from backend.pwa.idempotency import idempotency_input
from backend.pwa.shell import asset, portal_user
from backend.settings import ROOT

TEMPLATE_DIRS = [ROOT / "backend" / "templates", *sorted((ROOT / "backend").glob("*/templates"))]


def format_vnd(amount: int) -> str:
    if not amount:
        return i18n.gettext("Free")
    return format_currency(amount, "VND", locale="vi")


def format_day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(VIETNAM).date()
    return babel_date(value, format="long", locale=i18n.format_locale())


def format_moment(value: datetime | None) -> str:
    if value is None:
        return ""
    return babel_datetime(value.astimezone(VIETNAM), format="medium", locale=i18n.format_locale(), tzinfo=VIETNAM)


def status_label(status: str | Status) -> str:
    return str(STATUS_LABELS[Status(status)])


def configure(env: Environment) -> None:
    env.add_extension("jinja2.ext.i18n")
    env.add_extension("jinja2.ext.do")
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)
    env.globals.update(
        display_phone=display_phone,
        display_classes=html_classes,
        localized=i18n.localized,
        content_lang=i18n.content_lang,
        current_locale=i18n.current_locale,
        gettext_in=i18n.gettext_in,
        languages=list(LANGUAGES.values()),
        page_language=lambda: language(i18n.current_locale.get()),
        lp=i18n.LanguagePrefix(),
        local_path=i18n.local_path,
        asset=asset,
        idempotency_input=idempotency_input,
        portal_user=portal_user,
    )
    env.filters.update(
        vnd=format_vnd,
        day=format_day,
        moment=format_moment,
        status_label=status_label,
        localized=i18n.localized,
        device=lambda ua: device_name(ua or "", i18n.gettext("Unknown device")),
    )
    env.trim_blocks = True
    env.lstrip_blocks = True
