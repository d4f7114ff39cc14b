"""Population registry adapter: verify a citizen's identity number and read their record over JSON/HTTP.

``POST {base}/v1/citizens/verify`` with ``Authorization: Bearer <key>`` and ``{"id_number", "phone"}``
(phone as 84xxxxxxxxx) answers:

- ``200 {"status": "matched", "citizen": {...}}``: the number exists and the phone on record is this one;
- ``409 {"status": "phone_mismatch"}``: the number exists but another phone is on record (no data returned);
- ``404 {"status": "not_found"}``: no citizen has this number;
- ``401`` for a wrong key, ``400`` for a malformed request, ``5xx`` when the registry is in trouble.

The citizen record: ``id_number, full_name, birth_date`` (ISO), ``sex`` (male/female), ``ethnicity``,
``phone``, ``permanent_address {street, ward, province}`` on the administrative units in force since
1 July 2025 (provinces and communes/wards, no districts), ``relationship_to_head`` (``head`` when the
citizen heads the household) and ``household`` (the other members: ``full_name, relationship`` to the
head, ``birth_date, id_number``). The sandbox in ``backend.sandboxes.registry`` speaks the same protocol.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

import httpx

from backend.core.http import JsonService

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    MATCHED = "matched"
    MISMATCH = "mismatch"
    UNKNOWN = "unknown"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class Address:
    street: str
    ward: str
    province: str

    def one_line(self) -> str:
        return ", ".join(part for part in (self.street, self.ward, self.province) if part)


@dataclass(frozen=True)
class HouseholdMember:
    full_name: str
    relationship: str  # to the head of the household: head, wife, husband, child, father, mother...
    birth_date: date
    id_number: str


@dataclass(frozen=True)
class Citizen:
    id_number: str
    full_name: str
    birth_date: date
    sex: str  # male or female
    ethnicity: str
    phone: str
    permanent_address: Address
    relationship_to_head: str
    household: tuple[HouseholdMember, ...] = ()

    @property
    def household_head_name(self) -> str:
        if self.relationship_to_head == "head":
            return self.full_name
        return next((m.full_name for m in self.household if m.relationship == "head"), "")

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["birth_date"] = self.birth_date.isoformat()
        data["household"] = [{**asdict(m), "birth_date": m.birth_date.isoformat()} for m in self.household]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Citizen:
        return cls(
            id_number=data["id_number"],
            full_name=data["full_name"],
            birth_date=date.fromisoformat(data["birth_date"]),
            sex=data["sex"],
            ethnicity=data.get("ethnicity", ""),
            phone=data.get("phone") or "",
            permanent_address=Address(**{k: data["permanent_address"][k] for k in ("street", "ward", "province")}),
            relationship_to_head=data.get("relationship_to_head", ""),
            household=tuple(
                HouseholdMember(m["full_name"], m["relationship"], date.fromisoformat(m["birth_date"]), m["id_number"])
                for m in data.get("household", [])
            ),
        )


@dataclass(frozen=True)
class RegistryResult:
    outcome: Outcome
    citizen: Citizen | None = None


@runtime_checkable  # handlers are given one by dependency injection, which checks its type
class PopulationRegistry(Protocol):
    async def lookup(self, id_number: str, phone: str) -> RegistryResult:
        """Match ``id_number`` with the phone on record; the record only when both match."""
        ...


class HttpPopulationRegistry(JsonService):

    async def lookup(self, id_number: str, phone: str) -> RegistryResult:
        try:
            response = await self.post_json("/v1/citizens/verify", {"id_number": id_number, "phone": phone})
            body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("Population registry unreachable: %s", type(exc).__name__)
            return RegistryResult(Outcome.UNAVAILABLE)
        status = body.get("status") if isinstance(body, dict) else None
        # The status in the body is checked too: a 404 from a proxy or a wrong base URL is not "unknown".
        if response.status_code == 200 and status == "matched":
            try:
                return RegistryResult(Outcome.MATCHED, Citizen.from_json(body["citizen"]))
            except (KeyError, TypeError, ValueError):
                log.error("Population registry sent a record that does not parse")
                return RegistryResult(Outcome.UNAVAILABLE)
        if response.status_code == 409 and status == "phone_mismatch":
            return RegistryResult(Outcome.MISMATCH)
        if response.status_code == 404 and status == "not_found":
            return RegistryResult(Outcome.UNKNOWN)
        log.error("Population registry answered HTTP %s (%s)", response.status_code, status)
        return RegistryResult(Outcome.UNAVAILABLE)
