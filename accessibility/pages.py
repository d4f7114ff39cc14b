"""Which routes are HTML pages, and the explicit table of the states that stand for each of them.

Every GET route of the application is either a page with at least one state in ``PAGES``, or skipped
with a reason (``SKIPPED`` for one route, ``SKIPPED_PREFIXES`` for whole families). The unit test
``tests/unit/test_axe_page_table.py`` fails when a route is in neither, so a new page cannot escape
the audit. A state's URL has placeholders (``{draft}``) for the dossier codes the browser test
prepares; ``then`` is JavaScript that submits a form on that page (the page it leads to is audited).
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass

from litestar import Litestar
from litestar.routes import HTTPRoute

from backend.translations.texts import text_key


@dataclass(frozen=True)
class Role:
    name: str
    phone: str
    """``{n}`` in it: one account per language (n = 1..12), for states a person can reach only a few times."""
    who: str


ROLES = {
    role.name: role
    for role in (
        Role("anonymous", "0911000099", "nobody signed in (a code was asked for this number: the code page opens)"),
        Role("helped", "0911000094", "a citizen a helper filed for (issue 20): the link to declare it on their phone"),
        Role("citizen", "0912345678", "Nguyễn Thị Lan: identity verified, a passkey, a dossier in each status"),
        Role("other_citizen", "0987654321", "Trần Văn Minh: identity not verified, no identity checks left today"),
        Role("newcomer", "09110001{n:02d}", "a citizen signed in for the first time, one per language (the "
             "population registry may be asked 5 times a day per account)"),
        Role("officer", "0901000001", "Lê Thu Hà, lead of Hoàn Kiếm ward, which settles birth registration (1.001193)"),
        Role("agency_admin", "0901000009", "administrator of Hoàn Kiếm ward's staff (demo data)"),
        Role("admin", "0900000000", "portal administrator"),
        Role("helper", "0901000050", "Vũ Thị Hạnh, helper at Hoàn Kiếm post office (demo data, issue 20)"),
    )
}


VALUES = {
    "counter": "an identity card renewal draft the demo helper opened for a citizen with their code (issue 20): its "
               "fee not paid yet",
    "cash_receipt": "the receipt of a fee the demo helper took in cash at the counter, for another citizen's draft",
    "draft": "Lan's birth registration draft: nothing answered, pre-fill declined",
    "offer": "Lan's identity card renewal draft (2.001195): the pre-fill question is open",
    "prefilled": "Lan's criminal-record certificate draft (3.000333), pre-filled from the registry",
    "ready": "Lan's passport draft (1.001456): every page answered, documents uploaded",
    "unverified_draft": "Minh's identity card renewal draft: pre-fill needs a verified identity",
    "branch_draft": "Minh's birth registration draft: the parents not married, the father acknowledging the child "
                    "(the branch pages of issue 18, the father's page with a file field)",
    "submitted": "Lan's birth registration, sent",
    "in_progress": "Lan's birth registration, received by the ward",
    "supplement": "Lan's birth registration, a supplement requested (a field and a document)",
    "approved": "Lan's birth registration, approved, not rated",
    "refused": "Lan's birth registration, refused, rated 4",
    "withdrawn": "Lan's birth registration, withdrawn by her",
    "helped": "a signature certification (2.000884) the demo helper filled for a citizen and asked them to declare "
              "by a link (issue 20)",
    "declare_link": "that link's token, as texted to the citizen",
    "result": "the signed result (PDF) the ward issued when it approved Lan's birth registration",
    "fee_receipt": "the receipt of the fee Lan paid (sandbox gateway) for an identity card reissue (2.001194)",
    "paid_return": "the signed answer the sandbox gateway sent Lan's browser back with after that payment",
    "question": "Lan's question in Khmer about birth registration, answered in Vietnamese by the ward, published",
    "open_question": "Lan's private question to the ward, not yet classified",
    "consent": "the helper's consent asked of a citizen (a code sent, not typed yet), issue 20",
    "closure": "Minh's request to close his account, taken by the portal administrator (issue 21)",
}

DISPLAY_ALL = (("portal_display", "large.contrast.calm.spacing"),)


def submit(form: str, fill: dict[str, str | bool] | None = None) -> str:
    """JavaScript that fills controls of ``form`` (CSS selector inside it -> value, or checked) and submits it.

    ``HTMLFormElement.submit`` skips the browser's own validation, so the server's answer is what is audited.
    """
    return (
        f"const form = document.querySelector({json.dumps(form)});"
        "if (!form) return false;"
        f"for (const [selector, value] of {json.dumps(list((fill or {}).items()))})"
        "  for (const el of form.querySelectorAll(selector)) {"
        "    if (typeof value === 'boolean') el.checked = value; else el.value = value; }"
        "HTMLFormElement.prototype.submit.call(form); return true;"
    )


def upload_file(form: str, name: str, content: str) -> str:
    """JavaScript that puts a file called ``name`` holding ``content`` in ``form``'s file input and submits it."""
    return (
        f"const form = document.querySelector({json.dumps(form)});"
        "if (!form) return false;"
        "const files = new DataTransfer();"
        f"files.items.add(new File([{json.dumps(content)}], {json.dumps(name)}, {{type: 'application/json'}}));"
        "form.querySelector('input[type=file]').files = files.files;"
        "HTMLFormElement.prototype.submit.call(form); return true;"
    )


@dataclass(frozen=True)
class State:
    """One state of a page: who opens which URL, what they submit there, and what the portal should answer."""

    name: str
    role: str
    url: str
    then: str = ""
    """JavaScript submitting a form on the page (``submit()``); the page it leads to is the one audited."""
    status: tuple[int, ...] = (200,)
    """HTTP status of the audited page: anything else means the set-up is broken."""
    cookies: tuple[tuple[str, str], ...] = ()
    """Extra cookies, such as display settings."""
    tamper: str = ""
    """JavaScript run on the page just before axe: the regression test breaks the page with it."""


def _s(name: str, role: str, url: str, then: str = "", status: int | tuple[int, ...] = 200, cookies=()) -> State:
    return State(name, role, url, then, status if isinstance(status, tuple) else (status,), cookies)


ANON, LAN, MINH, NEW, OFFICER, ADMIN = "anonymous", "citizen", "other_citizen", "newcomer", "officer", "admin"
AGENCY_ADMIN, HELPER = "agency_admin", "helper"
EMPTY_EVERYTHING = {"input:not([type=hidden]), select, textarea": ""}

PAGES: dict[str, tuple[State, ...]] = {
    "/": (_s("home", ANON, "/"), _s("home, every display setting on", ANON, "/", cookies=DISPLAY_ALL),
          _s("home, only reviewed translations", ANON, "/", cookies=(("portal_display", "reviewed"),))),
    "/procedures": (
        _s("whole catalogue (2 result pages)", ANON, "/procedures"),
        _s("no result", ANON, "/procedures?q=zzzqqq"),
    ),
    "/procedures/{code:str}": (
        _s("birth registration", ANON, "/procedures/1.001193"),
        _s("birth registration, every display setting on", ANON, "/procedures/1.001193", cookies=DISPLAY_ALL),
        _s("unknown code: the error page", ANON, "/procedures/0.000000", status=404),
    ),
    "/track": (
        _s("empty", ANON, "/track"),
        _s("a dossier found", ANON, "/track?code={submitted}"),
        _s("unknown code", ANON, "/track?code=HS-000000-AAAAAA", status=404),
    ),
    "/sign-in": (
        _s("empty", ANON, "/sign-in"),
        _s("number in the wrong format", ANON, "/sign-in", submit('main form[action$="/sign-in"]', {"#phone": "123"}),
           400),
    ),
    "/sign-in/code": (
        _s("empty", ANON, "/sign-in/code"),
        _s("code too short", ANON, "/sign-in/code", submit('main form[action$="/sign-in/code"]', {"#code": "12"}), 400),
    ),
    "/display": (
        _s("nothing chosen", ANON, "/display"),
        _s("every setting saved", ANON, "/display",
           submit('main form[action$="/display"]', {"input[type=checkbox]": True})),
    ),
    "/accessibility": (_s("statement", ANON, "/accessibility"),),
    "/offline": (_s("no connection (what the service worker shows)", ANON, "/offline"),),
    "/procedures/{code:str}/apply": (_s("start page", LAN, "/procedures/1.001193/apply"),),
    "/procedures/{code:str}/agencies": (
        _s("agency picker: the proposed agency", LAN, "/procedures/1.001193/agencies"),
        _s("agency picker: a province searched", LAN, "/procedures/1.001193/agencies?province=01&q=hoan+kiem"),
        _s("agency picker: nothing matches", LAN, "/procedures/1.001193/agencies?province=01&q=zzzqqq"),
        # Without a choice the start leads back to the picker (200); a code that no agency has is refused (400).
        _s("agency picker: an unknown agency posted", NEW, "/procedures/1.001193/agencies?province=01&q=hoan+kiem",
           submit("main form[novalidate]", {"input[type=radio]": "P00-NOWHERE", "input[name=agency]": True}), 400),
    ),
    "/dossiers/{code:str}/agency": (
        _s("a draft's agency, to change", LAN, "/dossiers/{draft}/agency"),
        _s("a draft's agency, a province searched", LAN, "/dossiers/{draft}/agency?province=01&q=ba+dinh"),
    ),
    "/agencies": (
        _s("the directory (first page)", ANON, "/agencies"),
        _s("where birth registration is filed, searched", ANON, "/agencies?procedure=1.001193&province=01&q=hoan+kiem"),
        _s("no agency found", ANON, "/agencies?q=zzzqqq"),
        _s("unknown province", ANON, "/agencies?province=99", status=400),
    ),
    "/statistics": (
        _s("public statistics: this year, provinces and agencies ranked", ANON, "/statistics"),
        _s("public statistics: one month in Ha Noi", ANON, "/statistics?period=2026-11&province=01"),
        _s("public statistics: an impossible month", ANON, "/statistics?period=2026-13", status=400),
    ),
    "/statistics/agencies/{code:str}": (
        _s("an agency's statistics: Hoan Kiem ward, month by month", ANON, "/statistics/agencies/P01-W-HOANKIEM"),
    ),
    "/dossiers/{code:str}/form/{page_key:str}": (
        _s("first page, empty", LAN, "/dossiers/{draft}/form/child"),
        _s("first page sent empty: errors", LAN, "/dossiers/{draft}/form/child",
           submit('main form[action*="/form/"]'), 400),
        _s("errors, every display setting on", LAN, "/dossiers/{draft}/form/child",
           submit('main form[action*="/form/"]'), 400, DISPLAY_ALL),
        _s("last page", LAN, "/dossiers/{draft}/form/applicant"),
        _s("last page, every display setting on", LAN, "/dossiers/{draft}/form/applicant", cookies=DISPLAY_ALL),
        _s("pre-fill question", LAN, "/dossiers/{offer}/form/applicant"),
        _s("pre-filled answers", LAN, "/dossiers/{prefilled}/form/person?prefilled=1"),
        _s("pre-fill needs a verified identity", MINH, "/dossiers/{unverified_draft}/form/applicant"),
        _s("a branch page: the father's acknowledgement", MINH, "/dossiers/{branch_draft}/form/acknowledgement"),
        _s("a file field (the father's page)", MINH, "/dossiers/{branch_draft}/form/father"),
        _s("a file field sent without its file: errors", MINH, "/dossiers/{branch_draft}/form/father",
           submit('main form[action*="/form/"]'), 400),
        _s("a page filled by a helper for a citizen", HELPER, "/dossiers/{helped}/form/document"),
    ),
    # A dossier filed with help (issue 20): the helper's pages, and the citizen's declaration on their own phone.
    "/dossiers/{code:str}/declare/code": (
        _s("the code that declares it, to type", HELPER, "/dossiers/{helped}/declare/code"),
        _s("declaration code: nothing typed", HELPER, "/dossiers/{helped}/declare/code", submit("main form"), 400),
    ),
    "/dossiers/{code:str}/declare/paper": (
        _s("a declaration signed on paper (a citizen with no phone)", HELPER, "/dossiers/{helped}/declare/paper"),
        _s("paper: nothing attached", HELPER, "/dossiers/{helped}/declare/paper",
           submit('main form[enctype="multipart/form-data"]'), 400),
    ),
    "/dossiers/{code:str}/declare/sent": (
        _s("the helper's view: a link sent", HELPER, "/dossiers/{helped}/declare/sent"),
    ),
    "/declare/{token:str}": (
        _s("declare on one's own phone", "helped", "/declare/{declare_link}"),
        _s("declare: not ticked", "helped", "/declare/{declare_link}", submit('main form[action*="/declare/"]'), 400),
        _s("a declaration link that does not work", LAN, "/declare/0-nothing", status=404),
    ),
    "/dossiers/{code:str}/documents": (
        _s("nothing uploaded", LAN, "/dossiers/{draft}/documents"),
        _s("upload sent without a file", LAN, "/dossiers/{draft}/documents",
           submit('main form[enctype="multipart/form-data"]'), 400),
        _s("documents uploaded", LAN, "/dossiers/{ready}/documents"),
        _s("filled by a helper: the camera beside the file chooser", HELPER, "/dossiers/{helped}/documents"),
    ),
    "/dossiers/{code:str}/check": (
        _s("answers and documents", LAN, "/dossiers/{ready}/check"),
        _s("sent without the declaration", LAN, "/dossiers/{ready}/check",
           submit('main form[action$="/submit"]'), 400),
        _s("by post, the delivery left empty: errors", LAN, "/dossiers/{ready}/check",
           submit('main form[action$="/submit"]', {"#result_form-post": True, "#recipient": "", "#phone": ""}), 400),
        _s("checked with a helper: the citizen declares", HELPER, "/dossiers/{helped}/check"),
    ),
    "/dossiers/{code:str}/delivery": (
        _s("booking form, wards not chosen yet", LAN, "/dossiers/{submitted}/delivery"),
        _s("booking sent empty: errors", LAN, "/dossiers/{submitted}/delivery",
           submit('main form[action$="/delivery"]', EMPTY_EVERYTHING), 400),
    ),
    "/dossiers/{code:str}/receipt": (_s("dossier sent", LAN, "/dossiers/{submitted}/receipt"),),
    "/my/dossiers": (_s("a dossier in each status", LAN, "/my/dossiers"), _s("none yet", NEW, "/my/dossiers")),
    "/my/dossiers/{code:str}": (
        _s("sent", LAN, "/my/dossiers/{submitted}"),
        _s("in progress", LAN, "/my/dossiers/{in_progress}"),
        _s("supplement requested", LAN, "/my/dossiers/{supplement}"),
        _s("approved: rating form", LAN, "/my/dossiers/{approved}"),
        _s("approved: rating sent empty", LAN, "/my/dossiers/{approved}",
           submit('main form[action$="/rating"]'), 400),
        _s("refused and rated", LAN, "/my/dossiers/{refused}?rated=1"),
        _s("withdrawn", LAN, "/my/dossiers/{withdrawn}"),
    ),
    "/dossiers/{code:str}/supplement": (
        _s("what to fix", LAN, "/dossiers/{supplement}/supplement"),
        _s("corrections sent empty", LAN, "/dossiers/{supplement}/supplement",
           submit('main form[action$="/supplement"]', EMPTY_EVERYTHING), 400),
    ),
    "/account": (
        _s("verified, with a passkey", LAN, "/account"),
        _s("passkey renamed to nothing", LAN, "/account",
           submit("main form.passkey-rename", {'input[name="name"]': ""}), 400),
        _s("first sign-in", NEW, "/account"),
    ),
    "/account/identity": (
        _s("just verified", LAN, "/account/identity?verified=1"),
        _s("not verified", NEW, "/account/identity"),
        _s("number in the wrong format", NEW, "/account/identity",
           submit('main form[action$="/account/identity"]', {"#id_number": "123"}), 400),
        _s("registered with another phone", NEW, "/account/identity",
           submit('main form[action$="/account/identity"]', {"#id_number": "079088001234"}), 400),
        _s("no identity checks left today", MINH, "/account/identity"),
    ),
    "/desk": (
        *(_s(f"queue: {view}", OFFICER, f"/desk?view={view}")
          for view in ("new", "in_progress", "supplement", "due_soon", "overdue", "settled")),
        _s("queue: new, every display setting on", OFFICER, "/desk?view=new", cookies=DISPLAY_ALL),
        _s("queue: new, assigned to me", OFFICER, "/desk?view=new&assigned=me"),
        _s("queue: new, unassigned", OFFICER, "/desk?view=new&assigned=none"),
        _s("queue: in progress, newest first", OFFICER, "/desk?view=in_progress&order=newest"),
    ),
    "/desk/search": (
        _s("search: found", OFFICER, "/desk/search?q=nguyen"),
        _s("search: nothing found", OFFICER, "/desk/search?q=zzzz"),
        _s("search: empty", OFFICER, "/desk/search"),
    ),
    "/desk/transferred": (_s("dossiers transferred to other agencies", OFFICER, "/desk/transferred"),),
    "/desk/access": (  # issue 21: the lead's view of the access log (the audit's own visits to dossiers fill it)
        _s("who opened citizens' dossiers (lead)", OFFICER, "/desk/access"),
        _s("who opened citizens' dossiers: flagged only", OFFICER, "/desk/access?flagged=1"),
        _s("who opened citizens' dossiers: filter submitted", OFFICER, "/desk/access",
           submit('main form[action$="/desk/access"]', {"#flagged": True})),
    ),
    "/desk/payments": (
        _s("payments to refund or check", OFFICER, "/desk/payments"),
        _s("a payment counted as paid: status message", OFFICER, "/desk/payments?done=paid&ref=261125120000ABCDEFGH"),
    ),
    "/desk/dossiers/{code:str}": (
        _s("sent: receive it", OFFICER, "/desk/dossiers/{submitted}"),
        _s("in progress: decide", OFFICER, "/desk/dossiers/{in_progress}"),
        _s("supplement request sent empty", OFFICER, "/desk/dossiers/{in_progress}", submit("#supplement"), 400),
        _s("waiting for the citizen", OFFICER, "/desk/dossiers/{supplement}"),
        _s("approved", OFFICER, "/desk/dossiers/{approved}"),
        _s("refused", OFFICER, "/desk/dossiers/{refused}"),
    ),
    "/results/verify": (
        _s("empty", ANON, "/results/verify"),
        _s("PDF sent without a file", ANON, "/results/verify",
           submit('main form[enctype="multipart/form-data"]'), 400),
    ),
    "/dossiers/{code:str}/result": (_s("the result's HTML twin", LAN, "/dossiers/{approved}/result"),),
    "/results/verify/{code:str}": (
        _s("a valid result, with its HTML twin", ANON, "/results/verify/{result}"),
        _s("unknown code", ANON, "/results/verify/KQ-000000-AAAAAAAA", status=404),
    ),
    "/payments/return": (
        _s("paid: the receipt", LAN, "/payments/return?{paid_return}"),
        _s("answer with a wrong signature", LAN, "/payments/return?vnp_TxnRef=X&vnp_SecureHash=00", status=400),
    ),
    "/payments/receipts/{number:str}": (_s("a fee paid online", LAN, "/payments/receipts/{fee_receipt}"),),
    "/translate": (
        _s("the administrator's languages", ADMIN, "/translate"),
        _s("no role yet", LAN, "/translate"),
    ),
    "/translate/{lang:str}": (
        _s("Chăm texts", ADMIN, "/translate/cjm"),
        _s("missing form texts, searched", ADMIN, "/translate/cjm?status=missing&kind=forms&q=tre"),
        _s(".po upload without a file", ADMIN, "/translate/km", submit('main form[action$="/import"]'), 400),
    ),
    "/translate/{lang:str}/texts/{key:str}": (
        _s("a form label", ADMIN, f"/translate/cjm/texts/{text_key('content', 'Giới tính')}"),
        _s("proposed: waiting for another reviewer", ADMIN, f"/translate/cjm/texts/{text_key('content', 'Giới tính')}",
           submit('main form[action*="/texts/"]', {"textarea": "ꨓꨯꩀ"})),
        _s("a placeholder dropped", ADMIN, f"/translate/km/texts/{text_key('messages', 'Passkey “%(name)s”')}",
           submit('main form[action*="/texts/"]', {"textarea": "x"}), 400),
    ),
    "/admin/translators": (
        _s("roles given", ADMIN, "/admin/translators"),
        _s("nothing filled in", ADMIN, "/admin/translators", submit('main form[action$="/admin/translators"]'), 400),
    ),
    "/staff": (
        _s("find an agency", ADMIN, "/staff?q=hoan+kiem"),
        _s("no agency found", ADMIN, "/staff?q=zzzqqq"),
    ),
    "/staff/{code:str}": (
        _s("the ward's staff (portal administrator)", ADMIN, "/staff/P01-W-HOANKIEM"),
        _s("the ward's staff (agency administrator)", AGENCY_ADMIN, "/staff/P01-W-HOANKIEM"),
        _s("add: nothing filled in", AGENCY_ADMIN, "/staff/P01-W-HOANKIEM",
           submit('main form[action$="/staff/P01-W-HOANKIEM"]'), 400),
    ),
    "/service-points": (  # issue 20: service points and their helpers
        _s("service points (portal administrator)", ADMIN, "/service-points"),
        _s("service points (agency administrator)", AGENCY_ADMIN, "/service-points"),
        _s("add a service point: nothing filled in", ADMIN, "/service-points",
           submit('main form[action$="/service-points"]'), 400),
    ),
    "/service-points/{code:str}": (
        _s("the post office's helpers", ADMIN, "/service-points/VNP-HN-HOANKIEM"),
        _s("appoint: nothing filled in", ADMIN, "/service-points/VNP-HN-HOANKIEM",
           submit('main form[action$="/helpers"]'), 400),
    ),
    "/helper/start": (
        _s("start for a citizen", HELPER, "/helper/start"),
        _s("start: nothing filled in", HELPER, "/helper/start", submit('main form[action$="/helper/start"]'), 400),
        _s("start: a procedure by its name, those found to choose from", HELPER, "/helper/start",
           submit('main form[action$="/helper/start"]', {"#procedure": "khai sinh"}), 400),
    ),
    "/helper/consents/{consent_id:int}/code": (
        _s("type the citizen's code", HELPER, "/helper/consents/{consent}/code"),
        _s("code: nothing typed", HELPER, "/helper/consents/{consent}/code", submit("main form"), 400),
    ),
    "/helper/in-person": (
        _s("identity check in person", HELPER, "/helper/in-person"),
        _s("in person: nothing filled in", HELPER, "/helper/in-person",
           submit('main form[action$="/helper/in-person"]'), 400),
    ),
    "/staff/{code:str}/audit": (_s("the ward's staff audit log", AGENCY_ADMIN, "/staff/P01-W-HOANKIEM/audit"),),
    "/languages": (_s("coverage of every language", ANON, "/languages"),),
    # The procedure editor (backend/publisher): the failing submits save nothing, so the demo data stays as it is.
    "/admin/procedures": (
        _s("every procedure", ADMIN, "/admin/procedures"),
        _s("no procedure found", ADMIN, "/admin/procedures?q=zzzqqq"),
        _s("the agency administrator's procedures", AGENCY_ADMIN, "/admin/procedures"),
    ),
    "/admin/procedures/new": (
        _s("empty", ADMIN, "/admin/procedures/new"),
        _s("nothing filled in", ADMIN, "/admin/procedures/new",
           submit('main form[action$="/admin/procedures/new"]', EMPTY_EVERYTHING), 400),
    ),
    "/admin/procedures/{code:str}": (_s("birth registration's sections", ADMIN, "/admin/procedures/1.001193"),),
    "/admin/procedures/{code:str}/sections/{section:str}": (
        *(_s(f"birth registration: {section}", ADMIN, f"/admin/procedures/1.001193/sections/{section}")
          for section in ("details", "documents", "fee", "delivery", "result")),
        _s("description: nothing filled in", ADMIN, "/admin/procedures/1.001193/sections/details",
           submit('main form[action$="/sections/details"]', EMPTY_EVERYTHING), 400),
        _s("fee: letters for amounts", ADMIN, "/admin/procedures/2.000635/sections/fee",
           submit('main form[action$="/sections/fee"]', {"#amount": "abc", "#rate-0-amount": "x"}), 400),
        _s("result: a line without its title", ADMIN, "/admin/procedures/1.001193/sections/result",
           submit('main form[action$="/sections/result"]', {"#title-vi": "", "#title-en": ""}), 400),
    ),
    "/admin/procedures/{code:str}/form": (
        _s("birth registration's form pages", ADMIN, "/admin/procedures/1.001193/form"),
        _s("add a page without a title", ADMIN, "/admin/procedures/1.001193/form",
           submit('main form[action$="/1.001193/form"]'), 400),
    ),
    "/admin/procedures/{code:str}/form/{number:int}": (
        _s("a page and its questions", ADMIN, "/admin/procedures/1.001193/form/2"),
        _s("a page's title emptied", ADMIN, "/admin/procedures/1.001193/form/2",
           submit('main form[action$="/form/2"]', {"#title-vi": "", "#title-en": ""}), 400),
    ),
    "/admin/procedures/{code:str}/form/{number:int}/fields/{which:str}": (
        _s("a question", ADMIN, "/admin/procedures/1.001193/form/1/fields/2"),
        _s("a new question", ADMIN, "/admin/procedures/1.001193/form/1/fields/new"),
        _s("a new question, nothing filled in", ADMIN, "/admin/procedures/1.001193/form/1/fields/new",
           submit('main form[action$="/fields/new"]', EMPTY_EVERYTHING), 400),
    ),
    "/admin/procedures/import": (
        _s("empty", ADMIN, "/admin/procedures/import"),
        _s("no file chosen", ADMIN, "/admin/procedures/import",
           submit('main form[action$="/admin/procedures/import"]'), 400),
        _s("a file refused with its problems", ADMIN, "/admin/procedures/import",
           upload_file('main form[action$="/admin/procedures/import"]', "bad.json",
                       '{"code": "1.001193",\n "form": 1}'), 400),
    ),
    "/admin/procedures/import/done": (
        _s("a version saved", ADMIN, "/admin/procedures/import/done?code=1.001193&version=1"),
    ),
    "/admin/procedures/{code:str}/publish": (_s("nothing to publish", ADMIN, "/admin/procedures/1.001193/publish"),),
    "/admin/procedures/{code:str}/versions": (_s("birth registration's versions", ADMIN,
                                                 "/admin/procedures/1.001193/versions"),),
    "/admin/procedures/{code:str}/versions/compare": (
        _s("a version against itself", ADMIN, "/admin/procedures/1.001193/versions/compare"),
    ),    # Public questions (issue 19, items 5 and 6)
    "/questions": (
        _s("published questions", ANON, "/questions"),
        _s("search without accents", ANON, "/questions?q=giay+chung+sinh"),
        _s("nothing found", ANON, "/questions?q=zzzqqq"),
    ),
    "/questions/new": (
        _s("ask about birth registration", LAN, "/questions/new?procedure=1.001193"),
        _s("sent empty", LAN, "/questions/new?procedure=1.001193", submit('main form[action$="/questions/new"]',
                                                                          {"textarea": ""}), 400),
    ),
    "/questions/mine": (_s("the asker's questions", LAN, "/questions/mine"),),
    # Personal data (issue 21, part E)
    "/my/data": (
        _s("what is held, with the ward's accesses to her dossiers", LAN, "/my/data"),
        _s("after withdrawing consent to notifications", LAN, "/my/data",
           submit('main form[action$="/my/data/consents/push/withdraw"]')),
        _s("a new account: nothing held yet", NEW, "/my/data"),
    ),
    "/privacy": (_s("the privacy notice", ANON, "/privacy"),),
    # Personal data (issue 21, part F): a copy of my data, closing my account, the administrator's requests
    "/my/data/export": (_s("a copy of my data: nothing asked yet, or earlier copies", LAN, "/my/data/export"),),
    "/my/data/export/{export_id:int}": (
        _s("a copy asked for: its progress", LAN, "/my/data/export", submit('main form[action$="/my/data/export"]')),
    ),
    "/my/data/export/download/{token:str}": (
        _s("a download link that is not valid", LAN, "/my/data/export/download/not-a-real-link", status=404),
    ),
    "/my/data/close": (
        _s("close my account: what is kept and erased, dossiers still being settled", LAN, "/my/data/close"),
        _s("close my account: sent without ticking the box", LAN, "/my/data/close",
           submit('main form[action$="/my/data/close"]'), 400),
        _s("close my account: a new account, nothing kept", NEW, "/my/data/close"),
    ),
    "/admin/closures": (
        _s("account closure requests: open", ADMIN, "/admin/closures"),
        _s("account closure requests: done", ADMIN, "/admin/closures?state=done"),
    ),
    "/admin/closures/{request_id:int}/complete": (
        _s("close a citizen's account: whose, what is kept and erased", ADMIN, "/admin/closures/{closure}/complete"),
    ),
    "/questions/overdue": (
        _s("no agency chosen", ANON, "/questions/overdue"),
        _s("the ward's board", ANON, "/questions/overdue?agency=P01-W-HOANKIEM"),
        _s("unknown agency", ANON, "/questions/overdue?agency=NOPE"),
    ),
    "/questions/{question_id:int}": (
        _s("a published question and answer", ANON, "/questions/{question}"),
        _s("the asker's own, not yet classified", LAN, "/questions/{open_question}"),
    ),
    "/questions/{question_id:int}/hide": (
        _s("hide a question", ADMIN, "/questions/{question}/hide"),
        _s("hide sent without a reason", ADMIN, "/questions/{question}/hide",
           submit('main form[action$="/hide"]'), 400),
    ),
    "/desk/questions": (
        _s("questions to answer", OFFICER, "/desk/questions"),
        _s("answered questions", OFFICER, "/desk/questions?view=answered"),
    ),
    "/desk/questions/{question_id:int}": (
        _s("to classify", OFFICER, "/desk/questions/{open_question}"),
        _s("classify sent empty", OFFICER, "/desk/questions/{open_question}",
           submit('main form[action$="/classify"]'), 400),
        _s("answered and published", OFFICER, "/desk/questions/{question}"),
    ),
    # Assisted filing at the counter (issue 20): cash for the fee, its receipt, results to collect, the desk.
    "/helper": (_s("the helper's own desk", HELPER, "/helper"),),
    "/helper/results": (
        _s("results to collect at the counter", HELPER, "/helper/results"),
        _s("result arrived: nothing typed", HELPER, "/helper/results",
           submit('main form[action$="/helper/results/arrived"]'), 400),
    ),
    "/helper/dossiers/{code:str}/cash": (
        _s("fee paid in cash", HELPER, "/helper/dossiers/{counter}/cash"),
        _s("cash: not confirmed", HELPER, "/helper/dossiers/{counter}/cash", submit('main form[action$="/cash"]'),
           400),
    ),
    "/helper/receipts/{number:str}": (_s("the cash receipt to print", HELPER, "/helper/receipts/{cash_receipt}"),),
}

SKIPPED = {
    "/favicon.ico": "the portal's icon (ICO), where browsers look for it: not HTML",
    "/sandbox/postal/courier": "the sandbox post's courier page: a stand-in for the postal service's own tool, "
                               "mounted only when no real postal service is configured",
    "/dossiers/{code:str}/files/{document_id:int}": "the uploaded document itself (PDF, JPG or PNG): not HTML",
    "/dossiers/{code:str}/result.pdf": "the signed result itself (PDF): not HTML",
    "/dossiers/{code:str}/filing-receipt.pdf": "the receipt of a dossier filed with help (PDF): not HTML",
    "/desk/dossiers/{code:str}/identity-scan": "the photo or scan of an identity document checked in person: a file",
    "/helper/dossiers/{code:str}/filing-receipt.pdf": "the receipt of a dossier filed with help (PDF): not HTML",
    "/dossiers/{code:str}/results/{result_code:str}": "an earlier signed result (PDF): not HTML",
    "/sw.js": "the service worker script (JavaScript): not HTML",
    "/translate/{lang:str}/export/{domain:str}": "a translation catalogue (.po file) to download: not HTML",
    "/admin/procedures/{code:str}/export": "a procedure's document (JSON or YAML) to download: not HTML",
    "/manifest.webmanifest": "the web app manifest (JSON): not HTML",
    "/catalogue-index.json": "the catalogue's search index for the service worker (JSON): not HTML",
    "/sandbox/payment/paymentv2/vpcpay.html": "the sandbox payment gateway's page: a stand-in for the bank's page, "
    "not the portal's (axe runs on it in tests/browser/test_payment_journey.py)",
}
SKIPPED_PREFIXES = {
    "/api/": "JSON API",
    "/static/": "static files (CSS, scripts, fonts, icons)",
    "/sandbox/": "JSON endpoints of the local stand-ins for the SMS gateway and the population registry",
    "/schema": "the OpenAPI document and the third-party viewers Litestar serves for it",
    "/healthz": "JSON health check",
    "/dev/": "demo only (DEMO_MODE): the SMS sandbox outbox, absent in production",
}


def get_routes(app: Litestar) -> list[str]:
    """Every path template with a GET handler, as Litestar spells it (``/track``, ``/my/dossiers/{code:str}``)."""
    return sorted({r.path for r in app.routes if isinstance(r, HTTPRoute) and "GET" in r.methods})


def skip_reason(path: str) -> str | None:
    if path in SKIPPED:
        return SKIPPED[path]
    return next((why for prefix, why in SKIPPED_PREFIXES.items() if path == prefix.rstrip("/")
                 or path.startswith(prefix)), None)


def page_routes(app: Litestar) -> list[str]:
    """GET routes that serve HTML pages: everything not skipped."""
    return [path for path in get_routes(app) if skip_reason(path) is None]


def skipped_routes(app: Litestar) -> dict[str, str]:
    return {path: why for path in get_routes(app) if (why := skip_reason(path)) is not None}


def missing_from_table(app: Litestar) -> list[str]:
    return [path for path in page_routes(app) if path not in PAGES]


def route_regex(path: str) -> re.Pattern:
    """``/my/dossiers/{code:str}`` -> a pattern concrete paths of that route match."""
    parts = re.split(r"(\{[^}]+\})", path)
    return re.compile("".join(
        (r"\d+" if part.endswith(":int}") else "[^/]+") if part.startswith("{") else re.escape(part)
        for part in parts
    ) + "$")


def placeholders(url: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(url) if name}


def concrete(url: str, values: dict[str, str]) -> str:
    return url.format(**values)


def states() -> list[tuple[str, State]]:
    return [(route, state) for route, group in PAGES.items() for state in group]
