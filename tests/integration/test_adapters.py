"""Handlers get their adapters by name from ``create_app``, and tests swap them the same way (backend/adapters.py)."""

import pytest

from backend.app import create_app
from backend.identity.registry import Outcome, RegistryResult
from backend.sandboxes.citizens import LAN_ID_NUMBER
from tests.support import CITIZEN, Portal, reset_database, served

pytestmark = pytest.mark.integration


class RegistryDown:
    """A population registry that never answers, and remembers what it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def lookup(self, id_number: str, phone: str) -> RegistryResult:
        self.asked.append(id_number)
        return RegistryResult(Outcome.UNAVAILABLE)


async def verify(portal: Portal):
    return await portal.post_form("/account/identity", {"id_number": LAN_ID_NUMBER})


async def test_an_adapter_is_swapped_when_the_app_is_built(settings):
    down = RegistryDown()
    async with served(settings, adapters={"population_registry": lambda built: down}) as (app, client):
        await reset_database(settings.database_url)
        portal = Portal(client, app)
        await portal.sign_in(CITIZEN)
        response = await verify(portal)
        assert portal.adapters.population_registry is down
    assert response.status_code == 503 and "cannot be reached" in response.text
    assert down.asked == [LAN_ID_NUMBER]


async def test_an_adapter_is_swapped_in_a_running_app(portal):
    """Providers read the running app's adapters on every request: the next request meets the stand-in."""
    await portal.sign_in(CITIZEN)
    portal.adapters.population_registry = down = RegistryDown()
    assert (await verify(portal)).status_code == 503 and down.asked == [LAN_ID_NUMBER]


def test_an_unknown_adapter_name_is_refused_when_the_app_is_built(settings):
    with pytest.raises(ValueError, match="No adapter named population_registy"):
        create_app(settings, adapters={"population_registy": lambda built: RegistryDown()})
