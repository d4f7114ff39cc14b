"""axe-core in Chromium: loaded into the open page from a local URL, run, only what the report needs sent back.

The script (axe-core 4.10, bundled by axe-selenium-python) is served once per process on 127.0.0.1 with
a long cache lifetime: Chromium then keeps it in its HTTP cache and V8 keeps its compiled code, so a page
load costs about 18 ms of axe instead of the 55 ms of sending 550 KB through WebDriver and compiling it.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
# Options as a JSON string: a Python dict with True/False breaks the injected script (see FIELD-NOTES).
# resultTypes: passing and incomplete rules are still listed, with one node each instead of every node.
# Two best-practice rules besides: every content inside a landmark (region), headings one level at a time.
BEST_PRACTICES = ("region", "heading-order")
OPTIONS = json.dumps({"runOnly": {"type": "tag", "values": list(TAGS)}, "resultTypes": ["violations"],
                      "rules": {rule: {"enabled": True} for rule in BEST_PRACTICES}})
RUN = """
const [url, done] = [arguments[0], arguments[arguments.length - 1]];
const run = () => axe.run(document, OPTIONS).then(r => done({
  version: r.testEngine.version,
  passes: r.passes.map(x => x.id),
  incomplete: r.incomplete.map(x => x.id),
  violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html, summary: n.failureSummary || ""}))})),
}), e => done({error: String(e)}));
if (typeof axe !== "undefined") { run(); } else {
  const script = Object.assign(document.createElement("script"), {src: url});
  script.onload = () => { script.remove(); run(); };
  script.onerror = () => done({error: "axe-core could not be loaded from " + url});
  document.head.append(script);
}
""".replace("OPTIONS", OPTIONS)


def script_path() -> Path:
    import axe_selenium_python

    return Path(axe_selenium_python.__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


class _Cached(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Cache-Control", "public, max-age=86400, immutable")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


_server: http.server.ThreadingHTTPServer | None = None
_lock = threading.Lock()


def script_url() -> str:
    """Where axe.min.js is served (a daemon thread of this process, started on first use)."""
    global _server
    with _lock:
        if _server is None:
            handler = functools.partial(_Cached, directory=str(script_path().parent))
            _server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=_server.serve_forever, name="axe-script", daemon=True).start()
    return f"http://127.0.0.1:{_server.server_port}/{script_path().name}"


@dataclass(frozen=True)
class Node:
    target: str
    html: str
    summary: str


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    help_url: str
    nodes: tuple[Node, ...]


@dataclass
class Result:
    """One axe run on one page."""

    version: str
    passes: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)

    def violated(self, rule: str) -> bool:
        return any(v.rule == rule for v in self.violations)


class Axe:
    """axe-core for one WebDriver session."""

    def __init__(self, driver) -> None:
        self.driver = driver
        self.url = script_url()
        driver.set_script_timeout(20)  # a broken run should fail fast, not hang the audit
        # The portal's Content Security Policy (rightly) refuses a script from 127.0.0.1: DevTools puts axe into
        # every new document instead, before the page's own scripts, where the policy does not apply.
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                               {"source": script_path().read_text(encoding="utf-8")})

    def run(self) -> Result:
        """Audit the page open in the browser (loading axe into it first, if needed)."""
        raw = self.driver.execute_async_script(RUN, self.url)
        if raw.get("error", "").startswith("axe-core could not be loaded"):  # a page that forbids it (CSP)
            self.driver.execute_script(script_path().read_text(encoding="utf-8"))
            raw = self.driver.execute_async_script(RUN, self.url)
        if "error" in raw:
            raise RuntimeError(f"axe failed on {self.driver.current_url}: {raw['error']}")
        return Result(
            version=raw["version"],
            passes=raw["passes"],
            incomplete=raw["incomplete"],
            violations=[
                Violation(v["id"], v["impact"] or "", v["help"], v["helpUrl"],
                          tuple(Node(" > ".join(n["target"]), n["html"], n["summary"]) for n in v["nodes"]))
                for v in raw["violations"]
            ],
        )
