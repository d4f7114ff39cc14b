"""What a screen reader gets: Chromium's accessibility tree of the key pages, read over the DevTools protocol.

On each page (`Accessibility.getFullAXTree`, nodes the browser exposes, in document order):

- every control (link, button, text box, combo box, checkbox, radio, date field, disclosure...) and every image
  has a non-empty accessible name;
- the headings form an outline: exactly one level 1, never more than one level deeper than the heading before
  (h2 -> h4 is a gap), none empty;
- the landmarks are there: one banner, one main, one contentinfo, at least one navigation, and navigations
  told apart by their names;
- where the page reports a change of status, a live region (role status or alert, or aria-live) carries it.

Every problem is listed, by page, with the element it is on. Text outside any landmark is printed as a note.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from selenium.webdriver.common.by import By

from tests.browser.http_user import HttpUser
from tests.browser.pages import button, path_of, press

pytestmark = pytest.mark.browser

BIRTH = "1.001193"
# A citizen of this test's own: sign-in codes are limited to 5 an hour per number, and the demo citizens' budget
# goes to the other browser tests sharing the served portal.
CITIZEN = "0977000502"
OFFICER = "0901000001"

NAMED_ROLES = {
    "button", "link", "textbox", "searchbox", "combobox", "listbox", "option", "checkbox", "radio", "switch",
    "slider", "spinbutton", "tab", "menuitem", "menuitemcheckbox", "menuitemradio", "treeitem", "Date",
    "DateTime", "InputTime", "DisclosureTriangle", "PopUpButton", "ToggleButton", "ColorWell", "image", "img",
}
LANDMARKS = {"banner", "navigation", "main", "contentinfo", "complementary", "search", "region", "form"}
LIVE_ROLES = {"status", "alert", "log", "timer", "marquee"}


@dataclass
class Node:
    raw: dict
    parent: Node | None
    children: list[Node] = field(default_factory=list)

    @property
    def role(self) -> str:
        return self.raw.get("role", {}).get("value", "")

    @property
    def name(self) -> str:
        return (self.raw.get("name", {}).get("value") or "").strip()

    @property
    def ignored(self) -> bool:
        return self.raw.get("ignored", False)

    def prop(self, name: str):
        for item in self.raw.get("properties", []):
            if item["name"] == name:
                return item["value"].get("value")
        return None

    def text(self) -> str:
        """The text inside, as a screen reader would read it out."""
        if self.role == "StaticText":
            return self.name
        return re.sub(r"\s+", " ", " ".join(c.text() for c in self.children if not c.ignored or c.children)).strip()


def accessibility_tree(driver) -> list[Node]:
    """Every node of the page's tree, in document order (the protocol lists them breadth first)."""
    driver.execute_cdp_cmd("Accessibility.enable", {})
    raw = driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]
    by_id = {n["nodeId"]: n for n in raw}
    root = next(n for n in raw if not n.get("parentId"))
    ordered: list[Node] = []

    def walk(item: dict, parent: Node | None) -> None:
        node = Node(item, parent)
        ordered.append(node)
        if parent:
            parent.children.append(node)
        for child in item.get("childIds", []):
            if child in by_id:
                walk(by_id[child], node)

    walk(root, None)
    return ordered


def describe(driver, node: Node) -> str:
    """The element behind a node, as a selector-like string (``input#phone``, ``a.back-link``)."""
    backend = node.raw.get("backendDOMNodeId")
    if not backend:
        return node.role
    try:
        element = driver.execute_cdp_cmd("DOM.describeNode", {"backendNodeId": backend})["node"]
    except Exception:  # noqa: BLE001 - a description is a courtesy
        return node.role
    attributes = dict(zip(element.get("attributes", [])[::2], element.get("attributes", [])[1::2], strict=False))
    label = element.get("localName") or element.get("nodeName", "?").lower()
    if attributes.get("id"):
        label += f"#{attributes['id']}"
    elif attributes.get("class"):
        label += "." + ".".join(attributes["class"].split())
    for extra in ("name", "type", "href"):
        if attributes.get(extra):
            label += f"[{extra}={attributes[extra]}]"
    return label


@dataclass
class TreeAudit:
    driver: object
    problems: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)

    def check(self, page: str, live: str | None = None) -> None:
        """Audit the page now in the browser; ``live``: text a live region must carry on it."""
        driver = self.driver
        where = f"{page} ({path_of(driver)})"
        nodes = [n for n in accessibility_tree(driver) if not n.ignored]
        problems: list[str] = []

        # Names.
        controls = [n for n in nodes if n.role in NAMED_ROLES]
        for node in controls:
            if not node.name:
                problems.append(f"{node.role} without an accessible name: {describe(driver, node)}")

        # Headings.
        headings = [(int(n.prop("level") or 0), n) for n in nodes if n.role == "heading"]
        ones = [n.name for level, n in headings if level == 1]
        if len(ones) != 1:
            problems.append(f"{len(ones)} level-1 headings, not one: {ones}")
        previous = 1
        for level, node in headings:
            if not node.name:
                problems.append(f"empty h{level}: {describe(driver, node)}")
            if level > previous + 1:
                problems.append(f"heading levels jump from h{previous} to h{level} at “{node.name}”")
            previous = level
        outline = " / ".join(f"h{level} {n.name[:30]}" for level, n in headings)

        # Landmarks.
        roles = Counter(n.role for n in nodes)
        for landmark, wanted in (("banner", 1), ("main", 1), ("contentinfo", 1)):
            if roles[landmark] != wanted:
                problems.append(f"{roles[landmark]} {landmark} landmarks, not {wanted}")
        navigations = [n.name for n in nodes if n.role == "navigation"]
        if not navigations:
            problems.append("no navigation landmark")
        elif len(navigations) > 1 and (len(set(navigations)) != len(navigations) or "" in navigations):
            problems.append(f"navigation landmarks are not told apart by their names: {navigations}")

        # Live regions.
        regions = [n for n in nodes if n.role in LIVE_ROLES or n.prop("live") in ("polite", "assertive")]
        region_texts = [f"{n.role}: {n.text()}" for n in regions if n.text()]
        if live is not None and not any(live in text for text in region_texts):
            problems.append(f"no live region (role status/alert or aria-live) says “{live}”; live regions with "
                            f"text: {region_texts or 'none'}")

        # Text a landmark-by-landmark reader would miss (reported, not failed: the skip link belongs there).
        outside = []
        for node in nodes:
            if node.role == "StaticText" and node.name and node.name != "Skip to main content":
                ancestor = node.parent
                while ancestor and not (ancestor.role in LANDMARKS and not ancestor.ignored):
                    ancestor = ancestor.parent
                if ancestor is None:
                    outside.append(node.name[:40])
        if outside:
            self.notes.append(f"{where}: text outside any landmark: {outside[:5]}")

        self.summary.append(
            f"{where}: {len(controls)} named controls, landmarks "
            + ", ".join(f"{r}×{roles[r]}" for r in ("banner", "navigation", "main", "contentinfo", "complementary")
                        if roles[r])
            + f"; live: {region_texts or 'none'}; outline: {outline}")
        if problems:
            self.problems[where] = problems

    def report(self) -> str:
        return "\n".join(f"{page}:\n" + "\n".join(f"  - {p}" for p in problems)
                         for page, problems in self.problems.items())


def test_accessibility_tree_of_key_pages(driver, portal_url: str, shots, capsys) -> None:
    started = time.monotonic()
    audit = TreeAudit(driver)

    # Anyone.
    driver.get(portal_url + "/en/")
    audit.check("home")
    driver.get(f"{portal_url}/en/procedures/{BIRTH}")
    audit.check("procedure page")
    driver.get(portal_url + "/en/sign-in")
    audit.check("sign-in")
    press(driver, button(driver, "Send me a code"))
    audit.check("sign-in with an error", live="There is a problem")

    # A citizen (signed in over HTTP; the browser carries on in the same session).
    with HttpUser(portal_url, CITIZEN) as citizen:
        code, first_page = citizen.apply(BIRTH)
        citizen.share_session(driver)
        driver.get(portal_url + first_page)
        for control in driver.find_elements(By.CSS_SELECTOR, "main form input[type=text]"):
            control.clear()  # a draft taken up again may have answers: send the page empty
        press(driver, button(driver, "Save and continue"))
        assert driver.title.startswith("Error:"), driver.title
        audit.check("form page with errors", live="There is a problem")
        citizen.answer_all(code, first_page)
        uploaded = citizen.upload_mandatory(BIRTH, code)[0]
        driver.get(f"{portal_url}/en/dossiers/{code}/documents?uploaded={uploaded}#doc-{uploaded}")
        audit.check("documents, after an upload", live="Uploaded:")
        citizen.send(code)
        driver.get(f"{portal_url}/en/dossiers/{code}/receipt")
        audit.check("receipt", live=code)
        driver.get(f"{portal_url}/en/my/dossiers/{code}")
        audit.check("my dossier", live="Sent, waiting for the agency to receive it")

    # The official.
    with HttpUser(portal_url, OFFICER) as officer:
        officer.share_session(driver)
        driver.get(portal_url + "/en/desk")
        audit.check("desk queue")
        driver.get(f"{portal_url}/en/desk/dossiers/{code}")
        audit.check("desk dossier")
        press(driver, button(driver, "Receive this dossier"))
        audit.check("desk dossier, after receiving it", live="Done. The dossier is now: Received, being processed")
        press(driver, button(driver, "Send the request"))
        audit.check("desk dossier, supplement request with errors", live="There is a problem")

    with capsys.disabled():
        print(f"\naccessibility tree of {len(audit.summary)} pages, {time.monotonic() - started:.1f}s")
        for line in audit.summary:
            print(f"  {line}")
        for note in audit.notes:
            print(f"  NOTE: {note}")
    assert not audit.problems, "accessibility tree problems:\n" + audit.report()
