"""What a procedure costs: free, a fixed fee, or one of its options (``Procedure.fee_options``).

The rules read the procedure only; whether a dossier's fee was paid is ``payments.fees``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FeeOption:
    key: str
    label: dict[str, str]  # {"vi": ..., "en": ...}
    amount: int  # VND
    proof: str = ""  # the key of the document (in the procedure's documents) that entitles one to this option


@dataclass(frozen=True)
class FeeQuote:
    """The fee as the check page shows it: a fixed amount, or options to choose from."""

    base: int
    options: list[FeeOption] = field(default_factory=list)

    @property
    def charged(self) -> bool:
        return self.base > 0 or any(o.amount > 0 for o in self.options)

    @property
    def free_option(self) -> bool:
        """One of the options costs nothing: a dossier sent under it has no payment."""
        return any(o.amount == 0 for o in self.options)

    def amount_for(self, option: str) -> int | None:
        """The amount to pay; None when the procedure has options and ``option`` is not one of them."""
        if not self.options:
            return self.base
        return next((o.amount for o in self.options if o.key == option), None)


def fee_quote(procedure: Any) -> FeeQuote:
    options = [FeeOption(o["key"], o["label"], int(o["amount"]), o.get("proof", ""))
               for o in (procedure.fee_options or [])]
    return FeeQuote(int(procedure.fee or 0), options)


def proof_for(procedure: Any, option: str) -> dict | None:
    """The document spec proving the right to fee ``option`` (a reduced fee for a named group), if it needs one."""
    key = next((o.proof for o in fee_quote(procedure).options if o.key == option), "")
    return next((d for d in procedure.documents if d["key"] == key), None) if key else None


def charged(procedure: Any) -> bool:
    """A fee is due: the dossier is sent by paying it (free procedures are sent as before)."""
    return fee_quote(procedure).charged
