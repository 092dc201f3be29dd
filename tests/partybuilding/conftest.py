"""Transactional tests flush every table, seeded ones included: put ours back."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _party_reference_data(request):
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        return
    from partybuilding.reference import reference_data_ensure

    request.getfixturevalue(
        "transactional_db" if marker and marker.kwargs.get("transaction") else "db"
    )
    reference_data_ensure()
