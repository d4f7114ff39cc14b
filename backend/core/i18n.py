"""Gettext for the portal: one text store (``text_store``), the language chosen per request.

Each text falls back on its own: the page's language, then Vietnamese (the authoritative text), then
for interface messages the English source. Catalogue content (``{"vi": ..., "en": ...}``) is looked up
by its Vietnamese text. A text shown in another language than the page's is *marked* while a page is
being served (``marking``): ``fallback_markup`` then gives it its own ``lang`` in the HTML, so a screen
reader switches voice, and strips the marks from anything that is not a page. Critical texts show only
reviewed translations; a reader may choose to see no unreviewed draft at all (``show_drafts``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from babel.numbers import format_decimal
from babel.support import LazyProxy

from backend.core.catalogs import first
from backend.core.languages import DEFAULT, language
from backend.core.text_store import STORE, plural_index

DEFAULT_LOCALE = DEFAULT

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT_LOCALE)
show_drafts: ContextVar[bool] = ContextVar("show_drafts", default=True)
marking: ContextVar[bool] = ContextVar("marking", default=False)

MARK_START, MARK_LANG_END, MARK_END = "\ue000", "\ue001", "\ue002"
_MARKS = re.compile(f"{MARK_START}[^{MARK_LANG_END}]*{MARK_LANG_END}|{MARK_END}")


def mark(text: str, lang: str, page_lang: str | None = None) -> str:
    """``text`` tagged with its language when it differs from the page's (and pages are being served)."""
    if not text or not marking.get() or lang == (page_lang or current_locale.get()):
        return text
    return f"{MARK_START}{lang}{MARK_LANG_END}{text}{MARK_END}"


def plain(text: str) -> str:
    """``text`` without language marks: for SMS, push, PDF and anything else that is not HTML."""
    return _MARKS.sub("", text) if MARK_START in text else text


def resolve_message(code: str, message: str, plural: str | None = None, n: int = 1) -> tuple[str, str]:
    """(text, language it is in) for an interface message in ``code``."""
    if code != "en":
        for candidate in (code, *language(code).message_fallbacks):
            entry = STORE.usable(candidate, "messages", message, drafts=show_drafts.get() or candidate == DEFAULT)
            if entry is not None:
                text = entry.text
                if isinstance(text, tuple):
                    text = text[min(plural_index(candidate, n), len(text) - 1)] or first(text)
                return text, candidate
    return (message if plural is None or plural_index("en", n) == 0 else plural), "en"


def _format(text: str, variables: dict[str, Any]) -> str:
    return text % variables if variables else text


def gettext(message: str, **variables: Any) -> str:
    text, lang = resolve_message(current_locale.get(), message)
    return mark(_format(text, variables), lang)


def gettext_in(code: str, message: str, **variables: Any) -> str:
    """A message in a given language, for fragments shown beside the page's own language."""
    text, lang = resolve_message(code, message)
    return mark(_format(text, variables), lang, page_lang=code)


def N_(message: str) -> str:  # noqa: N802 - Babel's marker
    """Marks a message for extraction that is translated later (``in_language(code, message)`` needs its msgid)."""
    return message


@contextmanager
def in_language(code: str | None, message: str | None = None) -> Iterator[str]:
    """Compose in ``code`` (Vietnamese when None): a text message or push for a citizen, whatever page asked it.

    With ``message``, in the language that message is really shown in: a critical text no reviewer approved yet in
    ``code`` goes out in Vietnamese, and the names and titles put into it then follow, not a mix of two languages.
    """
    lang = code or DEFAULT_LOCALE
    if message is not None:
        lang = resolve_message(lang, message)[1]
    token = current_locale.set(lang)
    try:
        yield lang
    finally:
        current_locale.reset(token)


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    """``%(num)s`` is ``n`` as the page's language groups digits ("3.321 agencies" in Vietnamese)."""
    text, lang = resolve_message(current_locale.get(), singular, plural, n)
    shown = format_decimal(n, locale=format_locale()) if abs(n) >= 1000 else n
    return mark(text % ({"num": shown} | variables), lang)


def lazy_gettext(message: str, **variables: Any) -> LazyProxy:
    """A string translated when it is shown, for module-level labels."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


def format_locale() -> str:
    """The Babel locale for dates, numbers and money in the current language."""
    return language(current_locale.get()).format_locale


def resolve_content(text: dict[str, str] | str | None, code: str | None = None) -> tuple[str, str]:
    """(text, language) for catalogue content like ``{"vi": ..., "en": ...}`` in ``code``."""
    code = code or current_locale.get()
    if not text:
        return "", code
    if isinstance(text, str):
        return text, code
    source = text.get(DEFAULT, "")
    if code not in (DEFAULT, "en") and source:
        entry = STORE.usable(code, "content", source, drafts=show_drafts.get())
        if entry is not None:
            return first(entry.text), code
    for candidate in (code, *language(code).content_fallbacks):
        if candidate in (DEFAULT, "en") and text.get(candidate):
            return text[candidate], candidate
    return next(iter(text.values()), ""), DEFAULT


def localized(text: dict[str, str] | str | None) -> str:
    """The current language's version of catalogue content, marked when it falls back."""
    value, lang = resolve_content(text)
    return mark(value, lang)


def content_lang(text: dict[str, str] | str | None) -> str:
    """The language ``localized`` picked, for a ``lang`` attribute on mixed-language pages."""
    return resolve_content(text)[1]


def local_path(path: str) -> str:
    """``/procedures`` -> ``/km/procedures``: page links keep the reader's language."""
    return f"/{current_locale.get()}{path}" if path.startswith("/") and not path.startswith("//") else path


class LanguagePrefix:
    """``{{ lp }}`` in templates: ``/km``, the current page language's path prefix."""

    def __str__(self) -> str:
        return f"/{current_locale.get()}"

    __html__ = __str__
