"""The audit fails when a page loses accessibility: a form field's label removed from a live form page."""

from __future__ import annotations

from dataclasses import replace

import pytest

from accessibility.audit import Browser
from accessibility.pages import State
from accessibility.report import Report
from tests.browser.audit_data import BIRTH, Person

pytestmark = pytest.mark.browser

ROUTE = "/dossiers/{code:str}/form/{page_key:str}"
FIELD = "child_full_name"  # the first field of the birth registration form
REMOVE_LABEL = f"document.querySelector('label[for=\"{FIELD}\"]').remove();"


def test_removing_a_fields_label_fails_the_audit(driver, portal_url: str) -> None:
    citizen = Person(portal_url).sign_in("0911000200")
    values = {"draft": citizen.start(BIRTH)}
    browser = Browser(driver, portal_url)
    browser.become(citizen.cookies())
    intact = State("first form page", "newcomer", "/dossiers/{draft}/form/child")
    broken = replace(intact, name="first form page, a label removed", tamper=REMOVE_LABEL)

    report = Report(["vi"], {})
    for state in (intact, broken):
        report.add(browser.audit(ROUTE, state, "vi", values))
    before, after = report.audited
    assert not before.problem and not after.problem, (before.problem, after.problem)
    assert not before.result.violated("label"), "the real page already lacks a label"

    assert after.result.violated("label"), [v.rule for v in after.result.violations]
    label = next(v for v in after.result.violations if v.rule == "label")
    assert [node.target for node in label.nodes] == [f"#{FIELD}"]
    assert report.failed()
    message = "\n".join(report.failures())
    assert "label: " in message and f"element: #{FIELD}" in message and "/vi/dossiers/" in message, message
    print(message)


def test_a_script_the_content_security_policy_blocks_fails_the_audit(driver, portal_url: str) -> None:
    browser = Browser(driver, portal_url)
    browser.become([])
    intact = State("home", "anonymous", "/")
    inline = ("const s = document.createElement('script'); s.textContent = 'window.__ran = true';"
              "document.body.append(s);")
    broken = replace(intact, name="home, an inline script added", tamper=inline)
    report = Report(["vi"], {})
    for state in (intact, broken):
        report.add(browser.audit("/", state, "vi", {}))
    before, after = report.audited
    assert before.csp == [], before.csp  # the portal's own pages load nothing the policy blocks
    assert driver.execute_script("return window.__ran === undefined"), "the inline script ran: no CSP"
    assert after.csp and after.csp[0].startswith("script-src-elem blocked inline"), after.csp
    assert report.failed() and "Content Security Policy blocked" in "\n".join(report.failures())
