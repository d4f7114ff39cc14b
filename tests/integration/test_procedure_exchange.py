"""Import and export of a whole procedure (issue 18, item 5): the published schema, an export with every language,
an import previewed then saved as a draft version, bad files refused with their lines, administrators only."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from backend.catalogue.models import ProcedureVersion
from backend.core.text_store import STORE
from backend.translations.models import Proposal
from backend.translations.procedure_texts import refresh_procedure_texts
from backend.translations.texts import source_for, text_key
from tests.support import CITIZEN, Portal

pytestmark = pytest.mark.integration
ADMIN = "0900000000"
BIRTH = "1.001193"
LABEL = "Họ, chữ đệm và tên của trẻ"  # a form label of birth registration, translated in the files


async def download(portal: Portal, url: str) -> dict:
    response = await portal.get(url)
    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["content-disposition"]
    return yaml.safe_load(response.text) if "yaml" in response.headers["content-type"] else response.json()


async def upload(portal: Portal, document: dict | str, mode: str = "update", name: str = "procedure.json"):
    content = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False, indent=1)
    return await portal.post_form("/admin/procedures/import", {"mode": mode},
                                  files={"file": (name, content.encode(), "application/json")})


def hidden(html: str) -> dict[str, str]:
    """The preview page's hidden inputs: what its button posts."""
    import html as markup

    return {name: markup.unescape(value)
            for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html)}


async def test_the_schema_is_published_and_in_the_openapi_document(portal: Portal):
    response = await portal.get("/api/v1/procedures/schema.json")
    assert response.status_code == 200
    assert response.json()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "public" in response.headers["cache-control"]
    paths = (await portal.get("/schema/openapi.json")).json()["paths"]
    assert "/api/v1/procedures/schema.json" in paths


async def test_the_export_has_every_language_and_reads_back_unchanged(portal: Portal):
    await portal.sign_in(ADMIN)
    exported = await download(portal, f"/admin/procedures/{BIRTH}/export")
    assert exported["$schema"] == "/api/v1/procedures/schema.json" and exported["format"] == 1
    assert exported["title"]["en"] == "Birth registration"
    translated = {lang for lang, pairs in exported["translations"].items() if LABEL in pairs}
    assert {"km", "zh"} <= translated and not {"vi", "en"} & set(exported["translations"])
    as_yaml = await download(portal, f"/admin/procedures/{BIRTH}/export?format=yaml&version=1")
    assert as_yaml["code"] == BIRTH and as_yaml["form"] == exported["form"]

    preview = await upload(portal, exported)
    assert preview.status_code == 200, preview.text
    assert "The file is the same as version 1." in preview.text
    from_yaml = await upload(portal, yaml.safe_dump(as_yaml, allow_unicode=True), name="birth.yaml")
    assert from_yaml.status_code == 200 and "The file is the same as version 1." in from_yaml.text


async def test_an_import_is_previewed_then_saved_as_a_draft_with_translations_proposed(portal: Portal):
    await portal.sign_in(ADMIN)
    exported = await download(portal, f"/admin/procedures/{BIRTH}/export")
    new_label = "Họ và tên đầy đủ của trẻ (nhập khẩu)"
    field = exported["form"][0]["fields"][0]
    field["label"] = {"vi": new_label, "en": "The child's full name"}
    exported["translations"] = {"km": {new_label: "ឈ្មោះពេញរបស់កុមារ"}, "xx": {new_label: "?"}}
    before = await ProcedureVersion.filter(procedure_code=BIRTH).count()

    preview = await upload(portal, exported)
    assert preview.status_code == 200, preview.text
    assert "<h1>Check the import of 1.001193</h1>" in preview.text
    assert "/form/0/fields/0/label" in preview.text and "1 translation into other languages" in preview.text
    assert await ProcedureVersion.filter(procedure_code=BIRTH).count() == before  # nothing saved yet

    applied = await portal.post_form("/admin/procedures/import/apply", hidden(preview.text))
    assert applied.status_code in (302, 303), applied.text
    draft = await ProcedureVersion.filter(procedure_code=BIRTH).order_by("-number").first()
    assert draft is not None and (draft.state, draft.source) == ("draft", "import")
    assert draft.document["form"][0]["fields"][0]["label"]["vi"] == new_label
    assert "translations" not in draft.document
    done = await portal.get(applied.headers["location"])
    assert f"version {draft.number}" in done.text and "1 translations proposed" in done.text

    proposal = await Proposal.get(language="km", key=text_key("content", new_label))
    assert proposal.state == "proposed"  # awaiting a reviewer: never live by itself
    assert STORE.usable("km", "content", new_label, drafts=True) is None


async def test_a_new_procedure_is_created_as_a_draft_and_its_texts_reach_translators(portal: Portal):
    await portal.sign_in(ADMIN)
    document = await download(portal, f"/admin/procedures/{BIRTH}/export")
    document.pop("translations")
    document.pop("result")
    document["code"] = "9.990042"
    title = "Thủ tục nhập khẩu thử nghiệm"
    document["title"] = {"vi": title, "en": "A test import"}
    taken = await upload(portal, {**document, "code": BIRTH}, mode="new")
    assert taken.status_code == 400 and "already exists" in taken.text
    preview = await upload(portal, document, mode="new")
    assert preview.status_code == 200 and "This is a new procedure" in preview.text
    applied = await portal.post_form("/admin/procedures/import/apply", hidden(preview.text))
    assert applied.status_code in (302, 303), applied.text
    assert await ProcedureVersion.filter(procedure_code="9.990042", source="import").count() == 1
    await refresh_procedure_texts()
    assert source_for(text_key("content", title)) is not None
    assert (await upload(portal, document, mode="new")).status_code == 400  # taken now
    document["summary"] = {"vi": "Tóm tắt mới", "en": "A new summary"}
    again = await upload(portal, document)  # not published yet: compared with its draft
    assert again.status_code == 200 and "What changes from the draft version 1" in again.text


@pytest.mark.parametrize(("change", "pointer", "words"), [
    (lambda d: d["form"][1]["fields"][0].update(type="signature"), "/form/1/fields/0/type", "unknown field type"),
    (lambda d: d["form"][1].update(show_if=[{"field": "no_such_field", "in": ["x"]}]), "/form/1/show_if/0/field",
     "no field “no_such_field” is asked before this"),
    (lambda d: d.update(fee_schedule={"per": {"field": "x", "rates": [{"amount": 1}]}}), "/fee_schedule/amount",
     "“amount” is missing"),
])
async def test_a_bad_file_is_refused_with_its_line_and_field(portal: Portal, change, pointer, words):
    await portal.sign_in(ADMIN)
    document = await download(portal, f"/admin/procedures/{BIRTH}/export")
    change(document)
    text = json.dumps(document, ensure_ascii=False, indent=1)
    refused = await upload(portal, text)
    assert refused.status_code == 400
    assert "<title>Error: Import a procedure" in refused.text and 'class="error-summary"' in refused.text
    item = next(li for li in refused.text.split("<li>") if pointer in li)
    assert words in item and re.search(r"Line \d+:", item)
    assert 'name="mode" value="update" checked' in refused.text  # what was chosen is kept


async def test_invalid_json_and_yaml_name_their_line(portal: Portal):
    await portal.sign_in(ADMIN)
    refused = await upload(portal, '{\n "code": "1.001193",\n "title": ,\n}')
    assert refused.status_code == 400 and "Line 3:" in refused.text and "not valid JSON" in refused.text
    refused = await upload(portal, "code: 1.001193\nform:\n  - key: [\n", name="p.yaml")
    assert refused.status_code == 400 and "not valid YAML" in refused.text


async def test_only_administrators_import_and_export(portal: Portal):
    await portal.sign_in(CITIZEN)
    assert (await portal.get(f"/admin/procedures/{BIRTH}/export")).status_code == 403
    assert (await portal.get("/admin/procedures/import")).status_code == 403
    assert (await upload(portal, "{}")).status_code == 403
