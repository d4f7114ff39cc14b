"""``tool.py report``: per language and per kind of text, reviewed / draft / missing, from the catalogues."""

from __future__ import annotations

from backend.core.languages import LANGUAGES
from backend.core.text_store import KINDS, STORE, coverage


def print_report() -> None:
    header = f"{'language':<20}" + "".join(f"{kind:>24}" for kind in (*KINDS, "all"))
    print(header)
    print(f"{'':<20}" + "".join(f"{'reviewed/draft/missing':>24}" for _ in (*KINDS, "all")))
    below = []
    for code, language in LANGUAGES.items():
        table = coverage(STORE, code)
        cells = []
        for kind in (*KINDS, "all"):
            c = table.get(kind, {"reviewed": 0, "draft": 0, "missing": 0, "total": 0})
            cells.append(f"{c['reviewed']}/{c['draft']}/{c['missing']}".rjust(24))
        share = (table["all"]["reviewed"] + table["all"]["draft"]) / max(table["all"]["total"], 1)
        if share < 0.9:
            below.append(code)
        print(f"{code + ' ' + language.english:<20}" + "".join(cells) + f"   {share:.0%}")
    print("reviewed = approved by native speakers (vi is the source; en's interface is the source, its content is "
          "written by the catalogue's editors); draft = machine or community draft awaiting review, shown with a "
          "notice; missing = shown in Vietnamese. Critical texts show only when reviewed by two reviewers.")
    if below:
        print("below 90% translated (reviewed or draft): " + ", ".join(below))
