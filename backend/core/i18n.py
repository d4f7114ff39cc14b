"""Gettext through Babel: one catalogue in ``locales/``, the language chosen per request.

Each message falls back on its own: a minority language's catalogue, then Vietnamese, then the
English source text. Catalogue content (``{"vi": ..., "en": ..., "km": ...}``) falls back the same way.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache
from typing import Any

from babel.support import LazyProxy, NullTranslations, Translations

from backend.core.languages import DEFAULT, language
from backend.settings import ROOT

LOCALES_DIR = ROOT / "locales"
DEFAULT_LOCALE = DEFAULT

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT_LOCALE)


def _load(code: str) -> NullTranslations:
    return Translations.load(str(LOCALES_DIR), [code], domain="messages")


@cache
def translations_for(code: str) -> NullTranslations:
    """The compiled catalogue for ``code`` chained to its fallbacks; source strings when there is none."""
    translations = _load(code)
    for fallback in language(code).message_fallbacks:
        translations.add_fallback(_load(fallback))
    return translations


def gettext(message: str, **variables: Any) -> str:
    text = translations_for(current_locale.get()).ugettext(message)
    return text % variables if variables else text


def gettext_in(code: str, message: str, **variables: Any) -> str:
    """A message in a given language, for fragments shown beside the page's own language."""
    text = translations_for(code).ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    text = translations_for(current_locale.get()).ungettext(singular, plural, n)
    return text % ({"num": n} | variables)


def lazy_gettext(message: str, **variables: Any) -> LazyProxy:
    """A string translated when it is shown, for module-level labels."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


def format_locale() -> str:
    """The Babel locale for dates, numbers and money in the current language."""
    return language(current_locale.get()).format_locale


def _content_order() -> tuple[str, ...]:
    code = current_locale.get()
    return (code, *language(code).content_fallbacks)


def localized(text: dict[str, str] | str | None) -> str:
    """Pick the current language from catalogue content like ``{"vi": ..., "en": ...}``."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    for code in _content_order():
        if text.get(code):
            return text[code]
    return next(iter(text.values()), "")


def content_lang(text: dict[str, str] | str | None) -> str:
    """The language ``localized`` picked, for a ``lang`` attribute on mixed-language pages."""
    if isinstance(text, dict):
        for code in _content_order():
            if text.get(code):
                return code
    return DEFAULT


def local_path(path: str) -> str:
    """``/procedures`` -> ``/km/procedures``: page links keep the reader's language."""
    return f"/{current_locale.get()}{path}" if path.startswith("/") and not path.startswith("//") else path


class LanguagePrefix:
    """``{{ lp }}`` in templates: ``/km``, the current page language's path prefix."""

    def __str__(self) -> str:
        return f"/{current_locale.get()}"

    __html__ = __str__
