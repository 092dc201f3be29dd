"""The coverage selector (R-PTY-04/05, D10): each figure, what changes it, and the rows behind."""

from __future__ import annotations

import datetime

import pytest
from django.test.utils import override_settings

from partybuilding.choices import Formation
from partybuilding.selectors import ORG_FIGURES, organizations_for_figure, party_coverage
from partybuilding.services import (
    coverage_add,
    coverage_end,
    member_count_record,
    party_organization_change,
    party_organization_dissolve,
)
from registry.models import Organization
from registry.services import organization_transition
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory, decision_fields

from .factories import make_assignment, make_party_organization, street_body

pytestmark = pytest.mark.django_db

D = datetime.date
ON = D(2022, 6, 30)


def figures(day=ON, organizations=None) -> dict:
    return {f.key: f.value for f in party_coverage(day=day, organizations=organizations).figures()}


def other_figures(before: dict, after: dict) -> dict:
    return {
        k: (before.get(k), after.get(k))
        for k in before.keys() | after.keys()
        if before.get(k) != after.get(k)
    }


@pytest.fixture
def world():
    """6 registered organizations: one single branch (street), one joint branch of two
    (district committee), one with an instructor, one with 2 members uncovered, one with none."""
    unit = SupervisingUnitFactory()
    orgs = [OrganizationFactory(supervising_unit=unit) for _ in range(6)]
    single = make_party_organization(
        organizations=[orgs[0]], superior_body=street_body(), approved_on=D(2021, 3, 1)
    )
    joint = make_party_organization(
        organizations=orgs[1:3],
        formation=Formation.JOINT,
        full_members=4,
        probationary_members=2,
        approved_on=D(2020, 5, 1),
    )
    make_assignment(organization=orgs[3], started_on=D(2021, 1, 1))
    member_count_record(organization=orgs[4], as_of=D(2022, 1, 1), full_members=2)
    return {"unit": unit, "orgs": orgs, "single": single, "joint": joint}


def test_figures_on_a_date(world):
    f = figures()
    assert f["registered"] == 6
    assert f["with_members"] == 4  # three covered + the counted one
    assert f["covered"] == 3
    assert f["covered_single"] == 1
    assert f["covered_joint"] == 2
    assert f["work_covered"] == 1
    assert f["uncovered_with_members"] == 1
    assert f["two_coverage"] == 4
    assert f["covered_rate"] == 50.0
    assert f["two_coverage_rate"] == pytest.approx(66.67)
    assert f["party_organizations"] == 2
    assert f["party_organizations_single"] == 1
    assert f["party_organizations_joint"] == 1
    assert f["party_organizations_direct"] == 1
    assert f["party_organizations_direct_members"] == 6
    assert f["party_organizations_founded_in_year"] == 0
    assert figures(D(2021, 12, 31))["party_organizations_founded_in_year"] == 1


def test_rows_behind_each_figure_match_the_counts(world):
    f = figures()
    for key, _label in [*ORG_FIGURES, ("two_coverage", "")]:
        rows = organizations_for_figure(figure=key, day=ON, queryset=Organization.objects.all())
        assert rows.count() == f[key], key


def test_adding_a_party_organization_changes_exactly_its_figures(world):
    before = figures()
    make_party_organization(
        organizations=[world["orgs"][5]],
        approved_on=D(2022, 2, 1),
        full_members=3,
        probationary_members=0,
    )
    changed = other_figures(before, figures())
    assert set(changed) == {
        "with_members",
        "covered",
        "covered_single",
        "two_coverage",
        "covered_rate",
        "single_rate",
        "two_coverage_rate",
        "party_organizations",
        "party_organizations_single",
        "party_organizations_direct",
        "party_organizations_direct_members",
        "party_organizations_founded_in_year",
        "superior_body:FT-PC-D00",
    }
    assert changed["party_organizations_direct_members"] == (6, 9)


def test_moving_a_party_organization_changes_only_the_superior_figures(world):
    before = figures()
    party_organization_change(party_organization=world["single"], superior_body=street_body(1))
    changed = other_figures(before, figures())
    assert set(changed) == {"superior_body:FT-PC-S01", "superior_body:FT-PC-S02"}


def test_dissolved_organization_stops_counting_from_its_date(world):
    party_organization_dissolve(
        party_organization=world["single"], on=D(2022, 6, 30), doc_no="福社党〔2022〕9号"
    )
    assert figures(D(2022, 6, 29))["covered_single"] == 1
    after = figures(D(2022, 6, 30))
    assert after["covered_single"] == 0
    assert after["party_organizations"] == 1
    assert after["with_members"] == 3


def test_joint_coverage_follows_membership_dates(world):
    newcomer = OrganizationFactory(supervising_unit=world["unit"])
    cov = coverage_add(
        party_organization=world["joint"], organization=newcomer, joined_on=D(2022, 3, 1)
    )
    coverage_end(coverage=cov, left_on=D(2022, 5, 1))
    assert figures(D(2022, 2, 28))["covered_joint"] == 2
    assert figures(D(2022, 3, 1))["covered_joint"] == 3
    assert figures(D(2022, 4, 30))["covered_joint"] == 3
    assert figures(D(2022, 5, 1))["covered_joint"] == 2


def test_revoked_organization_leaves_numerator_and_denominator(world):
    org = world["orgs"][0]
    organization_transition(organization=org, to="revoked", on=D(2022, 2, 1), **decision_fields())
    f = figures()
    assert f["registered"] == 5
    assert f["covered"] == 2


def test_department_sees_only_its_own(world):
    other_unit = SupervisingUnitFactory()
    make_party_organization(unit=other_unit)
    mine = figures(organizations=Organization.objects.filter(supervising_unit=world["unit"]))
    assert mine["registered"] == 6
    assert mine["party_organizations"] == 2
    theirs = figures(organizations=Organization.objects.filter(supervising_unit=other_unit))
    assert theirs["registered"] == 1
    assert theirs["party_organizations"] == 1
    assert theirs["covered"] == 1
    nobody = figures(organizations=Organization.objects.none())
    assert nobody["registered"] == 0 and nobody["party_organizations"] == 0


def only_first_two(day):
    return Organization.objects.registered_on(day).order_by("id")[:0] | Organization.objects.filter(
        pk__in=Organization.objects.registered_on(day).order_by("id").values("pk")[:2]
    )


@override_settings(PARTY_COVERAGE_DENOMINATOR="tests.partybuilding.test_selectors.only_first_two")
def test_denominator_is_configurable(world):
    f = figures()
    assert f["registered"] == 2
    assert f["covered"] == 2


@pytest.mark.postgres_only  # SQLite counts each figure by its own query: 7 + 2, also constant
def test_constant_number_of_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        party_coverage(day=ON)


@pytest.mark.parametrize("day", [D(2020, 12, 31), D(2021, 6, 1), ON])
def test_row_lookups_and_whole_table_statements_agree(world, monkeypatch, day):
    """A small scope is answered by index lookups, a large one by reading the tables once:
    both must give the same figures."""
    import partybuilding.selectors as selectors

    newcomer = OrganizationFactory(supervising_unit=world["unit"])
    coverage_add(party_organization=world["joint"], organization=newcomer, joined_on=D(2021, 3, 1))
    everything = Organization.objects.all()
    by_rows = figures(day, organizations=everything)
    monkeypatch.setattr(selectors, "ROW_LOOKUP_LIMIT", 0)
    whole = figures(day, organizations=everything)
    assert by_rows == whole == figures(day)
