"""Text folding for search: "Đăng ký khai sinh" and "dang ky khai sinh" fold to the same words."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Lower-case, strip accents (đ -> d), collapse everything that is not a letter or digit."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped).strip()


def words(text: str) -> list[str]:
    return [w for w in fold(text).split() if w]
