"""`seed_demo`: the Futian figures, valid codes, idempotence and determinism, and the COPY path."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q

from registry.choices import (
    LEGAL_STATUS_DECISIONS,
    LifecycleDecisionKind,
    LifecycleStatus,
    OrganizationType,
    SupervisingUnitKind,
)
from registry.demo import STREETS, SYNTHETIC_CHANGE_REASON, synthetic_uscc
from registry.demo.synthetic import _SyntheticRows
from registry.models import (
    IndustryCategory,
    LifecycleDecision,
    Organization,
    Rating,
    SupervisingUnit,
)
from registry.selectors import revocations
from registry.uscc import uscc_problems

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2022, 6, 30)


# The register's own steps: other apps' demo data is asserted by their own tests.
REGISTER_ONLY = ("--step", "registry.supervising_units", "--step", "registry.register")


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *(args or REGISTER_ONLY), stdout=out)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "organization_history": Organization.history.count(),
        "ratings": Rating.objects.count(),
        "rating_history": Rating.history.count(),
        "units": SupervisingUnit.objects.count(),
        "unit_history": SupervisingUnit.history.count(),
        "decisions": LifecycleDecision.objects.count(),
    }


def register_snapshot() -> list[tuple]:
    return list(
        Organization.objects.order_by("uscc").values_list(
            "uscc",
            "name",
            "org_type",
            "industry_category__code",
            "supervising_unit__code",
            "legal_representative",
            "domicile",
            "established_on",
            "status",
            "deregistered_on",
            "revoked_on",
        )
    )


def test_demo_register_has_futians_figures():
    seed()
    on_date = Organization.objects.registered_on
    today = on_date(AS_OF)
    assert today.count() == 765
    assert today.filter(org_type=OrganizationType.PRIVATE_NON_ENTERPRISE).count() == 473
    assert today.filter(org_type=OrganizationType.SOCIAL_GROUP).count() == 292
    assert today.filter(is_industry_association=True).count() == 22
    # DESIGN.md §4.2 checks the sample size with these two: 811 → 81, 766 → 77.
    assert on_date(datetime.date(2021, 6, 1)).count() == 811
    assert on_date(datetime.date(2022, 6, 1)).count() == 766
    # The party report of 2021 divides by the register at year end: 166 / 772 = 21.5%.
    assert on_date(datetime.date(2021, 12, 31)).count() == 772
    # No lifecycle event after 2022-06-30: the register of that day is today's register.
    assert Organization.objects.registered().count() == 765
    assert set(Organization.objects.registered().values_list("pk", flat=True)) == set(
        today.values_list("pk", flat=True)
    )


def test_demo_register_uses_all_fifteen_industry_categories():
    seed()
    used = Organization.objects.registered_on(AS_OF).values("industry_category").distinct().count()
    assert used == IndustryCategory.objects.count() == 15


def test_every_demo_uscc_is_valid_futian_code_without_warnings():
    seed()
    rows = list(Organization.objects.values_list("uscc", "org_type"))
    assert len(rows) > 765
    problems = {
        uscc: uscc_problems(uscc, org_type=org_type, division_code="440304")
        for uscc, org_type in rows
    }
    assert {u: p for u, p in problems.items() if p} == {}
    assert all(uscc[2:8] == "440304" for uscc, _ in rows)


def test_demo_supervising_units_include_the_ten_street_offices():
    seed()
    streets = SupervisingUnit.objects.filter(kind=SupervisingUnitKind.STREET_OFFICE)
    assert sorted(streets.values_list("name", flat=True)) == sorted(
        f"福田区{s}街道办事处" for s in STREETS
    )
    departments = SupervisingUnit.objects.filter(kind=SupervisingUnitKind.DISTRICT_DEPARTMENT)
    assert 15 <= departments.count() <= 20
    assert departments.filter(name="福田区教育局").exists()
    # Street offices actually supervise organizations, and industry associations are
    # directly registered (R-ORG-03).
    assert Organization.objects.filter(supervising_unit__in=streets).count() > 50
    assert not Organization.objects.filter(
        is_industry_association=True, supervising_unit__isnull=False
    ).exists()
    # Education organizations sit mostly under the education bureau.
    education = Organization.objects.filter(industry_category__code=4)
    assert education.filter(supervising_unit__name="福田区教育局").count() > education.count() / 2


def test_demo_lifecycle_dates_are_consistent_and_recorded_in_history():
    seed()
    orgs = Organization.objects.all()
    assert not orgs.filter(
        status=LifecycleStatus.DEREGISTERING, deregistration_started_on__isnull=True
    ).exists()
    assert not orgs.filter(
        status=LifecycleStatus.DEREGISTERED, deregistration_started_on__isnull=True
    ).exists()
    assert orgs.filter(status=LifecycleStatus.DEREGISTERING).exists()
    assert orgs.filter(status=LifecycleStatus.REVOKED).exists()
    late = (
        Q(established_on__gt=AS_OF)
        | Q(deregistration_started_on__gt=AS_OF)
        | Q(deregistered_on__gt=AS_OF)
        | Q(revoked_on__gt=AS_OF)
    )
    assert not orgs.filter(late).exists()
    assert not orgs.filter(deregistered_on__lt=datetime.date(2015, 1, 1)).exists()
    # History written for every bulk-created row: one '+' each, one '~' per status change.
    history = Organization.history.all()
    assert history.filter(history_type="+").count() == orgs.count()
    changes = (
        orgs.filter(deregistration_started_on__isnull=False).count()
        + orgs.filter(deregistered_on__isnull=False).count()
        + orgs.filter(revoked_on__isnull=False).count()
    )
    assert history.filter(history_type="~").count() == changes
    gone = orgs.filter(status=LifecycleStatus.DEREGISTERED).first()
    assert list(
        Organization.history.filter(id=gone.pk)
        .order_by("history_date")
        .values_list("status", flat=True)
    ) == ["active", "deregistering", "deregistered"]
    # Ratings: a plausible subset, each with its history row.
    ratings = Rating.objects.all()
    assert 50 < ratings.count() < 300
    assert Rating.history.count() == ratings.count()
    assert set(ratings.values_list("grade", flat=True)) == {"1A", "2A", "3A", "4A", "5A"}


def test_every_demo_lifecycle_change_has_its_documented_decision_r_xc_03():
    seed()
    orgs = Organization.objects.all()
    decisions = LifecycleDecision.objects.all()
    for kind, field in (
        (LifecycleDecisionKind.REVOCATION, "revoked_on"),
        (LifecycleDecisionKind.DEREGISTRATION, "deregistered_on"),
        (LifecycleDecisionKind.DEREGISTRATION_STARTED, "deregistration_started_on"),
    ):
        expected = set(orgs.filter(**{f"{field}__isnull": False}).values_list("pk", field))
        assert expected
        assert (
            set(decisions.filter(kind=kind).values_list("organization", "decided_on")) == expected
        )
    documented = decisions.filter(kind__in=LEGAL_STATUS_DECISIONS)
    assert not documented.filter(Q(document_no="") | Q(authority="") | Q(facts="")).exists()
    numbers = list(documented.values_list("document_no", flat=True))
    assert len(numbers) == len(set(numbers))
    # R-CRD-05(7) reads the revocations since 2021 from the selector.
    since_2021 = orgs.filter(revoked_on__gte=datetime.date(2021, 1, 1)).count()
    assert revocations(since=datetime.date(2021, 1, 1)).count() == since_2021 > 0


def test_second_run_adds_nothing_and_says_so():
    seed()
    before = table_counts()
    out = seed()
    assert "已存在" in out
    assert table_counts() == before


def test_a_partial_demo_set_is_completed_without_duplicates():
    seed()
    before = table_counts()
    # One with no lifecycle decision: decisions are append-only even below the ORM.
    removed = Organization.objects.filter(lifecycle_decisions=None).order_by("uscc").first()
    # Simulate a set with one organization missing: the register forbids deletes, so go
    # below the queryset (the history row of the removed organization stays, like an audit).
    Rating.objects.filter(organization=removed)._raw_delete(Rating.objects.db)
    Organization.objects.filter(pk=removed.pk)._raw_delete(Organization.objects.db)
    seed()
    assert Organization.objects.count() == before["organizations"]
    assert Organization.objects.filter(uscc=removed.uscc, name=removed.name).exists()


def test_two_runs_on_fresh_data_give_identical_registers():
    snapshots = []
    for _ in range(2):
        with transaction.atomic():
            seed()
            snapshots.append(
                register_snapshot()
                + list(
                    LifecycleDecision.objects.order_by("organization_uscc", "kind").values_list(
                        "organization_uscc", "kind", "decided_on", "document_no", "facts"
                    )
                )
            )
            transaction.set_rollback(True)
    assert Organization.objects.count() == 0
    assert len(snapshots[0]) > 765
    assert snapshots[0] == snapshots[1]


def test_synthetic_register_through_copy_has_unique_valid_codes_and_history():
    out = seed("--orgs", "2000")
    assert "2,000" in out
    synthetic = Organization.objects.filter(uscc__contains="MJY")
    assert synthetic.count() == 2000
    rows = list(synthetic.values_list("uscc", "org_type"))
    assert len({u for u, _ in rows}) == 2000
    assert [
        (u, p) for u, t in rows if (p := uscc_problems(u, org_type=t, division_code="440304"))
    ] == []
    history = Organization.history.filter(uscc__contains="MJY")
    assert history.count() == 2000
    assert set(history.values_list("history_type", "history_change_reason")) == {
        ("+", SYNTHETIC_CHANGE_REASON)
    }
    assert set(history.values_list("id", flat=True)) == set(synthetic.values_list("pk", flat=True))
    # The constraints of the model hold for every generated row (the COPY would have
    # failed otherwise); the mix has every lifecycle status.
    statuses = dict(synthetic.values_list("status").annotate(n=Count("id")).order_by())
    assert set(statuses) == set(LifecycleStatus.values)
    assert not synthetic.filter(
        status=LifecycleStatus.DEREGISTERING, deregistration_started_on__isnull=True
    ).exists()


def test_synthetic_register_is_skipped_when_present_and_extended_when_larger():
    seed("--orgs", "1200")
    first = list(Organization.objects.order_by("uscc").values_list("uscc", "name"))
    out = seed("--orgs", "1200")
    assert "未做改动" in out
    assert Organization.objects.count() == 1200
    seed("--orgs", "1500")
    assert Organization.objects.count() == 1500
    assert Organization.history.count() == 1500
    assert set(first) <= set(Organization.objects.values_list("uscc", "name"))


def test_synthetic_row_is_the_same_whatever_the_starting_point():
    rows = _SyntheticRows({}, {code: code for code in range(1, 16)})
    whole = list(rows.rows(0, 60_010))
    assert list(rows.rows(49_990, 50_010)) == whole[49_990:50_010]
    assert [r[0] for r in whole[:3]] == [
        synthetic_uscc(0, whole[0][2]),
        synthetic_uscc(1, whole[1][2]),
        synthetic_uscc(2, whole[2][2]),
    ]
