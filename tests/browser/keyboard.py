"""Keyboard-only driving for the browser tests, with the focus indicator checked after every key press.

Keys go to whatever has focus (ActionChains key presses, as a keyboard does): nothing is clicked and no
element is focused or activated from a script. After each press, `Keyboard` reads ``document.activeElement``
and records a problem when the focused element

- shows no focus indicator: no outline (style not none, width > 0, not transparent) and no other visible
  change (box-shadow, background, border or text colour) compared with the same element unfocused;
- is not on screen (no size, or outside the viewport after the browser scrolled to it);
- is hidden under another element (``elementFromPoint`` at its centre is something else).

Problems are kept, not raised at once, so a journey reaches its end and reports every one of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.browser.pages import new_page, path_of, wait

# Read what has focus and how it looks. The unfocused look is only measured when there is no outline:
# measuring it means blurring the element and focusing it back, which a page could react to.
FOCUS_STATE = r"""
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return null;
const style = getComputedStyle(el);
const rect = el.getBoundingClientRect();
const labels = el.labels ? [...el.labels] : [];
const ours = node => node && (node === el || el.contains(node) || labels.some(l => l.contains(node)));
// A link wrapping over two lines has a box per line: the centre of its bounding box can fall between them.
const clamp = (value, most) => Math.min(Math.max(value, 0), most - 1);
const hits = [...el.getClientRects()].map(
  r => document.elementFromPoint(clamp(r.left + r.width / 2, innerWidth), clamp(r.top + r.height / 2, innerHeight)));
const hit = hits.find(ours) || hits[0];
const text = (el.getAttribute('aria-label') || el.innerText || el.value || el.getAttribute('title') || '')
  .replace(/\s+/g, ' ').trim();
return {
  tag: el.tagName.toLowerCase(), id: el.id || '', name: el.getAttribute('name') || '',
  type: el.getAttribute('type') || '', href: el.getAttribute('href') || '', text: text.slice(0, 80),
  position: [...document.querySelectorAll('*')].indexOf(el),
  matches: arguments[0] ? el.matches(arguments[0]) : false,
  outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
  outlineColor: style.outlineColor, boxShadow: style.boxShadow,
  rect: {left: rect.left, top: rect.top, width: rect.width, height: rect.height},
  viewport: {width: innerWidth, height: innerHeight},
  covered: !ours(hit),
  coveredBy: hit ? hit.tagName.toLowerCase() + (hit.id ? '#' + hit.id : '')
    + (hit.className ? '.' + String(hit.className).trim().split(/\s+/).join('.') : '') : '',
};
"""

UNFOCUSED_CHANGE = r"""
const el = document.activeElement;
const look = () => { const s = getComputedStyle(el);
  return [s.boxShadow, s.backgroundColor, s.borderColor, s.color, s.textDecorationLine, s.outlineStyle].join('|'); };
const focused = look();
el.blur();
const unfocused = look();
el.focus({preventScroll: true});
return focused !== unfocused;
"""


def transparent(colour: str) -> bool:
    return colour in ("transparent", "") or colour.replace(" ", "").endswith(",0)")


@dataclass
class Focus:
    """What had focus after one key press."""

    tag: str
    id: str
    name: str
    type: str
    href: str
    text: str
    matches: bool
    position: int  # in document order: tells two links with the same text apart

    def __str__(self) -> str:
        what = self.tag + (f"#{self.id}" if self.id else "") + (f"[name={self.name}]" if self.name and not self.id
                                                                else "")
        return f"{what} {self.text!r}" if self.text else what


@dataclass
class Keyboard:
    driver: object
    problems: list[str] = field(default_factory=list)
    presses: int = 0  # keys pressed
    checked: int = 0  # focus indicators checked

    def __post_init__(self) -> None:
        # Headless Chromium: once Tab has moved focus out of the page (past its last control), later pages load
        # without system focus, so :focus styles stop applying to what a script focuses. A phone's browser shows
        # the page focused: emulate that.
        self.driver.execute_cdp_cmd("Emulation.setFocusEmulationEnabled", {"enabled": True})

    # -- reading focus --------------------------------------------------------------------------------------

    def focus(self, selector: str = "") -> Focus | None:
        """What has focus now (None: the page itself), its indicator checked."""
        state = self.driver.execute_script(FOCUS_STATE, selector)
        if state is None:
            return None
        focus = Focus(**{k: state[k] for k in ("tag", "id", "name", "type", "href", "text", "matches", "position")})
        if focus.tag != "main":  # the skip link's target: not a control, shows no ring on purpose
            self._check_visible(focus, state)
        return focus

    def _check_visible(self, focus: Focus, state: dict) -> None:
        self.checked += 1
        where = f"{path_of(self.driver)}: {focus}"
        outline = (state["outlineStyle"] not in ("none", "hidden") and state["outlineWidth"] > 0
                   and not transparent(state["outlineColor"]))
        if not outline and not self.driver.execute_script(UNFOCUSED_CHANGE):
            self.problems.append(f"{where} has focus but no visible focus indicator "
                                 f"(outline {state['outlineStyle']} {state['outlineWidth']}px, "
                                 f"box-shadow {state['boxShadow']}, nothing changes when it loses focus)")
        rect, viewport = state["rect"], state["viewport"]
        if rect["width"] < 1 or rect["height"] < 1:
            self.problems.append(f"{where} has focus but takes no room on the page ({rect})")
        elif (rect["left"] + rect["width"] <= 0 or rect["left"] >= viewport["width"]
              or rect["top"] + rect["height"] <= 0 or rect["top"] >= viewport["height"]):
            self.problems.append(f"{where} has focus but is outside the {viewport['width']}px viewport ({rect})")
        elif state["covered"]:
            self.problems.append(f"{where} has focus but is hidden under {state['coveredBy']}")

    # -- keys -----------------------------------------------------------------------------------------------

    def press(self, *keys: str, shift: bool = False) -> None:
        chain = ActionChains(self.driver)
        if shift:
            chain.key_down(Keys.SHIFT)
        for key in keys:
            chain.send_keys(key)
        if shift:
            chain.key_up(Keys.SHIFT)
        chain.perform()
        self.presses += len(keys)

    def type(self, text: str) -> None:
        """Type into the focused control."""
        ActionChains(self.driver).send_keys(text).perform()
        self.presses += len(text)

    def tab_to(self, selector: str = "", *, text: str | None = None, backwards: bool = False,
               limit: int = 120) -> Focus:
        """Press Tab (Shift+Tab when ``backwards``) until the focused element matches ``selector`` (CSS)
        and/or has the visible text ``text``; every stop on the way has its focus indicator checked."""
        seen: list[str] = []
        for _ in range(limit):
            self.press(Keys.TAB, shift=backwards)
            focus = self.focus(selector)
            seen.append(str(focus))
            if focus and (not selector or focus.matches) and (text is None or focus.text == text):
                return focus
        wanted = " ".join(filter(None, [selector, repr(text) if text is not None else ""]))
        raise AssertionError(f"{'Shift+' if backwards else ''}Tab never reached {wanted} on "
                             f"{path_of(self.driver)} in {limit} presses; focus went through:\n  "
                             + "\n  ".join(seen))

    def stops(self, *, backwards: bool = False, limit: int = 200) -> list[Focus]:
        """Every Tab stop from the current focus to the end of the page (or its start), in order: until focus
        leaves the page, or comes back to a stop already seen (the browser may wrap around once)."""
        order: list[Focus] = []
        seen: set[int] = set()
        for _ in range(limit):
            self.press(Keys.TAB, shift=backwards)
            focus = self.focus()
            if focus is None or focus.position in seen:
                return order
            order.append(focus)
            seen.add(focus.position)
        raise AssertionError(f"more than {limit} Tab stops on {path_of(self.driver)}: a focus trap?")

    def activate(self, key: str = Keys.ENTER) -> None:
        """Press Enter (or Space) on the focused link or button and wait for the page it leads to."""
        with new_page(self.driver):
            self.press(key)

    def skip_to_main(self) -> None:
        """From the top of a freshly loaded page: the skip link is the first Tab stop; follow it."""
        for _ in range(3):  # focus may be outside the page (in the browser's own controls) first
            self.press(Keys.TAB)
            focus = self.focus("a.skip-link")
            if focus is not None:
                break
        assert focus is not None and focus.matches, f"the first Tab stop is {focus}, not the skip link"
        self.press(Keys.ENTER)
        wait(self.driver, 5).until(lambda d: d.execute_script("return document.activeElement.id") == "main",
                                   "following the skip link did not move focus to <main>")

    def wait_for_focus(self, selector: str, message: str) -> Focus:
        wait(self.driver, 5).until(
            lambda d: d.execute_script("return document.activeElement.matches(arguments[0])", selector), message)
        focus = self.focus(selector)
        assert focus is not None
        return focus
