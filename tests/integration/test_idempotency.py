"""Issue 6: a form sent twice (double click, offline draft replayed) counts once; manifest and service worker."""

import asyncio
import json
import shutil
import struct
from datetime import timedelta

import pytest

from backend.accounts.models import User
from backend.core import clock
from backend.dossiers.models import Dossier, NotificationOutbox, TimelineEvent
from backend.pwa.idempotency import purge_idempotency
from backend.pwa.models import IdempotencyRecord
from backend.pwa.shell import STATIC_DIR, static_version
from tests.integration.helpers import BIRTH, start_draft
from tests.support import CITIZEN, OTHER_CITIZEN, fill_draft, procedure_definition, valid_value

pytestmark = pytest.mark.integration
HOAN_KIEM = "P01-W-HOANKIEM"  # where the application is filed (issue 17: the citizen chooses)


async def _ready(portal) -> tuple[str, dict]:
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, BIRTH)
    definition = await procedure_definition(BIRTH)
    return code, {"declaration": "yes", "result_form": definition["result_forms"][0]}


async def _counts(code: str) -> tuple[str, int, int]:
    dossier = await Dossier.get(code=code)
    submits = await TimelineEvent.filter(dossier=dossier, action="submit").count()
    return dossier.status.value, submits, await NotificationOutbox.filter(dossier=dossier).count()


async def test_the_same_key_twice_submits_once_and_replays_the_first_answer(portal):
    code, answers = await _ready(portal)
    form = {**answers, "idempotency_key": "4b6c0a52-0f7e-4c52-9d1e-0d8f1b0c2a11"}
    first = await portal.post_form(f"/dossiers/{code}/submit", form)
    assert first.status_code == 302 and first.headers["location"] == f"/en/dossiers/{code}/receipt"
    after_first = await _counts(code)
    assert after_first[:2] == ("submitted", 1) and after_first[2] >= 1
    # The same key in the header (an offline replay), in another language: the first answer, nothing run again.
    again = await portal.client.post(
        f"/vi/dossiers/{code}/submit",
        data={**answers, "_csrf_token": portal.csrf()},
        headers={"Idempotency-Key": form["idempotency_key"]},
    )
    assert again.status_code == 302 and again.headers["location"] == f"/vi/dossiers/{code}/receipt"
    assert await _counts(code) == after_first
    # Without the key, the second request runs and is refused: the dossier is no longer a draft.
    plain = await portal.post_form(f"/dossiers/{code}/submit", answers)
    assert plain.status_code == 404 and await _counts(code) == after_first


async def test_concurrent_replays_make_one_submission(portal):
    code, answers = await _ready(portal)
    key = "concurrent-replay-0001"
    body = {**answers, "_csrf_token": portal.csrf()}
    responses = await asyncio.gather(*(
        portal.client.post(f"/en/dossiers/{code}/submit", data=body, headers={"Idempotency-Key": key})
        for _ in range(4)
    ))
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(302) >= 1 and set(statuses) <= {302, 409}, statuses
    for response in responses:
        if response.status_code == 409:
            assert "already being sent" in response.text
        else:
            assert response.headers["location"] == f"/en/dossiers/{code}/receipt"
    status, submits, _ = await _counts(code)
    assert (status, submits) == ("submitted", 1)
    # Once the first has finished, every repeat gets its answer.
    late = await portal.client.post(f"/en/dossiers/{code}/submit", data=body, headers={"Idempotency-Key": key})
    assert late.status_code == 302 and late.headers["location"] == f"/en/dossiers/{code}/receipt"
    assert await IdempotencyRecord.filter(key=key).count() == 1


async def test_a_key_used_for_another_request_is_refused(portal):
    code, answers = await _ready(portal)
    key = "reused-key-000000001"
    saved = await portal.post_form(f"/dossiers/{code}/form/child", {"idempotency_key": key})
    assert saved.status_code == 400  # an empty page: errors, so the key is free again
    first_page = (await procedure_definition(BIRTH))["form"][0]
    good = {f["name"]: valid_value(f) for f in first_page["fields"]}
    saved = await portal.post_form(f"/dossiers/{code}/form/{first_page['key']}", {**good, "idempotency_key": key})
    assert saved.status_code == 302
    other = await portal.post_form(f"/dossiers/{code}/submit", {**answers, "idempotency_key": key})
    assert other.status_code == 422 and "already used for something else" in other.text
    assert (await Dossier.get(code=code)).status.value == "draft"
    # Keys are per account: another citizen's identical key is another request.
    await portal.sign_in(OTHER_CITIZEN)
    started = await portal.post_form(f"/procedures/{BIRTH}/apply", {"agency": HOAN_KIEM, "idempotency_key": key})
    assert started.status_code == 302 and "/form/" in started.headers["location"]


async def test_validation_errors_do_not_burn_the_key(portal):
    code, answers = await _ready(portal)
    key = "fix-and-send-again-01"
    refused = await portal.post_form(f"/dossiers/{code}/submit", {"result_form": answers["result_form"],
                                                                  "idempotency_key": key})
    assert refused.status_code == 400 and "Confirm that the information you gave is true" in refused.text
    assert await IdempotencyRecord.filter(key=key).count() == 0
    sent = await portal.post_form(f"/dossiers/{code}/submit", {**answers, "idempotency_key": key})
    assert sent.status_code == 302 and (await _counts(code))[:2] == ("submitted", 1)


async def test_a_malformed_key_is_refused_and_start_is_replayed(portal):
    await portal.sign_in(CITIZEN)
    bad = await portal.post_form(f"/procedures/{BIRTH}/apply", {"agency": HOAN_KIEM, "idempotency_key": "<script>"})
    assert bad.status_code == 400 and await Dossier.filter(procedure__code=BIRTH).count() == 0
    once = {"agency": HOAN_KIEM, "idempotency_key": "start-once-000001"}
    first = await portal.post_form(f"/procedures/{BIRTH}/apply", once)
    again = await portal.post_form(f"/procedures/{BIRTH}/apply", once)
    assert first.status_code == again.status_code == 302
    assert first.headers["location"] == again.headers["location"]
    assert await Dossier.filter(procedure__code=BIRTH).count() == 1


async def test_forms_carry_a_fresh_key_and_the_offline_hooks(portal):
    await portal.sign_in(CITIZEN)
    start = await portal.get(f"/procedures/{BIRTH}/apply", params={"agency": HOAN_KIEM})
    code = await start_draft(portal, BIRTH)
    page = (await portal.get(f"/dossiers/{code}/form/child")).text
    other = (await portal.get(f"/dossiers/{code}/form/child")).text
    key = 'name="idempotency_key" value="'
    assert key in start.text and key in page
    assert page.split(key)[1][:36] != other.split(key)[1][:36]
    assert "data-offline " in page and f'data-offline-next="/en/dossiers/{code}/form/' in page
    assert "Saved on this phone only" in page and "js/offline-drafts.mjs?v=" in page


async def test_manifest_in_the_users_language(portal):
    response = await portal.client.get("/manifest.webmanifest", params={"lang": "vi"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(response.text)
    assert manifest["start_url"] == "/vi/" and manifest["scope"] == "/" and manifest["id"] == "/"
    assert manifest["display"] == "standalone" and manifest["theme_color"] == "#a50e0e"
    assert [s["url"] for s in manifest["shortcuts"]] == ["/vi/track", "/vi/my/dossiers"]
    english = (await portal.client.get("/manifest.webmanifest", params={"lang": "en"})).json()
    assert english["name"] == "Public Service Portal" and english["shortcuts"][0]["name"] == "Track a dossier"
    assert english["start_url"] == "/en/"
    sizes = {(i["purpose"], i["sizes"]) for i in manifest["icons"]}
    assert sizes == {(p, s) for p in ("any", "maskable") for s in ("192x192", "512x512")}
    for icon in manifest["icons"]:
        png = await portal.client.get(icon["src"])
        assert png.status_code == 200 and png.headers["content-type"] == "image/png"
        width = int(icon["sizes"].split("x")[0])
        assert png.content[:8] == b"\x89PNG\r\n\x1a\n" and png.content[12:16] == b"IHDR"
        assert struct.unpack(">II", png.content[16:24]) == (width, width)
        assert len(png.content) < 40_000
    page = (await portal.get("/")).text
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=en">' in page


async def test_service_worker_script_headers_and_version(portal, tmp_path):
    response = await portal.client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/javascript")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["service-worker-allowed"] == "/"
    version = static_version()
    assert f'const VERSION = "{version}";' in response.text and "__" not in response.text.split("importScripts")[0]
    assert '"/static/css/portal.css?v=' in response.text
    # A deploy that changes any static file changes the version (and so the cache names).
    copy = tmp_path / "pwa"
    shutil.copytree(STATIC_DIR, copy)
    assert static_version(copy) == version
    (copy / "css" / "portal.css").write_text((copy / "css" / "portal.css").read_text() + "\n/* changed */\n")
    assert static_version(copy) != version
    # Pages link hashed static files, so the worker may serve them from its cache first.
    page = (await portal.get("/")).text
    assert '/static/css/portal.css?v=' in page and "/static/js/app-shell.mjs?v=" in page


async def test_offline_page_and_whose_pages_these_are(portal):
    offline = await portal.get("/offline")
    assert offline.status_code == 200 and "No connection" in offline.text
    anonymous = offline.headers["x-portal-user"]
    assert anonymous == ""
    await portal.sign_in(CITIZEN)
    lan = (await portal.get("/my/dossiers")).headers["x-portal-user"]
    await portal.sign_in(OTHER_CITIZEN)
    minh = (await portal.get("/my/dossiers")).headers["x-portal-user"]
    assert len(lan) == 16 and lan != minh and minh != ""
    assert "x-portal-user" not in (await portal.client.get("/static/css/portal.css")).headers


async def test_only_free_applications_can_be_sent_from_the_phone_later(portal):
    await portal.sign_in(CITIZEN)
    free = await fill_draft(portal, BIRTH)
    page = (await portal.get(f"/dossiers/{free}/check")).text
    submit_form = page.split(f'action="/en/dossiers/{free}/submit"')[1].split(">")[0]
    assert "data-offline" in submit_form and "Paying the fee needs a connection" not in page
    charged = await fill_draft(portal, "2.000635")  # 8,000 VND: paying needs the gateway, so a connection
    page = (await portal.get(f"/dossiers/{charged}/check")).text
    submit_form = page.split(f'action="/en/dossiers/{charged}/submit"')[1].split(">")[0]
    assert "data-offline" not in submit_form and "Paying the fee needs a connection" in page
    assert 'name="idempotency_key"' in page  # still protected against a double click


async def test_a_form_saved_by_another_account_is_refused_without_running(portal):
    """A shared phone: Lan's form kept offline is replayed while Minh is signed in. Nothing runs for Minh."""
    code, _ = await _ready(portal)
    lan = (await portal.get("/my/dossiers")).headers["x-portal-user"]
    first_page = (await procedure_definition(BIRTH))["form"][0]
    answers = {f["name"]: valid_value(f) for f in first_page["fields"]}
    await portal.sign_in(OTHER_CITIZEN)
    minh = (await portal.get("/my/dossiers")).headers["x-portal-user"]
    saved_by_lan = {"X-Portal-User": lan, "Idempotency-Key": "lans-draft-on-minhs-session"}
    # Lan's application form on Minh's session: 409 (not "not found", which would delete her draft on the phone).
    refused = await portal.post_form(f"/dossiers/{code}/form/{first_page['key']}", answers, headers=saved_by_lan)
    assert refused.status_code == 409 and "saved on this phone by another account" in refused.text
    assert refused.headers["x-portal-user"] == minh  # the phone learns whom the portal answered
    # Starting an application: no dossier is created in Minh's account, no key is claimed.
    started = await portal.post_form(f"/procedures/{BIRTH}/apply", headers=saved_by_lan)
    assert started.status_code == 409
    minh_user = await User.get(phone="84" + OTHER_CITIZEN[1:])
    assert await Dossier.filter(applicant=minh_user).count() == 0
    assert await IdempotencyRecord.filter(key=saved_by_lan["Idempotency-Key"]).count() == 0
    # As JSON for a script that asks for it.
    json_headers = {**saved_by_lan, "Accept": "application/json"}
    as_json = await portal.post_form(f"/procedures/{BIRTH}/apply", headers=json_headers)
    assert as_json.status_code == 409 and as_json.json()["status_code"] == 409
    # Minh's own tag runs as before.
    own = await portal.post_form(f"/procedures/{BIRTH}/apply", {"agency": HOAN_KIEM},
                                 headers={"X-Portal-User": minh, "Idempotency-Key": "minhs-own-draft-0001"})
    assert own.status_code == 302 and await Dossier.filter(applicant=minh_user).count() == 1
    # Lan back on the phone: her form goes through.
    await portal.sign_in(CITIZEN)
    sent = await portal.post_form(f"/dossiers/{code}/form/{first_page['key']}", answers, headers=saved_by_lan)
    assert sent.status_code == 302, sent.text


async def test_purge_forgets_old_keys_only(portal):
    await portal.sign_in(CITIZEN)
    for key in ("old-key-00000001", "old-key-00000002", "new-key-00000001"):
        started = await portal.post_form(f"/procedures/{BIRTH}/apply", {"agency": HOAN_KIEM, "idempotency_key": key})
        assert started.status_code == 302
    eight_days_ago = clock.now() - timedelta(days=8)
    await IdempotencyRecord.filter(key__startswith="old-").update(created_at=eight_days_ago)
    await IdempotencyRecord.filter(key="new-key-00000001").update(created_at=clock.now() - timedelta(days=6))
    assert await purge_idempotency(timedelta(days=7)) == 2
    assert [r.key for r in await IdempotencyRecord.all()] == ["new-key-00000001"]
    assert await purge_idempotency(timedelta(days=7)) == 0
    # A purged key is a new request again: it runs (the draft already exists, so it resumes it).
    again = await portal.post_form(f"/procedures/{BIRTH}/apply",
                                   {"agency": HOAN_KIEM, "idempotency_key": "old-key-00000001"})
    assert again.status_code == 302 and await IdempotencyRecord.filter(key="old-key-00000001").count() == 1
