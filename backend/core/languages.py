"""The portal's languages: codes in URLs, names in themselves, how to format, what to fall back to.

Babel's CLDR data knows vi, en, km and zh (and blt, but only as an empty shell). For the other
languages of Viet Nam, numbers and money use Vietnamese conventions (``format_locale`` "vi":
``200.000 ₫``), and dates are written in figures (``20/11/2026``, as Vietnamese forms write them), since
Vietnamese month names would be read as the page's language. Every message falls back
language -> Vietnamese -> the English source text.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.core.headers import weighted


@dataclass(frozen=True)
class Language:
    code: str
    """In URLs (``/km/...``), ``lang`` attributes and catalogue folders."""
    endonym: str
    """The language's name in itself, as the switcher shows it."""
    english: str
    format_locale: str
    """The Babel locale for dates, numbers and money."""
    script: str = "latin"
    """Which font subset the page needs (latin covers Vietnamese diacritics)."""
    endonym_latin: str = ""
    """A Latin transliteration for readers who expect one (Tai Viet, Cham)."""

    @property
    def numeric_dates(self) -> bool:
        """True where CLDR has no month names for the language: dates in figures."""
        return self.code != "vi" and self.format_locale == "vi"

    @property
    def message_fallbacks(self) -> tuple[str, ...]:
        """Catalogues tried after this one's for a missing message; the English source text comes last."""
        return () if self.code in ("vi", "en") else ("vi",)

    @property
    def content_fallbacks(self) -> tuple[str, ...]:
        """Languages tried for catalogue content (procedure titles...) missing in this one."""
        return tuple(code for code in ("vi", "en") if code != self.code)


LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language("vi", "Tiếng Việt", "Vietnamese", "vi"),
        Language("en", "English", "English", "en"),
        Language("km", "ភាសាខ្មែរ", "Khmer", "km", script="khmer", endonym_latin="Phéasa Khmêr"),
        Language("zh", "中文（华语）", "Chinese (Hoa)", "zh_Hans_CN", script="han"),
        Language("hmn", "Luk Hmôngz", "H'Mông", "vi"),
        Language("tyz", "Tiểng Tày", "Tày", "vi"),
        Language("blt", "ꪼꪕꪒꪾ", "Thái (Tai Dam)", "vi", script="taiviet", endonym_latin="Tai Dam"),
        Language("mtq", "Thiểng Mường", "Mường", "vi"),
        Language("rad", "Klei Êđê", "Ê Đê", "vi"),
        Language("jra", "Tơlơi Jrai", "Jrai", "vi"),
        Language("bdq", "Nơ̆r Bahnar", "Bahnar", "vi"),
        Language("cjm", "ꨌꩌ", "Chăm", "vi", script="cham", endonym_latin="Cam"),
    )
}
DEFAULT = "vi"
CODES = tuple(LANGUAGES)


def language(code: str | None) -> Language:
    return LANGUAGES.get(code or "", LANGUAGES[DEFAULT])


def negotiate(accept_language: str | None) -> str:
    """The best of our languages for an ``Accept-Language`` header; Vietnamese when none fits."""
    choices: list[tuple[float, int, str]] = []
    for position, (tag, quality) in enumerate(weighted(accept_language)):
        primary = tag.replace("_", "-").split("-")[0]
        if primary in LANGUAGES and quality > 0:
            choices.append((-quality, position, primary))
    return min(choices)[2] if choices else DEFAULT
