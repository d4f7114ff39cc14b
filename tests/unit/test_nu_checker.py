"""The Nu HTML checker the accessibility audit relies on: it runs here, reports an error it should, and its errors
fail the audit with the page state they were found on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from accessibility import nu
from accessibility.audit import Audited
from accessibility.pages import State
from accessibility.report import Report

pytestmark = pytest.mark.unit

PAGE = """<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><title>Trang thử</title></head>
<body><main><h1>Trang thử</h1>{body}</main></body>
</html>
"""


@pytest.mark.skipif(shutil.which("java") is None, reason="Java is not installed: the Nu HTML checker runs on it "
                    "(`make vnu` installs Debian's Java and vnu.jar)")
def test_the_checker_passes_a_valid_page_and_reports_an_invalid_one(tmp_path: Path) -> None:
    assert not nu.missing(), nu.missing()  # Java is here: vnu.jar must be too (make test installs it)
    valid = PAGE.format(body='<p><time datetime="2026-12-06T09:30:00+07:00">9 giờ 30</time></p>')
    invalid = PAGE.format(body='<p><time datetime="2026-12-06T09:30:00.123456+07:00">9 giờ 30</time></p>')

    version, (on_valid, on_invalid) = nu.check([valid, invalid], tmp_path)

    assert version[:1].isdigit(), version
    assert on_valid == []
    assert len(on_invalid) == 1, on_invalid
    assert "datetime" in on_invalid[0].message and on_invalid[0].line == 4, on_invalid[0]


def test_nu_errors_fail_the_audit_and_say_where() -> None:
    state = State("empty", "anonymous", "/track")
    error = nu.NuError("Stray end tag “span”.", 12, "<p>a</span>")
    page = Audited("/track", state, "km", "http://localhost/km/track", None, nu=[error, error])
    clean = Audited("/track", state, "vi", "http://localhost/vi/track", None, nu=[])
    report = Report(["vi", "km"], {}, [clean, page], nu_version="26.9.27")

    assert report.failed()
    assert report.failures() == ["[Nu HTML checker] Stray end tag “span”.\n    line 12: <p>a</span>\n"
                                 "    page: http://localhost/km/track (state “empty” of /track, as anonymous)\n"
                                 "    languages: km"]
    assert "2 pages checked in 0 s, 2 errors on 1 pages (1 distinct messages)" in report.counts()
