"""Public routes without session cost, ETag and 304, immutable static files, compression (issue 15, items 2, 3)."""

from __future__ import annotations

import asyncio
import gzip

import brotli
import httpx
import pytest

from backend.accounts.models import SessionRecord
from backend.core.compression import chosen_encoding
from backend.core.text_store import STORE
from backend.pwa.shell import asset
from backend.translations.models import Proposal
from backend.translations.texts import text_key
from tests.integration.test_translation_review import REVIEWER, TRANSLATOR, grant
from tests.support import CITIZEN, Portal, submit_dossier

pytestmark = pytest.mark.integration
PUBLIC = ("/vi/", "/vi/procedures", "/vi/procedures/1.001193", "/api/v1/procedures?q=khai+sinh",
          "/api/v1/procedures/1.001193")


async def fresh_get(portal: Portal, url: str, **headers: str) -> httpx.Response:
    """A GET from a browser with no cookies at all (a first visit)."""
    portal.client.cookies.clear()
    return await portal.client.get(url, headers=headers)


async def test_anonymous_visits_set_no_cookie_and_write_no_session(portal: Portal):
    for url in (*PUBLIC, "/api/v1/dossiers/HS-000000-NOPE00/status", asset("css/portal.css"), "/vi/track"):
        response = await fresh_get(portal, url)
        cookies = response.headers.get_list("set-cookie")
        assert not [c for c in cookies if c.startswith(("portal_session", "portal_csrf"))], (url, cookies)
    assert await SessionRecord.all().count() == 0
    # A page with a form still brings its CSRF cookie, and its form works.
    sign_in = await fresh_get(portal, "/en/sign-in")
    assert any(c.startswith("portal_csrf=") for c in sign_in.headers.get_list("set-cookie"))
    assert (await portal.post_form("/sign-in", {"phone": CITIZEN})).status_code in (302, 303)


async def test_public_pages_have_an_etag_and_answer_304(portal: Portal):
    for url in PUBLIC:
        first = await fresh_get(portal, url, **{"accept-encoding": "identity"})
        assert first.status_code == 200, url
        etag = first.headers["etag"]
        assert etag.startswith('"') and first.headers["cache-control"] == "public, max-age=300", url
        again = await fresh_get(portal, url, **{"if-none-match": etag, "accept-encoding": "identity"})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag, url
        weak = await fresh_get(portal, url, **{"if-none-match": f'"other", W/{etag}'})
        assert weak.status_code == 304, url
        assert (await fresh_get(portal, url, **{"if-none-match": '"other"'})).status_code == 200


async def test_the_same_page_in_another_language_is_another_copy(portal: Portal):
    vi = await fresh_get(portal, "/vi/procedures/1.001193")
    en = await fresh_get(portal, "/en/procedures/1.001193")
    assert vi.headers["etag"] != en.headers["etag"]
    assert 'lang="vi"' in vi.text[:300] and 'lang="en"' in en.text[:300]


async def test_a_signed_in_page_is_never_the_public_copy(portal: Portal):
    anonymous = await fresh_get(portal, "/en/procedures/1.001193")
    assert "Sign in" in anonymous.text and "etag" in anonymous.headers
    await portal.sign_in(CITIZEN)
    mine = await portal.get("/procedures/1.001193")
    assert mine.status_code == 200 and "Sign out" in mine.text  # made for this person, not the anonymous copy
    assert mine.headers["cache-control"] == "no-store" and "etag" not in mine.headers
    again = await portal.client.get("/en/procedures/1.001193", headers={"if-none-match": anonymous.headers["etag"]})
    assert again.status_code == 200 and "Sign out" in again.text
    # ...and the anonymous copy was not replaced by the personal page.
    assert "Sign out" not in (await fresh_get(portal, "/en/procedures/1.001193")).text


async def test_hashed_static_files_are_immutable(portal: Portal):
    hashed = await fresh_get(portal, asset("css/portal.css"))
    assert hashed.headers["cache-control"] == "public, max-age=31536000, immutable"
    plain = await fresh_get(portal, "/static/css/portal.css")
    assert "immutable" not in plain.headers.get("cache-control", "")


@pytest.mark.parametrize("encoding", ["br", "gzip"])
async def test_compressed_when_asked_and_the_same_once_decompressed(portal: Portal, encoding: str):
    decode = brotli.decompress if encoding == "br" else gzip.decompress
    for url in (*PUBLIC, asset("css/portal.css"), asset("js/app-shell.mjs"), "/en/sign-in"):
        plain = await fresh_get(portal, url, **{"accept-encoding": "identity"})
        assert "content-encoding" not in plain.headers
        async with portal.client.stream("GET", url, headers={"accept-encoding": encoding}) as packed:
            raw = b"".join([chunk async for chunk in packed.aiter_raw()])
        assert packed.headers["content-encoding"] == encoding, url
        assert "Accept-Encoding" in packed.headers["vary"]
        assert int(packed.headers["content-length"]) == len(raw) < len(plain.content)
        body = decode(raw)
        if url == "/en/sign-in":  # a new CSRF token each time: the rest is the same
            assert b'name="_csrf_token"' in body
        else:
            assert body == plain.content, url


async def test_compression_comes_after_the_language_spans(portal: Portal):
    """A page whose texts fall back to Vietnamese keeps its lang spans and its markup once decompressed."""
    async with portal.client.stream("GET", "/cjm/procedures/1.001193", headers={"accept-encoding": "br"}) as page:
        html = brotli.decompress(b"".join([chunk async for chunk in page.aiter_raw()])).decode()
    assert page.headers["content-encoding"] == "br"
    assert '<span lang="vi">' in html and html.rstrip().endswith("</html>")
    assert "\ue000" not in html and "\ue001" not in html  # no private-use marks left


def test_the_encoding_chosen():
    assert chosen_encoding("gzip, deflate, br") == "br"
    assert chosen_encoding("gzip, br;q=0") == "gzip"
    assert chosen_encoding("identity") is None
    assert chosen_encoding("*") == "br"


async def test_an_approved_translation_renews_the_copies(portal: Portal):
    title = "Đăng ký khai sinh"
    before = await fresh_get(portal, "/tyz/procedures/1.001193")
    assert "Tăng ký khai sinh Tày" not in before.text
    version = STORE.version
    await grant(portal, TRANSLATOR, "translator", "tyz")
    await grant(portal, REVIEWER, "reviewer", "tyz")
    await portal.sign_in(TRANSLATOR)
    await portal.post_form(f"/translate/tyz/texts/{text_key('content', title)}", {"text": "Tăng ký khai sinh Tày"})
    proposal = await Proposal.get(language="tyz", key=text_key("content", title))
    await portal.sign_in(REVIEWER)
    await portal.post_form(f"/translate/tyz/proposals/{proposal.id}/approve")
    assert STORE.version > version
    after = await fresh_get(portal, "/tyz/procedures/1.001193", **{"if-none-match": before.headers["etag"]})
    assert after.status_code == 200 and "Tăng ký khai sinh Tày" in after.text
    assert after.headers["etag"] != before.headers["etag"]


async def test_a_status_look_up_counts_its_limits_in_one_statement(portal: Portal, monkeypatch):
    """The address's and the network's counters are one INSERT (one commit), not one each."""
    from tortoise import connections

    from backend.limits.models import RateCounter

    client = connections.get("default")
    statements: list[str] = []
    original = client.execute_query_dict

    async def counted(query, values=None):
        statements.append(query)
        return await original(query, values)

    monkeypatch.setattr(client, "execute_query_dict", counted)
    response = await fresh_get(portal, "/api/v1/dossiers/HS-000000-NOPE00/status")
    assert response.status_code == 404
    assert len([s for s in statements if "rate_counter" in s]) == 1
    assert sorted(c.bucket.split("@")[0] for c in await RateCounter.all()) == ["status:ip:127.0.0.1",
                                                                              "status:net:127.0.0.0/24"]


async def test_a_status_look_up_reads_only_what_it_shows(portal: Portal, request):
    """Not the procedure's form and documents (kilobytes of JSON) for a status."""
    await portal.sign_in(CITIZEN)
    code = await submit_dossier(portal, "1.001193")
    statements = request.getfixturevalue("statements")  # from here on: not the sign-in's and the submission's
    response = await fresh_get(portal, f"/api/v1/dossiers/{code}/status")
    assert response.status_code == 200 and response.json()["procedure_code"] == "1.001193"
    assert statements and not [s for s in statements if '"documents"' in s or '"form"' in s]


def test_the_copies_stay_within_their_bytes():
    from backend.core.caching import PublicCache, _Copy

    cache = PublicCache(None, public_paths=lambda _: True, session_cookie="s", csrf_cookie="c", version=lambda: 0,
                        max_bytes=1000)
    for n in range(30):  # a crawler asking for every query string
        cache.keep(("vi", "/procedures", f"q={n}".encode(), ""), _Copy(200, [], b"x" * 300, b'"e"', 0.0, 0))
    assert cache.size == 900 and len(cache.copies) == 3
    assert ("vi", "/procedures", b"q=29", "") in cache.copies


async def test_many_asking_for_a_page_not_yet_kept_make_it_once(portal: Portal, monkeypatch):
    """At a cold start 32 requests for the procedure page each made it, and the last waited seconds: now the
    first makes it and the others get its copy."""
    from backend.catalogue import agencies

    made: list[str] = []
    original = agencies.where_filed

    async def counted(procedure):
        made.append(procedure.code)
        await asyncio.sleep(0.05)  # long enough for every request to arrive while the first is being made
        return await original(procedure)

    monkeypatch.setattr(agencies, "where_filed", counted)
    portal.client.cookies.clear()
    answers = await asyncio.gather(*(portal.client.get("/en/procedures/1.001193") for _ in range(12)))
    assert [a.status_code for a in answers] == [200] * 12
    assert len({a.headers["etag"] for a in answers}) == 1
    assert made == ["1.001193"], "the page was made once, the others waited for its copy"
