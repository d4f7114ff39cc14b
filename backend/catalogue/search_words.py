"""Words of the catalogue search: folded and cut the same way for what is indexed and what is asked.

Lower-case, accents removed from Latin letters (đ -> d), one token per word; scripts written without spaces
(Chinese, Khmer, Thai...) are cut into overlapping pairs of characters, so any part of a title finds it.
``edits`` measures how far a typed word is from an indexed one. No database here: ``search`` uses these.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Thai, Lao, Myanmar, Khmer, Japanese kana, Chinese: written without spaces between words.
_SPACELESS = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff"
                        "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"^[a-z0-9]+$")
MAX_TERMS = 8  # the API takes 200 characters; more words than this only slow the query down


def fold(text: str) -> str:
    """Lower-case, accents removed from Latin letters only: Khmer vowel signs are letters of the word."""
    kept, latin = [], False
    for ch in unicodedata.normalize("NFD", text.lower().replace("đ", "d")):
        if not unicodedata.combining(ch):
            latin = ch < "\u0250" or "\u1e00" <= ch <= "\u1eff"
        elif latin:
            continue
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


def _segments(text: str) -> list[tuple[str, bool]]:
    """Words, and runs of a script without spaces (flagged ``True``)."""
    out: list[tuple[str, bool]] = []
    current, spaceless = "", False
    for ch in fold(text) + " ":
        wordy = ch.isalnum() or unicodedata.category(ch)[0] == "M"
        kind = bool(_SPACELESS.match(ch))
        if not wordy or (current and kind != spaceless):
            if current:
                out.append((current, spaceless))
            current = ""
        if wordy:
            current, spaceless = current + ch, kind
    return out


def _pairs(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)] or [run]


def document_tokens(text: str) -> list[str]:
    """The tokens indexed for a text; a run without spaces also ends with its last character alone, so that
    a one-character query (a prefix of the pairs) finds it wherever it stands."""
    tokens: list[str] = []
    for segment, spaceless in _segments(text):
        tokens += _pairs(segment) + [segment[-1]] if spaceless and len(segment) > 1 else [segment]
    return tokens


@dataclass(frozen=True)
class Term:
    """One word of a query: its tokens, consecutive, and whether the last may be longer (still being typed)."""

    tokens: tuple[str, ...]
    prefix: bool

    @property
    def latin(self) -> bool:
        return len(self.tokens) == 1 and bool(LATIN_WORD.match(self.tokens[0]))


def query_terms(q: str) -> list[Term]:
    """The last word is a prefix; one character of a script without spaces is a prefix of its pairs."""
    segments = _segments(q)[:MAX_TERMS]
    return [
        Term(tuple(_pairs(seg)) if spaceless else (seg,), (spaceless and len(seg) == 1) or (i == len(segments) - 1
                                                               and not spaceless))
        for i, (seg, spaceless) in enumerate(segments)
    ]


def edits(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two letters is one edit), or ``limit + 1`` when over."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, row = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if before and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
        if min(row) > limit:
            return limit + 1
    return row[-1]
