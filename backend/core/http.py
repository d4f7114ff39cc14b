"""What every external-service adapter shares: a base URL, a bearer key, the app's HTTP client, a timeout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class JsonService:
    base_url: str
    api_key: str
    client: httpx.AsyncClient
    timeout: float = 10.0

    async def post_json(self, path: str, body: dict[str, Any]) -> httpx.Response:
        """``POST {base_url}{path}`` with the key; network errors are the caller's to translate."""
        return await self.client.post(
            f"{self.base_url.rstrip('/')}{path}",
            json=body,
            headers={"Authorization": f"Bearer {self.api_key}"},
            timeout=self.timeout,
        )
