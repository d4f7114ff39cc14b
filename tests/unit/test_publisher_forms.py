"""The procedure editor's flat forms (backend/publisher): each section's inputs round-trip through the document, a
row left empty or ticked for removal is dropped, a field keeps only its type's constraints, and a refused
document's problems land next to the input that wrote their place."""

from __future__ import annotations

from backend.catalogue.document import DocumentProblem
from backend.catalogue.loader import read_procedures
from backend.publisher import form_pages, forms
from backend.publisher.money_and_result import apply_fee, apply_result, fee_form, result_form
from backend.publisher.services import placed


def procedure(code: str) -> dict:
    return next(item for item in read_procedures() if item["code"] == code)


def test_every_section_of_a_procedure_round_trips_unchanged():
    for code in ("1.001193", "3.000333", "2.000815", "1.013225"):
        document = procedure(code)
        for to_form, apply in ((forms.details_form, forms.apply_details), (forms.documents_form, forms.apply_documents),
                               (fee_form, apply_fee), (forms.delivery_form, forms.apply_delivery),
                               (result_form, apply_result)):
            built = apply(document, to_form(document))
            assert not built.errors, (code, apply.__name__, built.errors)
            changed = {k for k in document.keys() | built.document.keys() if document.get(k) != built.document.get(k)}
            assert changed <= {"fee", "fee_options"}, (code, apply.__name__, changed)  # a schedule's amount as fee


def test_rows_emptied_or_ticked_are_dropped_and_typing_errors_are_kept_by_input():
    document = procedure("1.001193")
    form = forms.documents_form(document) | {"doc-0-remove": "yes", "doc-1-max_mb": "lots"}
    built = forms.apply_documents(document, form)
    assert [d["key"] for d in built.document["documents"]] == [d["key"] for d in document["documents"][1:]]
    assert built.errors == {"doc-1-max_mb": "Largest file in MB: enter a whole number of at least 1"}
    assert built.pointers["doc-1-max_mb"] == "/documents/0/max_mb"  # the row's place after the removal


def test_a_field_keeps_only_its_types_constraints_and_reads_its_options_and_rules():
    document = procedure("1.001193")
    form = form_pages.field_form(document, 0, 0) | {
        "type": "choice", "max_length": "50", "options": "a | Một | One\nb | Hai", "rule-count": "1",
        "rule-0-field": "child_gender", "rule-0-op": "not_in", "rule-0-values": "male, female"}
    field = form_pages.apply_field(document, 0, 0, form).document["form"][0]["fields"][0]
    assert "max_length" not in field and field["options"] == [
        {"value": "a", "label": {"vi": "Một", "en": "One"}}, {"value": "b", "label": {"vi": "Hai"}}]
    assert field["show_if"] == [{"field": "child_gender", "not_in": ["male", "female"]}]


def test_a_problem_is_placed_on_the_input_that_wrote_its_place_or_the_nearest():
    pointers = {"amount": "/fee_schedule/amount", "per_field": "/fee_schedule/per/field",
                "rate-0-amount": "/fee_schedule/per/rates/0/amount"}
    saved = placed([DocumentProblem("/fee_schedule/per/rates/0/amount", "too much"),
                    DocumentProblem("/fee_schedule/per", "counts a number"),
                    DocumentProblem("/fee_schedule/per/rates/0", "rate"),
                    DocumentProblem("/form/3/fields/1/type", "elsewhere")], pointers, "amount")
    assert saved.errors == {"rate-0-amount": "too much rate", "per_field": "counts a number", "amount": "elsewhere"}
