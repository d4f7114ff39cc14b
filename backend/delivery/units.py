"""The administrative units the delivery address picker offers: they live in ``backend/core/units.py`` now, below
the catalogue, whose agency directory is built from the same list."""

from backend.core.units import Unit, fold, province, provinces, search, ward, wards

__all__ = ["Unit", "fold", "province", "provinces", "search", "ward", "wards"]
