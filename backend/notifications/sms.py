"""SMS gateway adapter: a small JSON-over-HTTPS protocol, as most Vietnamese SMS brand-name gateways offer.

``POST {base}/v1/messages`` with ``Authorization: Bearer <key>`` and ``{"to", "sender", "text"}``
answers ``202 {"id", "status": "queued"}``. The sandbox in ``backend.sandboxes.sms`` speaks the
same protocol, so the code below is the code that runs against a real gateway.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

SENDER = "DVCQG"


class SmsError(Exception):
    """The gateway did not accept the message."""


@dataclass
class HttpSmsGateway:
    base_url: str
    api_key: str
    client: httpx.AsyncClient
    timeout: float = 10.0

    async def send(self, to: str, text: str) -> str:
        """Hand one message to the gateway; returns the gateway's message id."""
        try:
            response = await self.client.post(
                f"{self.base_url.rstrip('/')}/v1/messages",
                json={"to": to, "sender": SENDER, "text": text},
                headers={"Authorization": f"Bearer {self.api_key}"},
                timeout=self.timeout,
            )
        except httpx.HTTPError as exc:
            raise SmsError(f"SMS gateway unreachable: {type(exc).__name__}") from exc
        if response.status_code != 202:
            raise SmsError(f"SMS gateway refused the message: HTTP {response.status_code}")
        return response.json()["id"]
