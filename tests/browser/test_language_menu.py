"""The 🌐 language menu in Chromium: no sideways scrolling, focus never hidden, Escape, names never as boxes.

At 320 and 640 CSS px (a 1280x1024 window at 400% and 200% zoom), with and without the *Larger text* setting,
opened from the keyboard: the page must not scroll sideways (WCAG 1.4.10), every link Tab reaches in and
after the menu must be wholly on screen and not under anything (2.4.11), and Escape closes the menu with the
focus back on its summary. Once as Chromium lays it out (the list in its own row, ``::details-content``), once
as a browser without ``::details-content`` does (the whole menu takes the row).

The names in Khmer, Tai Viet and Cham script come from a 3 KB font every page preloads
(accessibility/endonym_font.py): on a first visit it is requested by the preload, has arrived before the first
paint, and is the font that draws those names.
"""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.keys import Keys

from accessibility.endonym_font import FAMILY, SOURCES, endonym_text
from backend.core.languages import LANGUAGES
from tests.browser.keyboard import Keyboard
from tests.browser.pages import wait

pytestmark = pytest.mark.browser

# (width, height): a 1280x1024 window at 400% zoom, and at 200%.
VIEWPORTS = [(320, 256), (640, 512)]
PAGES = ["/vi/procedures", "/km/"]
MENU = ".language-switcher"
SUMMARY = ".language-switcher > summary"
HEADER_END = 40  # Tab presses at most from the summary to past the header's last link

# The focused element, wholly on screen and not under anything; the page's width.
FOCUSED = r"""
const el = document.activeElement;
if (!el || el === document.body) return null;
const r = el.getBoundingClientRect();
const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
const hit = document.elementFromPoint(x, y);
return {
  text: (el.innerText || '').replace(/\s+/g, ' ').trim().slice(0, 40), tag: el.tagName.toLowerCase(),
  inMenu: !!el.closest('.language-switcher ul'), inHeader: !!el.closest('.site-header'),
  rect: [r.left, r.top, r.right, r.bottom].map(Math.round), viewport: [innerWidth, innerHeight],
  onScreen: r.left >= 0 && r.top >= 0 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5,
  covered: !(hit && (hit === el || el.contains(hit))),
  coveredBy: hit ? hit.tagName.toLowerCase() + (hit.className ? '.' + String(hit.className).split(' ')[0] : '') : '',
};
"""
WIDTH = "return [document.documentElement.scrollWidth, window.innerWidth]"
# A browser without ::details-content ignores the @supports block: drop it, as such a browser would.
WITHOUT_DETAILS_CONTENT = r"""
let dropped = 0;
for (const sheet of document.styleSheets) {
  const rules = sheet.cssRules;
  for (let i = rules.length - 1; i >= 0; i--) {
    if (rules[i] instanceof CSSSupportsRule && rules[i].conditionText.includes('details-content')) {
      sheet.deleteRule(i); dropped++;
    }
  }
}
return dropped;
"""


def set_viewport(driver, width: int, height: int) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})


def summary_box(driver) -> list[float]:
    return driver.execute_script(
        "const r = document.querySelector(arguments[0]).getBoundingClientRect(); return [r.left, r.top, r.width];",
        SUMMARY)


@pytest.mark.parametrize("details_content", [True, False], ids=["details-content", "without-details-content"])
def test_open_menu_reflows_keeps_focus_visible_and_closes_on_escape(driver, portal_url: str,
                                                                     details_content: bool) -> None:
    keyboard = Keyboard(driver)
    problems: list[str] = []
    driver.get(portal_url + "/vi/")
    for large in (False, True):
        if large:
            driver.add_cookie({"name": "portal_display", "value": "large", "path": "/"})
        for width, height in VIEWPORTS:
            set_viewport(driver, width, height)
            for path in PAGES:
                where = f"{path} at {width}px{' with larger text' if large else ''}"
                driver.get(portal_url + path)
                classes = driver.execute_script("return document.documentElement.className")
                assert ("display-large" in classes) == large, f"{where}: html class is {classes!r}"
                if not details_content:
                    # The language menu's block, and the signed-in header menu's (issue 22).
                    assert driver.execute_script(WITHOUT_DETAILS_CONTENT) >= 1, "portal.css has no @supports block"

                # Open the menu from the keyboard.
                keyboard.tab_to(SUMMARY, limit=10)
                closed_at = summary_box(driver)
                keyboard.press(Keys.ENTER)
                assert driver.execute_script("return document.querySelector(arguments[0]).open", MENU), where
                scroll_width, inner_width = driver.execute_script(WIDTH)
                if scroll_width > inner_width or inner_width != width:
                    problems.append(f"{where}: the open menu makes the page {scroll_width}px wide "
                                    f"(window {inner_width}px)")
                if details_content and summary_box(driver) != closed_at:
                    problems.append(f"{where}: the summary moved when the menu opened "
                                    f"({closed_at} -> {summary_box(driver)})")

                # Every link in the menu, and the header's links after it: wholly visible, not covered.
                menu_links = driver.execute_script(
                    "return document.querySelectorAll('.language-switcher ul a').length")
                visited = 0
                for _ in range(HEADER_END):
                    keyboard.press(Keys.TAB)
                    keyboard.focus()  # its focus indicator, checked by Keyboard
                    state = driver.execute_script(FOCUSED)
                    if state is None or not state["inHeader"]:
                        break
                    visited += state["inMenu"]
                    if not state["onScreen"]:
                        problems.append(f"{where}: focused {state['tag']} {state['text']!r} is not wholly on "
                                        f"screen: {state['rect']} in {state['viewport']}")
                    if state["covered"]:
                        problems.append(f"{where}: focused {state['tag']} {state['text']!r} is under "
                                        f"{state['coveredBy']}")
                    scroll_width, inner_width = driver.execute_script(WIDTH)
                    if scroll_width > inner_width or inner_width != width:
                        problems.append(f"{where}: with {state['text']!r} focused the page is {scroll_width}px "
                                        f"wide (window {inner_width}px)")
                assert visited == menu_links == len(LANGUAGES), f"{where}: Tab went through {visited} languages"

                # Back to the last language, then Escape: closed, focus on the summary, which is visible.
                keyboard.tab_to(".language-switcher ul a", backwards=True)
                keyboard.press(Keys.ESCAPE)
                assert not driver.execute_script("return document.querySelector(arguments[0]).open", MENU), \
                    f"{where}: Escape left the menu open"
                focus = keyboard.focus(SUMMARY)
                assert focus is not None and focus.matches, f"{where}: after Escape the focus is on {focus}"
                scroll_width, inner_width = driver.execute_script(WIDTH)
                if scroll_width > inner_width:
                    problems.append(f"{where}: closed again, the page is {scroll_width}px wide")
    assert not problems + keyboard.problems, "\n".join(problems + keyboard.problems)


def platform_fonts(driver, selector: str) -> dict[str, int]:
    """Glyphs drawn per font family in the element (text of its descendants included), as Chromium reports."""
    document = driver.execute_cdp_cmd("DOM.getDocument", {"depth": -1})
    node = driver.execute_cdp_cmd("DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": selector})
    assert node["nodeId"], f"no {selector}"
    fonts = driver.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    return {font["familyName"]: font["glyphCount"] for font in fonts}


def endonym_fonts(driver, selector: str) -> set[str]:
    """The fonts that draw the endonym itself in ``selector`` (its Latin transliteration left out)."""
    drawn = platform_fonts(driver, selector)
    if driver.execute_script("return !!document.querySelector(arguments[0])", selector + " span"):
        for family, glyphs in platform_fonts(driver, selector + " span").items():
            drawn[family] -= glyphs
    return {family for family, glyphs in drawn.items() if glyphs > 0}


def code_points(unicode_range: str) -> set[int]:
    points: set[int] = set()
    for first, last in re.findall(r"U\+([0-9A-F]+)(?:-([0-9A-F]+))?", unicode_range.upper()):
        points.update(range(int(first, 16), int(last or first, 16) + 1))
    return points


def test_language_names_drawn_by_the_preloaded_font_from_the_first_paint(driver, portal_url: str) -> None:
    driver.execute_cdp_cmd("DOM.enable", {})
    driver.execute_cdp_cmd("CSS.enable", {})
    scripted = [lang for lang in LANGUAGES.values() if lang.script in SOURCES]
    for lang in scripted:  # a first visit in each of these languages: its name shows in the summary
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.clearBrowserCache", {})
        driver.get(f"{portal_url}/{lang.code}/")
        wait(driver, 5).until(lambda d: d.execute_script("return performance.getEntriesByName('first-paint').length"))
        preload = driver.execute_script("""
          const link = document.querySelector('head link[rel=preload][as=font][href*="/language-names.woff2"]');
          const css = document.querySelector('head link[rel=stylesheet]');
          const entry = link && performance.getEntriesByName(link.href)[0];
          const paint = performance.getEntriesByName('first-paint')[0];
          const face = [...document.fonts].find(f => f.family.replace(/"/g, '') === arguments[0]);
          return {
            beforeCss: !!link && !!(link.compareDocumentPosition(css) & Node.DOCUMENT_POSITION_FOLLOWING),
            crossorigin: link && link.crossOrigin, initiator: entry && entry.initiatorType,
            arrived: entry && Math.round(entry.responseEnd), firstPaint: paint && Math.round(paint.startTime),
            bytes: entry && entry.encodedBodySize,
            display: face && face.display, status: face && face.status, range: face && face.unicodeRange,
          };""", FAMILY)
        where = f"/{lang.code}/"
        assert preload["beforeCss"] and preload["crossorigin"] == "anonymous", f"{where}: preload {preload}"
        assert preload["initiator"] == "link", f"{where}: the font was not fetched by its preload: {preload}"
        assert preload["bytes"] < 6000, f"{where}: the language names font is no longer small: {preload}"
        assert preload["firstPaint"] is not None and preload["arrived"] <= preload["firstPaint"], \
            f"{where}: the font arrived after the first paint: {preload}"
        assert preload["display"] == "block" and preload["status"] == "loaded", f"{where}: {preload}"
        wanted = {ord(ch) for script in SOURCES for ch in endonym_text(script)}
        assert code_points(preload["range"]) == wanted, \
            f"{where}: portal.css's unicode-range is not the endonyms' characters: run accessibility/endonym_font.py"
        assert endonym_fonts(driver, f"{SUMMARY} span[lang={lang.code}]") == {FAMILY}, \
            f"{where}: the summary's {lang.endonym} is not drawn with {FAMILY}"

    driver.execute_script("document.querySelector(arguments[0]).open = true", MENU)
    for lang in scripted:
        selector = f"{MENU} ul a[lang={lang.code}]"
        assert endonym_fonts(driver, selector) == {FAMILY}, \
            f"{lang.endonym} in the menu is not drawn (only) with {FAMILY}: {platform_fonts(driver, selector)}"
