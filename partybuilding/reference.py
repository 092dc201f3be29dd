"""The seeded reference rows (superior bodies, volunteer domains), for code that must put
them back or refer to them: the demo and the tests of a flushed database."""

from __future__ import annotations

import importlib

from django.apps import apps as django_apps

_SEED = importlib.import_module("partybuilding.migrations.0002_reference_data")
SUPERIOR_BODIES = _SEED.SUPERIOR_BODIES
VOLUNTEER_DOMAINS = _SEED.VOLUNTEER_DOMAINS
DISTRICT_COMMITTEE_CODE = SUPERIOR_BODIES[0][0]
STREET_BODY_CODES = tuple(code for code, _name, kind in SUPERIOR_BODIES if kind == "street")
WORK_COMMITTEE_CODES = tuple(code for code, _n, kind in SUPERIOR_BODIES if kind == "work_committee")


def reference_data_ensure() -> None:
    """Create whichever seeded reference rows are missing (idempotent)."""
    _SEED.seed(django_apps)
