"""What a procedure costs: free, a fixed fee, or one of its options (``Procedure.fee_options``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FeeOption:
    key: str
    label: dict[str, str]  # {"vi": ..., "en": ...}
    amount: int  # VND


@dataclass(frozen=True)
class FeeQuote:
    """The fee as the check page shows it: a fixed amount, or options to choose from."""

    base: int
    options: list[FeeOption] = field(default_factory=list)

    @property
    def charged(self) -> bool:
        return self.base > 0 or any(o.amount > 0 for o in self.options)

    def amount_for(self, option: str) -> int | None:
        """The amount to pay; None when the procedure has options and ``option`` is not one of them."""
        if not self.options:
            return self.base
        return next((o.amount for o in self.options if o.key == option), None)


def fee_quote(procedure: Any) -> FeeQuote:
    options = [FeeOption(o["key"], o["label"], int(o["amount"])) for o in (procedure.fee_options or [])]
    return FeeQuote(int(procedure.fee or 0), options)


def charged(procedure: Any) -> bool:
    """A fee is due: the dossier is sent by paying it (free procedures are sent as before)."""
    return fee_quote(procedure).charged
