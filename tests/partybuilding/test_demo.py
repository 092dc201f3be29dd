"""The party-building demo gives the issue's figures, by queries, and is idempotent."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from common.credit_triggers import credit_triggers
from partybuilding.models import (
    DemonstrationPoint,
    InstructorAssignment,
    PartyMemberCount,
    PartyOrganization,
    VolunteerActivity,
)
from partybuilding.selectors import party_coverage
from registry.models import Organization

STEPS = ["registry.supervising_units", "registry.register", "partybuilding.demo"]
MODELS = (
    PartyOrganization,
    PartyMemberCount,
    InstructorAssignment,
    VolunteerActivity,
    DemonstrationPoint,
)


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", *[a for step in STEPS for a in ("--step", step)], stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeded twice inside one transaction for the module, undone at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        from partybuilding.reference import reference_data_ensure

        reference_data_ensure()
        first = _seed()
        counts = {m.__name__: m.objects.count() for m in MODELS}
        second = _seed()
        yield {"first": first, "second": second, "counts": counts}
        transaction.set_rollback(True)


def figures(day: datetime.date) -> dict:
    return {f.key: f.value for f in party_coverage(day=day).figures()}


@pytest.mark.django_db
class TestPartyDemo:
    def test_figures_on_2022_06_30(self, seeded):
        f = figures(datetime.date(2022, 6, 30))
        assert f["with_members"] == 383
        assert f["party_organizations"] == 157
        assert (f["party_organizations_single"], f["party_organizations_joint"]) == (142, 15)
        assert (f["party_organizations_direct"], f["party_organizations_other"]) == (48, 109)
        assert f["party_organizations_direct_members"] == 296
        assert f["covered"] == 178
        assert f["work_covered"] == 105

    def test_figures_on_2021_12_31(self, seeded):
        day = datetime.date(2021, 12, 31)
        f = figures(day)
        assert f["party_organizations"] == 145
        assert f["covered"] == 166
        assert f["party_organizations_founded_in_year"] == 76
        registered = Organization.objects.registered_on(day).count()
        assert f["registered"] == registered
        assert f["covered_rate"] == round(100 * 166 / registered, 2)

    def test_trigger_finds_the_demo_cases(self, seeded):
        trigger = next(t for t in credit_triggers() if t.ground == "R-CRD-02(2)")
        assert len(trigger.candidates(datetime.date(2022, 6, 30))) == 5

    def test_second_run_changes_nothing(self, seeded):
        assert {m.__name__: m.objects.count() for m in MODELS} == seeded["counts"]
        assert "党建演示数据已存在" in seeded["second"]
        assert seeded["counts"]["DemonstrationPoint"] == 8

    def test_history_carries_the_demo_dates(self, seeded):
        po = PartyOrganization.objects.order_by("approved_on").first()
        assert po.history.earliest().history_date.date() == po.approved_on
