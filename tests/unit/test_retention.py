"""The retention file (issue 21): the portal's own file is valid and covers every kind of record; a wrong file is
refused at start-up with a message naming the kind and the field."""

from __future__ import annotations

import copy
import json

import pytest

from backend.privacy import retention
from backend.privacy.retention import KINDS, RetentionError, parse

GOOD = json.loads(retention.RULES_FILE.read_text(encoding="utf-8"))


def changed(kind: str, **fields) -> dict:
    data = copy.deepcopy(GOOD)
    for entry in data["kinds"]:
        if entry["kind"] == kind:
            entry.update(fields)
    return data


def test_the_portals_file_covers_every_kind_and_keeps_what_the_law_keeps():
    rules = retention.load()
    assert set(rules.kinds) == set(KINDS)
    for kind in ("settled_dossiers", "results", "payment_records"):
        assert rules[kind].on_closure == "keep" and rules[kind].period_days
    for kind in ("devices", "drafts", "unsent_uploads", "passkeys", "sessions"):
        assert rules[kind].on_closure == "erase"
    assert rules["account"].on_closure == "anonymise"
    assert 1 <= rules.closure_due_days <= 30


@pytest.mark.parametrize(("data", "message"), [
    ({**GOOD, "kinds": [k for k in GOOD["kinds"] if k["kind"] != "passkeys"]}, "missing: passkeys"),
    ({**GOOD, "kinds": [*GOOD["kinds"], GOOD["kinds"][0]]}, "account is listed twice"),
    ({**GOOD, "closure_due_days": 90}, "at most 30 days"),
    ({**GOOD, "export_link_hours": "24"}, "export_link_hours must be a whole number"),
    (changed("drafts", at_end="shred"), "drafts: at_end must be one of"),
    (changed("drafts", period_days=-5), "drafts: period_days must be a whole number"),
    (changed("drafts", basis="because"), "drafts: basis must be one of"),
    (changed("drafts", law=""), "drafts: law must name"),
    (changed("drafts", keep_forever=True), "drafts: unknown fields"),
    (changed("results", at_end="erase"), "results: the portal cannot erase it"),
    (changed("settled_dossiers", on_closure="erase"), "settled_dossiers: on_closure must be keep"),
    ({**GOOD, "kinds": [*GOOD["kinds"], {**GOOD["kinds"][0], "kind": "photos"}]}, "unknown kind 'photos'"),
    ([], "one JSON object"),
])
def test_a_wrong_file_is_refused_saying_what_is_wrong(data, message):
    with pytest.raises(RetentionError, match=message):
        parse(data)


def test_the_portal_does_not_start_with_a_wrong_file(tmp_path, monkeypatch):
    from backend.app import create_app
    from backend.settings import Settings

    wrong = tmp_path / "retention.json"
    wrong.write_text(json.dumps(changed("sign_in_history", at_end="forget")), encoding="utf-8")
    monkeypatch.setattr(retention, "RULES_FILE", wrong)
    retention.rules.cache_clear()
    try:
        with pytest.raises(RetentionError, match="sign_in_history: at_end"):
            create_app(Settings(database_url="sqlite://:memory:", data_dir=tmp_path, demo_mode=True,
                                secret_key="test-secret"))
    finally:
        retention.rules.cache_clear()
    wrong.write_text("{not json", encoding="utf-8")
    with pytest.raises(RetentionError, match="cannot be read as JSON"):
        retention.load(wrong)
