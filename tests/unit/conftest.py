"""Unit tests read messages in English, the source language, whatever the portal's default."""

import pytest

from backend.core.i18n import current_locale


@pytest.fixture(autouse=True)
def english():
    token = current_locale.set("en")
    yield
    current_locale.reset(token)
