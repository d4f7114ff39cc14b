"""The privacy notice's retention table, from the rules the worker applies (``retention.rules()``, read from
``retention.json``), so the notice says what the portal does, in the page's language."""

from __future__ import annotations

from dataclasses import dataclass

from backend.core.i18n import gettext, ngettext
from backend.privacy.retention import BASES, KINDS, Rule, Rules, rules


@dataclass(frozen=True)
class RetentionRow:
    kind: str
    period: str
    basis: str
    law: str
    at_end: str
    on_closure: str


def _kind(code: str) -> str:
    return str(KINDS.get(code, code))


def _basis(code: str) -> str:
    return str(BASES.get(code, code))


def law_name(text: str) -> str:
    """A law's name from the retention file, in the reader's language."""
    names = {
        "Law 91/2025/QH15 on personal data protection": gettext("Law 91/2025/QH15 on personal data protection"),
        "Decree 61/2018/ND-CP on the one-stop shop; Law on Archives":
            gettext("Decree 61/2018/ND-CP on the one-stop shop; Law on Archives"),
        "Law on Electronic Transactions 20/2023/QH15": gettext("Law on Electronic Transactions 20/2023/QH15"),
        "Law on Accounting 88/2015/QH13": gettext("Law on Accounting 88/2015/QH13"),
        "Law on Postal Services 49/2010/QH12": gettext("Law on Postal Services 49/2010/QH12"),
        "Law on Cybersecurity 24/2018/QH14": gettext("Law on Cybersecurity 24/2018/QH14"),
    }
    return names.get(text, text)


def _length(days: int) -> str:
    if days % 365 == 0:
        return ngettext("%(num)s year", "%(num)s years", days // 365, num=days // 365)
    return ngettext("%(num)s day", "%(num)s days", days, num=days)


def _period(rule: Rule) -> str:
    days = rule.period_days
    if days is None:
        return gettext("Until you close your account")
    length = _length(int(days))
    after = {
        "settled": gettext("%(length)s after the dossier is settled", length=length),
        "issued": gettext("%(length)s after it is issued", length=length),
        "paid": gettext("%(length)s after payment", length=length),
        "delivered": gettext("%(length)s after delivery", length=length),
        "updated": gettext("%(length)s after its last change", length=length),
        "created": gettext("%(length)s after it is recorded", length=length),
        "ready": gettext("%(length)s after it is ready", length=length),
    }
    return after.get(rule.counts_from, length)


def _at_end(rule: Rule) -> str:
    """What happens when the period ends, exactly as the worker does it: only "erase" and "anonymise" have an
    applier; a kept record is never promised an erasure the portal does not make."""
    if rule.period_days is None:  # its period ends with the account: closure does what on_closure says
        return _on_closure(rule)
    if rule.at_end == "erase":
        return gettext("Then the portal erases it")
    if rule.at_end == "anonymise":
        return gettext("Then the portal anonymises it (no name, address or number is left)")
    return gettext("Kept at least %(length)s; the portal does not erase it by itself. After that the agency reviews "
                   "it or hands it to the archive, as the law says.", length=_length(int(rule.period_days)))


def _on_closure(rule: Rule) -> str:
    if rule.on_closure == "keep":
        if rule.at_end == "keep":
            return gettext("Kept (the portal does not erase it by itself)")
        return gettext("Kept for the period")
    labels = {"erase": gettext("Erased"), "anonymise": gettext("Anonymised")}
    return labels.get(rule.on_closure, rule.on_closure)


def retention_rows(current: Rules | None = None) -> list[RetentionRow]:
    """Each kind of record the retention file names: how long it is kept, why, what happens at the end of its
    period and what closing an account does (the same rules the worker and closure apply)."""
    return [RetentionRow(kind=_kind(r.kind), period=_period(r), basis=_basis(r.basis), law=law_name(r.law),
                         at_end=_at_end(r), on_closure=_on_closure(r))
            for r in (current or rules()).kinds.values()]
