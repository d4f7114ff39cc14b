"""Hashed static URLs: a new URL when a file changes, looked at once a second at most (every layout asks for a
dozen of them)."""

from __future__ import annotations

from backend.pwa import shell


def test_an_asset_url_follows_its_file_within_a_second(tmp_path, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(shell, "STATIC_DIR", tmp_path)
    monkeypatch.setattr(shell, "_asset_urls", {})
    monkeypatch.setattr(shell.time, "monotonic", lambda: now[0])
    (tmp_path / "app.css").write_text("body { color: black }")
    first = shell.asset("app.css")
    assert first.startswith("/static/app.css?v=")
    (tmp_path / "app.css").write_text("body { color: navy }")
    assert shell.asset("app.css") == first, "the file is not looked at again within the second"
    now[0] += shell.ASSET_RECHECK_SECONDS + 0.1
    changed = shell.asset("app.css")
    assert changed != first and changed.startswith("/static/app.css?v=")
    assert shell.asset("missing.css") == "/static/missing.css"
