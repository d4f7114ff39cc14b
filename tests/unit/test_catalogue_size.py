"""The README's figures for the catalogue are the files' figures, so they cannot drift apart."""

import re
from pathlib import Path

from backend.catalogue.loader import DATA_DIR, PROCEDURES_DIR, read_procedures

README = Path(__file__).parents[2] / "README.md"
FIGURES = re.compile(r"The catalogue has (\d+) procedures; (\d+) are marked to be checked")


def test_the_readme_says_how_many_procedures_there_are_and_how_many_to_check():
    found = FIGURES.search(README.read_text(encoding="utf-8"))
    assert found, "README.md: the catalogue's line 'The catalogue has N procedures; M are marked to be checked'"
    procedures = read_procedures()
    to_check = sum(1 for item in procedures if item.get("to_check"))
    assert (int(found[1]), int(found[2])) == (len(procedures), to_check), "update the figures in README.md"


def test_the_catalogue_has_at_least_a_hundred_procedures_each_in_the_file_named_by_its_code():
    files = sorted((DATA_DIR / PROCEDURES_DIR).glob("*.json"))
    assert len(files) >= 100
    assert [path.stem for path in files] == [item["code"] for item in read_procedures()]
