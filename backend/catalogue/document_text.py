"""A procedure document as text (an uploaded file): read as JSON or YAML, and where each part of it sits.

``lines(text)`` maps every JSON pointer of the document (``/form/2/fields/0/type``) to the line it starts on, so a
problem found in the parsed document can name its line in the file the administrator wrote. JSON is scanned by a
small recursive reader over the text (the ``json`` module keeps no positions); YAML by PyYAML's node marks.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

import yaml

_SPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")


class Unreadable(ValueError):
    """The text is not JSON (or YAML): ``line`` is where the reader stopped."""

    def __init__(self, reason: str, line: int | None) -> None:
        super().__init__(reason)
        self.reason, self.line = reason, line


def escape(key: str) -> str:
    """One JSON pointer segment (RFC 6901)."""
    return key.replace("~", "~0").replace("/", "~1")


def is_yaml(name: str) -> bool:
    return name.lower().endswith((".yaml", ".yml"))


class _Loader(yaml.SafeLoader):
    """YAML without its implicit dates: ``not_before: 1900-01-01`` stays the text the JSON format has."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse(text: str, yaml_text: bool = False) -> Any:
    """The document in ``text``; raises ``Unreadable`` with the line at fault."""
    if yaml_text:
        try:
            return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            raise Unreadable(str(error.problem or error), mark.line + 1 if mark else None) from error
        except yaml.YAMLError as error:
            raise Unreadable(str(error), None) from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise Unreadable(error.msg, error.lineno) from error


def lines(text: str, yaml_text: bool = False) -> dict[str, int]:
    """Every JSON pointer of the document in ``text`` with the line (from 1) where it starts: an object's member
    at its key, an array's item at its first character. Empty when the text cannot be read."""
    try:
        if yaml_text:
            return _yaml_lines(yaml.compose(text, Loader=_Loader))  # noqa: S506 - a SafeLoader
        starts: dict[str, int] = {}
        _value(text, 0, "", starts)
    except (ValueError, IndexError, yaml.YAMLError):
        return {}
    breaks = [index for index, char in enumerate(text) if char == "\n"]
    return {pointer: bisect_right(breaks, offset - 1) + 1 for pointer, offset in starts.items()}


def line_of(found: dict[str, int], pointer: str) -> int | None:
    """The line of ``pointer``, or of its nearest part that exists (a missing key: the object that lacks it)."""
    while True:
        if pointer in found:
            return found[pointer]
        if not pointer:
            return None
        pointer = pointer.rpartition("/")[0]


def _skip(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def _value(text: str, pos: int, pointer: str, starts: dict[str, int]) -> int:
    """Read the value at ``pos`` (after spaces), record where it and its parts start; the position after it."""
    pos = _skip(text, pos)
    starts.setdefault(pointer, pos)
    char = text[pos]
    if char == "{":
        return _members(text, pos + 1, pointer, starts)
    if char == "[":
        return _items(text, pos + 1, pointer, starts)
    if char == '"':
        return scanstring(text, pos + 1)[1]
    match = _SCALAR.match(text, pos)
    if not match:
        raise ValueError(f"unexpected {char!r} at {pos}")
    return match.end()


def _members(text: str, pos: int, pointer: str, starts: dict[str, int]) -> int:
    pos = _skip(text, pos)
    if text[pos] == "}":
        return pos + 1
    while True:
        pos = _skip(text, pos)
        key, after = scanstring(text, pos + 1)
        member = f"{pointer}/{escape(key)}"
        starts[member] = pos
        pos = _skip(text, after) + 1  # the colon
        pos = _skip(text, _value(text, pos, member, starts))
        if text[pos] == "}":
            return pos + 1
        pos += 1  # the comma


def _items(text: str, pos: int, pointer: str, starts: dict[str, int]) -> int:
    pos = _skip(text, pos)
    if text[pos] == "]":
        return pos + 1
    index = 0
    while True:
        pos = _skip(text, _value(text, pos, f"{pointer}/{index}", starts))
        if text[pos] == "]":
            return pos + 1
        pos, index = pos + 1, index + 1


def _yaml_lines(node: yaml.Node | None, pointer: str = "") -> dict[str, int]:
    found: dict[str, int] = {}
    if node is None:
        return found
    found[pointer] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            member = f"{pointer}/{escape(str(key.value))}"
            found |= _yaml_lines(value, member)
            found[member] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found |= _yaml_lines(item, f"{pointer}/{index}")
    return found
