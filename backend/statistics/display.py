"""How figures read on a page: numbers in the page's language (Babel), small counts held back, and the geometry of
the server-drawn SVG bar charts (the templates draw them; each has its data table beside it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from backend.core.i18n import format_locale, gettext
from backend.statistics import index


class Formats:
    """Handed to the statistics templates as ``f``: every number they print goes through it."""

    def number(self, value: int | float | None) -> str:
        if value is None:
            return gettext("fewer than %(n)s", n=index.small())
        return format_decimal(value, locale=format_locale())

    def count(self, value: int) -> str:
        """A count of dossiers as the page may show it: held back when it is small (``index.shown``)."""
        return self.number(index.shown(value))

    def share(self, value: float | None) -> str:
        if value is None:
            return gettext("not enough dossiers")
        return format_percent(value, format="#,##0.#%", locale=format_locale())

    def score(self, value: float | None) -> str:
        return gettext("not enough dossiers") if value is None else format_decimal(value, format="#,##0.#",
                                                                                    locale=format_locale())

    def month(self, value: date) -> str:
        return format_date(value, format="MMM yyyy", locale=format_locale())

    def short_month(self, value: date) -> str:
        return format_date(value, format="M/yy", locale=format_locale())

    def day(self, value: date) -> str:
        return format_date(value, format="long", locale=format_locale())


@dataclass
class Bar:
    label: str
    value: float | None  # out of 100; None: not enough dossiers
    text: str  # the value as the page writes it
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0


WIDTH = 320  # the chart's own units: drawn 1:1 at 320 px, scaled on wider screens


def rows_chart(bars: list[Bar], row: int = 42) -> tuple[list[Bar], int]:
    """Horizontal bars, one per row under its label, the value written at the bar's end; returns the height."""
    for n, bar in enumerate(bars):
        bar.x, bar.y, bar.height = 0, n * row + 20, 15
        bar.width = round((WIDTH - 60) * (bar.value or 0) / 100, 1)
    return bars, len(bars) * row + 4


def columns_chart(bars: list[Bar], height: int = 140) -> tuple[list[Bar], int]:
    """Vertical bars over time (months), the label under each; returns the chart's height."""
    step = WIDTH / max(1, len(bars))
    for n, bar in enumerate(bars):
        bar.width = round(step * 0.6, 1)
        bar.x = round(n * step + step * 0.2, 1)
        bar.height = round((height - 30) * (bar.value or 0) / 100, 1)
        bar.y = round(height - 20 - bar.height, 1)
    return bars, height
