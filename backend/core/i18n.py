"""Gettext through Babel: one catalogue in ``locales/``, the language chosen per request."""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache
from typing import Any

from babel.support import LazyProxy, NullTranslations, Translations

from backend.settings import ROOT

LOCALES_DIR = ROOT / "locales"
DEFAULT_LOCALE = "en"
FALLBACK_CONTENT_LOCALES = ("en", "vi")

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT_LOCALE)


@cache
def translations_for(locale: str) -> NullTranslations:
    """The compiled catalogue for ``locale``; source strings when there is none."""
    return Translations.load(str(LOCALES_DIR), [locale], domain="messages")


def gettext(message: str, **variables: Any) -> str:
    text = translations_for(current_locale.get()).ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    text = translations_for(current_locale.get()).ungettext(singular, plural, n)
    return text % ({"num": n} | variables)


def lazy_gettext(message: str, **variables: Any) -> LazyProxy:
    """A string translated when it is shown, for module-level labels."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


def localized(text: dict[str, str] | str | None) -> str:
    """Pick the current language from catalogue content like ``{"vi": ..., "en": ...}``."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    for locale in (current_locale.get(), *FALLBACK_CONTENT_LOCALES):
        if text.get(locale):
            return text[locale]
    return next(iter(text.values()), "")


def content_lang(text: dict[str, str] | str | None) -> str:
    """The language ``localized`` picked, for a ``lang`` attribute on mixed-language pages."""
    if isinstance(text, dict):
        for locale in (current_locale.get(), *FALLBACK_CONTENT_LOCALES):
            if text.get(locale):
                return locale
    return "vi"
