"""The accessibility audit's page table covers every page of the application (no browser needed)."""

from __future__ import annotations

import pytest

from accessibility.pages import (
    PAGES,
    ROLES,
    SKIPPED,
    VALUES,
    concrete,
    get_routes,
    missing_from_table,
    page_routes,
    placeholders,
    route_regex,
    skipped_routes,
    states,
)
from backend.app import create_app
from backend.settings import Settings

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def app():
    # Demo mode mounts every optional route (the /dev outbox too): the table must account for all of them.
    return create_app(Settings(demo_mode=True, secret_key="unit"))


def test_every_page_route_has_states_in_the_audit_table(app) -> None:
    missing = missing_from_table(app)
    assert not missing, (
        "pages the accessibility audit does not know: add states for them to accessibility/pages.py PAGES "
        f"(or, if they are not HTML, to SKIPPED with the reason): {missing}"
    )


def test_the_table_names_only_routes_the_app_has(app) -> None:
    routes = set(get_routes(app))
    assert not set(PAGES) - routes, f"no such route (renamed?): {sorted(set(PAGES) - routes)}"
    assert not set(SKIPPED) - routes, f"no such route (renamed?): {sorted(set(SKIPPED) - routes)}"


def test_every_skipped_route_says_why(app) -> None:
    skipped = skipped_routes(app)
    assert {"/dev/outbox", "/healthz", "/api/v1/procedures", "/schema"} <= set(skipped)
    assert all(why.strip() for why in skipped.values())
    assert not set(skipped) & set(page_routes(app))


def test_each_state_opens_a_page_of_its_route_as_a_known_person() -> None:
    # a dossier's code, or a question's (issue 19), a helper's consent's (issue 20) or a closure request's (issue 21)
    # number
    sample = {name: "12" if name.endswith(("question", "consent", "closure")) else "HS-251125-ABCDEF"
              for name in VALUES}
    for route, state in states():
        assert state.role in ROLES, (route, state.name)
        assert placeholders(state.url) <= set(VALUES), (route, state.name, placeholders(state.url) - set(VALUES))
        path = concrete(state.url, sample).split("?")[0]
        # A state whose script submits a form audits the page the form leads to (a new export's progress page).
        leads_there = bool(state.then) and route.startswith(path.rstrip("/") + "/")
        assert route_regex(route).match(path) or leads_there, f"{state.url} is not a page of {route}"
    names = [(route, state.name) for route, state in states()]
    assert len(names) == len(set(names)), "two states of a route share a name"


def test_a_new_page_would_fail_the_coverage_check() -> None:
    from litestar import Litestar, get
    from litestar.params import FromPath

    @get("/new-page/{code:str}")
    async def new_page(code: FromPath[str]) -> str:
        return code

    @get("/api/v1/new")
    async def new_api() -> dict:
        return {}

    assert missing_from_table(Litestar([new_page, new_api])) == ["/new-page/{code:str}"]


def test_make_test_audits_each_route_in_vi_en_and_two_others_in_turn():
    from collections import Counter

    from accessibility.audit import languages_by_route
    from backend.core.languages import LANGUAGES

    routes, languages = list(PAGES), list(LANGUAGES)
    others = [lang for lang in languages if lang not in ("vi", "en")]
    seen: set[tuple[str, str]] = set()
    for seed in range(len(others) // 2):
        chosen = languages_by_route(routes, languages, ("vi", "en"), 2, seed)
        assert set(chosen) == set(routes)
        assert all({"vi", "en"} <= langs and len(langs) == 4 for langs in chosen.values())
        shares = Counter(lang for langs in chosen.values() for lang in langs - {"vi", "en"})
        assert set(shares) == set(others) and max(shares.values()) - min(shares.values()) <= 1
        seen |= {(route, lang) for route, langs in chosen.items() for lang in langs}
    assert seen == {(route, lang) for route in routes for lang in languages}  # five days: every route in every language
