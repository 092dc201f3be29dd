"""Fixtures of the funding tests: a test obstacle provider standing in for oversight's."""

from __future__ import annotations

import datetime

import pytest

from common import eligibility


class ListedProvider:
    """Obstacles by date ranges: `list(org, since, until)` bars the organization from `since`
    until the day before `until` (None: still listed), like a credit listing and removal."""

    def __init__(self) -> None:
        self.listings: list[tuple[int, datetime.date, datetime.date | None, str]] = []
        self.calls: list[tuple[object, datetime.date]] = []

    def list(self, org, since, until=None, reason="列入活动异常名录"):
        self.listings.append((org.pk, since, until, reason))

    def remove(self, org, on):
        self.listings = [
            (pk, s, on if pk == org.pk and u is None else u, r) for pk, s, u, r in self.listings
        ]

    def __call__(self, ids, on):
        self.calls.append((ids, on))
        found: dict[int, list[str]] = {}
        for pk, since, until, reason in self.listings:
            if (ids is None or pk in ids) and since <= on and (until is None or on < until):
                found.setdefault(pk, []).append(f"{reason}（{since}）")
        return found


@pytest.fixture
def listed():
    provider = ListedProvider()
    eligibility.register_obstacle_provider(provider)
    yield provider
    eligibility.unregister_obstacle_provider(provider)


@pytest.fixture(autouse=True)
def _only_test_providers():
    """Funding's tests state their obstacles themselves: providers other apps register (e.g.
    oversight's credit and report checks) are set aside for the test and put back after."""
    saved = list(eligibility._providers)
    eligibility._providers.clear()
    yield
    eligibility._providers[:] = saved


@pytest.fixture(autouse=True)
def _working_day_calendar(request):
    """Transactional tests flush every table, the seeded calendar (D18) included; put it back
    so a five-working-day notice counts the same whichever test ran before."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db"} & set(request.fixturenames):
        return
    request.getfixturevalue(
        "transactional_db" if marker and marker.kwargs.get("transaction") else "db"
    )
    import importlib

    from django.apps import apps

    from common.workdays import CalendarDay

    if not CalendarDay.objects.exists():
        importlib.import_module("common.migrations.0002_calendar_day").seed_calendar(apps, None)
