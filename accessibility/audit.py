"""Open each page state in Chromium as the right person, in every language, and run axe on it.

A browser changes person by swapping its cookies (the sessions were opened over HTTP beforehand),
so a few browsers serve every role; each role's states stay in one browser, so a session is never
used by two browsers at once. A state that submits a form reuses the page the previous state left
open when it is the same one. Every audited page is checked to be the page meant (the HTTP status
the state expects, no redirect such as to the sign-in page): a broken set-up must not pass as an
accessible page. The HTML the server sent for each page is kept: the Nu HTML checker reads them all
at the end (``accessibility.nu``).
"""

from __future__ import annotations

import base64
import queue
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

from accessibility.axe import Axe, Result
from accessibility.languages import TEXT_NODES, wrong_language
from accessibility.nu import NuError
from accessibility.pages import State, concrete

NAVIGATION = """
const nav = performance.getEntriesByType("navigation")[0];
return [nav ? nav.responseStatus : 0, location.pathname + location.search];
"""
CSP_LISTENER = """window.__cspBlocked = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspBlocked.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));"""
Sessions = dict[str, dict[str, list[tuple[str, str]]]]
"""Role -> language -> the cookies of that person's session (most roles: the same in every language)."""


@dataclass
class Audited:
    route: str
    state: State
    lang: str
    url: str
    result: Result | None
    problem: str = ""
    """Set when the page was not the one meant (then the result is None)."""
    seconds: float = 0.0
    wrong_lang: list[str] = field(default_factory=list)
    """Vietnamese texts that inherit another language's ``lang`` (read with the wrong voice)."""
    html: str = ""
    """The HTML the server sent for the page, for the Nu HTML checker."""
    nu: list[NuError] | None = None
    """What the Nu HTML checker found in ``html`` (None: not checked)."""
    csp: list[str] = field(default_factory=list)
    """What the page's Content Security Policy blocked (it must block nothing the portal itself uses)."""


class Browser:
    """One Chromium session able to become any role by its cookies."""

    def __init__(self, driver, base_url: str) -> None:
        self.driver = driver
        self.base_url = base_url
        self.axe = Axe(driver)
        # DevTools' network domain keeps each response's body, the page's own HTML among them (server_html).
        driver.execute_cdp_cmd("Network.enable", {})
        # Every document records what its Content Security Policy blocks, from its first script on.
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_LISTENER})
        self.cookies: list[tuple[str, str]] | None = None
        self.fresh: str | None = None
        """URL of the open page when it is as a GET left it (nothing submitted yet)."""
        driver.get(f"{base_url}/healthz")  # cookies can only be set for the site that is open

    def become(self, cookies: list[tuple[str, str]]) -> None:
        """Take these cookies (a person's session, display settings) and no others."""
        if cookies == self.cookies:
            return
        self.driver.delete_all_cookies()
        for name, value in cookies:
            self.driver.add_cookie({"name": name, "value": value, "path": "/"})
        self.cookies, self.fresh = cookies, None

    def open(self, state: State, lang: str, values: dict[str, str]) -> tuple[str, str]:
        """Open the state's page (and submit its form, if it has one); returns the URL and a problem, if any."""
        url = f"{self.base_url}/{lang}{concrete(state.url, values)}"
        if not (state.then and self.fresh == url):
            self.driver.get(url)
        self.fresh = url
        if state.then:
            self.fresh = self.cookies = None  # the answer may set cookies (display settings do)
            if not self.driver.execute_script("window.__auditedPage = true;" + state.then):
                return url, "the form to submit is not on the page"
            WebDriverWait(self.driver, 15, poll_frequency=0.02, ignored_exceptions=(WebDriverException,)).until(
                lambda d: d.execute_script("return !window.__auditedPage && document.readyState === 'complete'"))
        status, where = self.driver.execute_script(NAVIGATION)
        if status not in state.status:
            return url, f"answered HTTP {status} at {where}, expected {' or '.join(map(str, state.status))}"
        meant = urllib.parse.urlsplit(url)
        if not state.then and where != meant.path + (f"?{meant.query}" if meant.query else ""):
            return url, f"ended at {where}"
        return url, ""

    def server_html(self) -> str:
        """The HTML the server sent for the open page, as DevTools' network domain kept it.

        The Nu checker must read the server's HTML: ``driver.page_source`` is the DOM after the parser
        repaired it (stray end tags, unclosed elements and duplicate attributes are gone) and scripts
        changed it, serialised as XML. Fetching ``location.href`` again would cost a second request per
        page, could not repeat a form's submission (the error pages), and might not be the page audited
        (a new nonce, a one-time message). The body of the document's own request (its id is the
        frame's loader id) is exactly what was audited, for GET and POST alike, in about 6 ms.
        """
        frame = self.driver.execute_cdp_cmd("Page.getFrameTree", {})["frameTree"]["frame"]
        body = self.driver.execute_cdp_cmd("Network.getResponseBody", {"requestId": frame["loaderId"]})
        return base64.b64decode(body["body"]).decode() if body["base64Encoded"] else body["body"]

    def audit(self, route: str, state: State, lang: str, values: dict[str, str]) -> Audited:
        started = time.perf_counter()
        url, problem = self.open(state, lang, values)
        html = "" if problem else self.server_html()
        if state.tamper and not problem:
            self.driver.execute_script(state.tamper)
            self.fresh = None
        result = None if problem else self.axe.run()
        wrong = [] if problem else wrong_language(lang, self.driver.execute_script(TEXT_NODES))
        blocked = [] if problem else self.driver.execute_script("return window.__cspBlocked || []")
        return Audited(route, state, lang, url, result, problem, time.perf_counter() - started, wrong, html,
                       csp=blocked)


def languages_by_route(routes: Iterable[str], languages: list[str], always: Iterable[str], each: int,
                       seed: int) -> dict[str, set[str]]:
    """Which languages audit each route: every one of ``always``, and ``each`` of the others in turn.

    Route n takes the others from position ``(n + seed) * each`` on, so each of them meets its share of the
    routes, and a new seed (make test uses the day's) moves every route on: in five days, every language.
    """
    always = [lang for lang in languages if lang in set(always)]
    others = [lang for lang in languages if lang not in always]
    chosen = {}
    for n, route in enumerate(routes):
        taken = {others[((n + seed) * each + k) % len(others)] for k in range(min(each, len(others)))}
        chosen[route] = {*always, *taken}
    return chosen


def run(browsers: list[Browser], work: dict[str, list[tuple[str, State]]], sessions: Sessions,
        languages: Iterable[str], values: dict[str, str], on_page: Callable[[Audited], None],
        audited_in: dict[str, set[str]] | None = None) -> None:
    """Audit ``work`` (role -> its states) in every language, the roles shared out among ``browsers``.

    ``audited_in`` (route -> languages) limits a route to those languages (``languages_by_route``).
    ``on_page`` is called for each audited page, from the browsers' threads (one at a time).
    """
    languages = list(languages)

    def wanted(route: str, lang: str) -> bool:
        return audited_in is None or lang in audited_in.get(route, ())

    shares: list[list[str]] = [[] for _ in browsers]
    loads = [0] * len(browsers)
    pages = {role: sum(wanted(route, lang) for route, _ in work[role] for lang in languages) for role in work}
    for role in sorted(work, key=lambda r: -pages[r]):  # biggest first, to the least loaded browser
        least = loads.index(min(loads))
        shares[least].append(role)
        loads[least] += pages[role]
    lock, errors = threading.Lock(), queue.Queue()

    def worker(browser: Browser, roles: list[str]) -> None:
        try:
            for role in roles:
                for lang in languages:
                    for route, state in work[role]:
                        if not wanted(route, lang):
                            continue
                        browser.become([*sessions[role][lang], *state.cookies])
                        audited = browser.audit(route, state, lang, values)
                        with lock:
                            on_page(audited)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            errors.put(exc)

    threads = [threading.Thread(target=worker, args=pair, daemon=True) for pair in zip(browsers, shares, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if not errors.empty():
        raise errors.get()
