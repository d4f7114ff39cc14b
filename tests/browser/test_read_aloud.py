"""Read aloud in a minority language: each block and each language its own utterance, with a voice for it.

The phone is given fake voices for Vietnamese and English only (a stub of the Web Speech API installed before any
page script runs), then the H'Mông page of a procedure is read. Its Vietnamese parts (fallbacks and the legal
basis, marked ``lang="vi"``) must be read by the Vietnamese voice, block by block; its H'Mông parts have no voice
and must be skipped, and the status must say so.
"""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.by import By

from tests.browser.pages import wait

pytestmark = pytest.mark.browser

BIRTH = "1.001193"
VOICES = [{"name": "Fake Vietnamese", "lang": "vi-VN"}, {"name": "Fake English", "lang": "en-US"}]

# Installed before the page's own scripts (CDP), so the module sees these instead of Chromium's engine.
STUB_SPEECH = """
window.__spoken = [];
const voices = %s.map((v) => ({...v, voiceURI: v.name, localService: true, default: false}));
class FakeUtterance {
  constructor(text) { this.text = text; this.lang = ''; this.voice = null; }
}
const engine = {
  speaking: false, pending: false, paused: false,
  getVoices: () => voices,
  speak(u) { window.__spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.name}); },
  cancel() {}, pause() {}, resume() {},
  addEventListener() {}, removeEventListener() {},
};
Object.defineProperty(window, 'speechSynthesis', {value: engine, configurable: true});
Object.defineProperty(window, 'SpeechSynthesisUtterance', {value: FakeUtterance, configurable: true, writable: true});
"""

# Each visible block (or element with its own lang) that holds text in one language only: its text and language.
SINGLE_LANGUAGE_BLOCKS = """
const blocks = 'p, li, h1, h2, h3, dt, dd, summary, [lang]';
return [...document.querySelectorAll('main :is(' + blocks + ')')]
  .filter((el) => !el.closest('[data-module="read-aloud"], form') && el.checkVisibility()
    && !el.querySelector(blocks) && el.textContent.trim())
  .map((el) => ({text: el.textContent.replace(/\\s+/g, ' ').trim(), lang: el.closest('[lang]').lang}));
"""


def _stub_voices(driver, voices: list[dict]) -> None:
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": STUB_SPEECH % json.dumps(voices)})


def _press_read_aloud(driver, url: str):
    driver.get(url)
    widget = wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, '[data-module="read-aloud"]:not([hidden])'))
    widget.find_element(By.CSS_SELECTOR, "[data-read-aloud-button]").click()
    status = widget.find_element(By.CSS_SELECTOR, "[data-read-aloud-status]")
    wait(driver).until(lambda d: status.text.strip())
    return widget, status


def test_vietnamese_parts_of_a_hmong_page_are_read_with_the_vietnamese_voice(driver, portal_url: str) -> None:
    _stub_voices(driver, VOICES)
    widget, status = _press_read_aloud(driver, f"{portal_url}/hmn/procedures/{BIRTH}")
    assert driver.execute_script("return document.documentElement.lang") == "hmn"

    spoken = driver.execute_script("return window.__spoken")
    texts = [utterance["text"] for utterance in spoken]
    blocks = driver.execute_script(SINGLE_LANGUAGE_BLOCKS)
    vietnamese = [block["text"] for block in blocks if block["lang"] == "vi"]
    hmong = [block["text"] for block in blocks if block["lang"] == "hmn"]
    assert len(vietnamese) >= 5 and hmong, blocks  # the page has both, or this test proves nothing

    # Only the Vietnamese voice spoke, each utterance marked vi.
    assert spoken and all(u["lang"] == "vi" and u["voice"] == "Fake Vietnamese" for u in spoken), spoken
    # Each Vietnamese block is its own utterance: not run into the next block ("Cơ quanỦy ban ...").
    for text in vietnamese:
        assert text in texts, (text, texts)
    # The legal basis (always Vietnamese) is read item by item.
    for law in driver.find_elements(By.CSS_SELECTOR, "main ul[lang=vi] li"):
        assert law.text.strip() in texts
    # No H'Mông passage was read with a wrong voice: there is no H'Mông voice on this phone.
    for text in hmong:
        assert not any(text in spoken_text for spoken_text in texts), (text, texts)
    # Nothing else was read, and in document order.
    assert texts == vietnamese

    # The status says plainly that parts were skipped, not that nothing can be read.
    partly = widget.get_attribute("data-i18n-partly")
    assert partly and partly in status.text
    assert widget.get_attribute("data-i18n-no-voice") not in status.text


def test_no_voice_at_all_says_the_page_cannot_be_read(driver, portal_url: str) -> None:
    # A voice for no language of the page (its H'Mông, the Vietnamese it falls back to, a Khmer question asked).
    _stub_voices(driver, [{"name": "Fake Thai", "lang": "th-TH"}])
    widget, status = _press_read_aloud(driver, f"{portal_url}/hmn/procedures/{BIRTH}")
    assert driver.execute_script("return window.__spoken") == []
    assert status.text == widget.get_attribute("data-i18n-no-voice")
