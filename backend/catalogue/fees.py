"""What a procedure costs: its fee schedule, read from the procedure alone.

A schedule (``procedures/<code>.json`` ``fee_schedule``, checked by ``schedule_problems``) is a fixed ``amount``, plus
optionally a charge ``per`` copy or page counted from a form answer, plus named ``groups`` that pay a reduced
amount or nothing, each with the proof document it needs. The loader turns it into ``Procedure.fee`` (the amount),
``Procedure.fee_options`` (the standard fee and the groups: the citizen chooses one) and
``Procedure.fee_schedule`` (the ``per`` rule). A province may set its own amount (``province_terms``). Whether a
dossier's fee was paid is ``payments.fees``."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from backend.core.i18n import gettext, ngettext
from backend.core.templating import format_vnd

UNITS = ("copy", "page")
MAX_UNITS = 20  # more copies than this in one request is a typo, not a request
STANDARD_LABEL = {"vi": "Mức thu chung", "en": "Standard fee"}


@dataclass(frozen=True)
class FeeOption:
    key: str
    label: dict[str, str]  # {"vi": ..., "en": ...}
    amount: int  # VND
    proof: str = ""  # the key of the document (in the procedure's documents) that entitles one to this option


@dataclass(frozen=True)
class PerUnit:
    """A charge per copy or page: ``rates`` are (from which unit on, VND each), the count is the answer ``field``."""

    field: str
    unit: str  # UNITS
    rates: tuple[tuple[int, int], ...]
    max: int = MAX_UNITS
    cap: int | None = None  # the most the fee comes to, whatever the count (2,000 ₫ a page, 200,000 at most)

    def extra(self, count: int) -> list[tuple[int, int, int]]:
        """(how many units, from which unit on, VND each) for ``count`` units, one row per rate that applies."""
        rows = []
        bounds = sorted(self.rates) + [(count + 1, 0)]
        for (start, amount), (end, _) in zip(bounds, bounds[1:], strict=False):
            units = min(end, count + 1) - start
            if units > 0 and amount:
                rows.append((units, start, amount))
        return rows


@dataclass(frozen=True)
class FeeQuote:
    """The fee as the check page shows it: a fixed amount, or options to choose from; with a ``per`` rule, for
    ``count`` copies or pages (the dossier's answer)."""

    base: int
    options: list[FeeOption] = field(default_factory=list)
    per: PerUnit | None = None
    count: int = 1

    @property
    def charged(self) -> bool:
        return self.base > 0 or any(o.amount > 0 for o in self.options) or self._extra() > 0

    @property
    def free_option(self) -> bool:
        """One of the options costs nothing: a dossier sent under it has no payment."""
        return any(o.amount == 0 for o in self.options)

    def _extra(self) -> int:
        return sum(units * amount for units, _, amount in self.per.extra(self.count)) if self.per else 0

    def _fixed(self, option: str) -> int | None:
        if not self.options:
            return self.base
        return next((o.amount for o in self.options if o.key == option), None)

    def amount_for(self, option: str) -> int | None:
        """The amount to pay; None when the procedure has options and ``option`` is not one of them. An option of
        0 ₫ (an exempt group) pays nothing at all, copies included."""
        fixed = self._fixed(option)
        if fixed is None or (self.options and fixed == 0):
            return fixed
        total = fixed + self._extra()
        return min(total, self.per.cap) if self.per and self.per.cap is not None else total

    def breakdown(self, option: str = "") -> list[str]:
        """How the amount is made up, in the page's language ("200.000 ₫", "1 copy beyond the first 2 × 5.000 ₫");
        empty when it is a single fixed amount."""
        fixed = self._fixed(option)
        if fixed is None or (self.options and fixed == 0) or not self.per or not self._extra():
            return []
        lines = [gettext("Fee: %(amount)s", amount=format_vnd(fixed))] if fixed else []
        for units, start, amount in self.per.extra(self.count):
            lines.append(_per_line(self.per.unit, units, start - 1, format_vnd(amount)))
        if self.per.cap is not None and fixed + self._extra() > self.per.cap:
            lines.append(gettext("at most %(amount)s", amount=format_vnd(self.per.cap)))
        return lines


def _per_line(unit: str, units: int, included: int, amount: str) -> str:
    if unit == "page" and included:
        return ngettext("%(num)s page beyond the first %(included)s × %(amount)s",
                        "%(num)s pages beyond the first %(included)s × %(amount)s", units,
                        included=included, amount=amount)
    if unit == "page":
        return ngettext("%(num)s page × %(amount)s", "%(num)s pages × %(amount)s", units, amount=amount)
    if included:
        return ngettext("%(num)s copy beyond the first %(included)s × %(amount)s",
                        "%(num)s copies beyond the first %(included)s × %(amount)s", units,
                        included=included, amount=amount)
    return ngettext("%(num)s copy × %(amount)s", "%(num)s copies × %(amount)s", units, amount=amount)


def per_unit(procedure: Any) -> PerUnit | None:
    """The schedule's charge per copy or page; its bound is the form field's ``max`` (what the form accepts)."""
    per = (getattr(procedure, "fee_schedule", None) or {}).get("per")
    if not per:
        return None
    rates = tuple((int(r.get("from", 1)), int(r["amount"])) for r in per["rates"])
    counted = [f for page in procedure.form for f in page["fields"] if f["name"] == per["field"]]
    bound = int(counted[0].get("max") or MAX_UNITS) if counted else MAX_UNITS
    return PerUnit(per["field"], per.get("unit", "copy"), rates, bound, per.get("cap"))


def units_answered(per: PerUnit | None, answers: dict[str, Any] | None) -> int:
    """How many copies or pages the answers ask for; 1 when the answer is not a number from 1 to the schedule's
    maximum (the form refuses it: a draft is never quoted for an answer it could not be sent with)."""
    if per is None:
        return 1
    try:
        number = float(str((answers or {}).get(per.field, "1")).replace(",", "."))
    except ValueError:
        return 1
    return int(number) if number.is_integer() and 1 <= number <= per.max else 1


def fee_quote(procedure: Any, answers: dict[str, Any] | None = None) -> FeeQuote:
    """The fee of ``procedure``, for the copies or pages ``answers`` ask for (one without answers)."""
    options = [FeeOption(o["key"], o["label"], int(o["amount"]), o.get("proof", ""))
               for o in (procedure.fee_options or [])]
    per = per_unit(procedure)
    return FeeQuote(int(procedure.fee or 0), options, per, units_answered(per, answers))


def with_base(quote: FeeQuote, amount: int) -> FeeQuote:
    """The quote with a province's own fixed amount (``province_terms``): the standard option's too."""
    if not quote.options:
        return replace(quote, base=amount)
    options = [replace(o, amount=amount) if o.key == "standard" else o for o in quote.options]
    return replace(quote, base=amount, options=options)


def proof_for(procedure: Any, option: str) -> dict | None:
    """The document spec proving the right to fee ``option`` (a reduced fee for a named group), if it needs one."""
    key = next((o.proof for o in fee_quote(procedure).options if o.key == option), "")
    return next((d for d in procedure.documents if d["key"] == key), None) if key else None


def charged(procedure: Any) -> bool:
    """A fee is due: the dossier is sent by paying it (free procedures are sent as before)."""
    return fee_quote(procedure).charged


def schedule_problems(item: dict[str, Any]) -> list[str]:
    """What is wrong with a procedure's ``fee_schedule`` (empty when it can be published)."""
    schedule = item.get("fee_schedule")
    if schedule is None:
        return []
    problems = []
    if not isinstance(schedule.get("amount"), int) or schedule["amount"] < 0:
        problems.append(gettext("The fee schedule needs an amount in đồng (0 or more)"))
    fields = {f["name"]: f for page in item.get("form", []) for f in page["fields"]}
    per = schedule.get("per")
    if per is not None:
        counted = fields.get(per.get("field", ""), {})
        if counted.get("type") != "number" or not counted.get("integer") or (counted.get("min") or 0) < 1 \
                or not counted.get("max"):
            problems.append(gettext("A fee per copy or page counts a number field of the form, in whole numbers "
                                    "from 1 to a maximum"))
        if per.get("unit", "copy") not in UNITS or not per.get("rates") or any(
                not isinstance(r.get("amount"), int) or r["amount"] < 0 or int(r.get("from", 1)) < 1
                for r in per["rates"]) or not isinstance(per.get("cap", 1), int) or per.get("cap", 1) < 1:
            problems.append(gettext("A fee per copy or page needs a unit (copy or page) and its amounts"))
    documents = {d["key"] for d in item.get("documents", [])}
    keys = ["standard"]
    for group in schedule.get("groups", []):
        if not group.get("key") or group["key"] in keys or not group.get("label", {}).get("vi"):
            problems.append(gettext("Each group with its own fee needs its own key and a name"))
        if not isinstance(group.get("amount"), int) or group["amount"] < 0:
            problems.append(gettext("Each group with its own fee needs an amount in đồng (0 or more)"))
        if group.get("proof") not in documents:
            problems.append(gettext("Each group with its own fee names the document that proves it"))
        keys.append(group.get("key", ""))
    return problems


def from_schedule(item: dict[str, Any]) -> dict[str, Any]:
    """The procedure's fee columns from its ``fee_schedule``: the amount, the options (the standard fee first, then
    each group), and the schedule itself. Without a schedule, its ``fee`` and ``fee_options`` as written."""
    schedule = item.get("fee_schedule")
    if schedule is None:
        return {"fee": item.get("fee") or 0, "fee_options": item.get("fee_options"), "fee_schedule": None}
    groups = schedule.get("groups") or []
    options = [{"key": "standard", "label": STANDARD_LABEL, "amount": schedule["amount"]}] if groups else []
    options += [{k: g[k] for k in ("key", "label", "amount", "proof")} for g in groups]
    return {"fee": schedule["amount"], "fee_options": options or None, "fee_schedule": schedule}
