"""Turn the i18n layer's language marks into HTML, in one place, as each response leaves the app.

``i18n.mark`` wraps a text shown in another language than the page's in private-use characters. Here,
in an HTML response, a marked text in the page's body becomes ``<span lang="vi">…</span>``; in an
``<option>`` the option itself gets the ``lang``; inside a tag (an attribute), ``<title>``,
``<textarea>``, ``<script>`` or ``<style>`` the marks are dropped, since no element can carry the
language there (the translation drafts keep those texts in the page's language). Any other text
response (JSON, plain text) only loses the marks.
"""

from __future__ import annotations

import json
import re
from html import unescape

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.types.asgi_types import HTTPResponseStartEvent

from backend.core import i18n
from backend.core.buffered import BufferedSend

_MARK_BYTES = i18n.MARK_START.encode()
_INNERMOST = re.compile(
    f"{i18n.MARK_START}([A-Za-z-]{{2,12}}){i18n.MARK_LANG_END}([^{i18n.MARK_START}{i18n.MARK_END}]*){i18n.MARK_END}"
)
_RAW_TEXT = ("title", "textarea", "script", "style")


def _context(html: str, position: int) -> str:
    """Where ``position`` is: ``tag`` (inside ``<...>``), a raw-text element's name, ``option`` or ``text``."""
    if html.rfind("<", 0, position) > html.rfind(">", 0, position):
        return "tag"
    last_open = html.rfind("<", 0, position)
    tag = re.match(r"<(/?)([a-zA-Z]+)", html[last_open : last_open + 12]) if last_open >= 0 else None
    if tag and not tag.group(1) and tag.group(2).lower() in (*_RAW_TEXT, "option"):
        return tag.group(2).lower()
    return "text"


def _attribute(html: str, position: int) -> str:
    """The name of the attribute whose value holds ``position`` (inside a tag)."""
    found = re.search(r"([\w:-]+)\s*=\s*\"[^\"]*$", html[html.rfind("<", 0, position) : position])
    return found.group(1) if found else ""


def to_html(html: str) -> str:
    """Marked texts as ``lang`` spans where HTML allows, else unmarked."""
    scripted: dict[str, str] = {}
    while i18n.MARK_START in html:
        pieces: list[str] = []
        last = 0
        for match in _INNERMOST.finditer(html):
            lang, text = match.group(1), match.group(2)
            where = _context(html, match.start())
            pieces.append(html[last : match.start()])
            if where == "text" and html.endswith(f' lang="{lang}">', 0, match.start()):
                pieces.append(text)  # the element holding it already says its language
            elif where == "text":
                pieces.append(f'<span lang="{lang}">{text}</span>')
            else:
                if where == "tag" and _attribute(html, match.start()).startswith("data-i18n"):
                    scripted[unescape(text)] = lang  # a script shows it later: fallback-lang.mjs gives it its lang
                if where == "option":
                    start = html.rfind("<option", 0, match.start())
                    head = "".join(pieces)
                    cut = len(head) - (match.start() - start)
                    if "lang=" not in html[start : html.find(">", start)]:
                        head = head[:cut] + f'<option lang="{lang}"' + head[cut + len("<option") :]
                    pieces = [head]
                pieces.append(text)
            last = match.end()
        pieces.append(html[last:])
        updated = "".join(pieces)
        if updated == html:  # unbalanced marks: drop them rather than loop
            return i18n.plain(html)
        html = updated
    if scripted and "</body>" in html:
        listing = json.dumps(list(scripted.items()), ensure_ascii=False).replace("<", "\\u003c")
        block = f'<script type="application/json" id="portal-fallback-langs">{listing}</script>\n</body>'
        html = html.replace("</body>", block, 1)
    return html


class FallbackMarkup:
    """ASGI wrapper: marks on while a request is served, resolved in its text responses."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        token = i18n.marking.set(True)
        try:
            await self.app(scope, receive, _Resolver(send))
        finally:
            i18n.marking.reset(token)


class _Resolver(BufferedSend):
    """Holds a text response's body until it is complete, then resolves the marks in it."""

    kind = ""

    async def on_start(self, message: HTTPResponseStartEvent) -> HTTPResponseStartEvent | None:
        content_type = dict(message.get("headers", [])).get(b"content-type", b"").lower()
        self.kind = "html" if b"text/html" in content_type else (
            "text" if content_type.startswith((b"text/", b"application/json")) else "")
        if not self.kind:
            await self.send(message)
            return None
        return message

    async def on_body(self, body: bytes) -> None:
        if _MARK_BYTES in body:
            text = body.decode("utf-8")
            body = (to_html(text) if self.kind == "html" else i18n.plain(text)).encode("utf-8")
        assert self.start is not None  # on_body comes after a start this class held
        await self.send_whole(list(self.start.get("headers", [])), body)
