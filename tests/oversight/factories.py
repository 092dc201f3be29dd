"""Factories of supervision records."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import factory

from oversight.credit.choices import PenaltyKind
from oversight.credit.models import Penalty, SpecialLetter
from oversight.inspections.choices import AuditKind, DrawKind, InspectionOutcome, InspectionStatus
from oversight.inspections.models import (
    Audit,
    Inspection,
    InspectionDraw,
    Inspector,
    InspectorConflict,
)
from tests.registry.factories import OrganizationFactory


class InspectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspector

    code = factory.Sequence(lambda n: f"FT-{n:03d}")
    name = factory.Sequence(lambda n: f"检查员{n}")
    unit = "福田区民政局"


class InspectorConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectorConflict

    inspector = factory.SubFactory(InspectorFactory)
    organization = factory.SubFactory(OrganizationFactory)
    reason = "近亲属任职"
    declared_on = datetime.date(2020, 1, 1)


class AuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audit

    organization = factory.SubFactory(OrganizationFactory)
    kind = AuditKind.LIQUIDATION
    firm = "深圳某会计师事务所"
    commissioned_on = datetime.date(2021, 3, 1)
    completed_on = datetime.date(2021, 4, 1)
    report_no = factory.Sequence(lambda n: f"深审字〔2021〕{n}号")


# ------------------------------------------------------------------ zombie cases (issue 5)


class ZombieCaseFactory(factory.django.DjangoModelFactory):
    """A cleanup case written directly (tests of reads); the service opens real ones."""

    class Meta:
        model = "oversight.ZombieCase"

    organization = factory.SubFactory(OrganizationFactory)
    criteria = factory.LazyFunction(lambda: ["R-ZMB-01(1)"])
    stage = "identified"
    identified_on = datetime.date(2022, 8, 1)


# ------------------------------------------------------------------ credit lists (DOMAIN.md §3)


class PenaltyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Penalty

    organization = factory.SubFactory(OrganizationFactory)
    kind = PenaltyKind.WARNING
    amount = factory.LazyAttribute(
        lambda p: Decimal("1000.00") if p.kind == PenaltyKind.FINE else Decimal("0")
    )
    decided_on = datetime.date(2024, 3, 1)
    decision_no = factory.Sequence(lambda n: f"福民罚〔2024〕{n}号")
    authority = "深圳市福田区民政局"
    facts = "未按规定开展活动"


class SpecialLetterFactory(factory.django.DjangoModelFactory):
    """An unsigned letter the post returned a week after sending (R-CRD-03)."""

    class Meta:
        model = SpecialLetter

    organization = factory.SubFactory(OrganizationFactory)
    sent_on = datetime.date(2024, 3, 1)
    tracking_no = factory.Sequence(lambda n: f"EMS{n:09d}")
    signed_for = False
    returned_on = factory.LazyAttribute(
        lambda x: None if x.signed_for else x.sent_on + datetime.timedelta(days=7)
    )


class InspectionDrawFactory(factory.django.DjangoModelFactory):
    """A draw row in the `created` state, for attaching hand-made inspections."""

    class Meta:
        model = InspectionDraw

    kind = DrawKind.SPECIAL_INSPECTION
    year = 2023
    round = factory.Sequence(lambda n: n + 1)
    ratio = Decimal("1")
    population_rule = "测试名录"
    population_as_of = datetime.date(2023, 6, 1)
    population_size = 1
    sample_size = 1
    population_text = "x"
    population_hash = "0" * 64
    roster_text = "x"
    roster_hash = "0" * 64
    conflicts_hash = "0" * 64
    nonce = b"nonce"
    nonce_hash = "0" * 64


class RectificationInspectionFactory(factory.django.DjangoModelFactory):
    """A completed inspection that ordered rectification (R-CRD-02(3))."""

    class Meta:
        model = Inspection

    draw = factory.SubFactory(InspectionDrawFactory)
    organization = factory.SubFactory(OrganizationFactory)
    position = 1
    status = InspectionStatus.COMPLETED
    completed_on = datetime.date(2023, 9, 1)
    findings = "财务制度不健全"
    outcome = InspectionOutcome.RECTIFICATION_REQUIRED
    rectification_deadline = datetime.date(2023, 12, 31)


_clerks = itertools.count(1)


def make_clerks(n: int = 2) -> list:
    """Bureau staff who propose and approve credit decisions (four eyes)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return [
        User.objects.create_user(f"credit-clerk-{next(_clerks)}", is_staff=True) for _ in range(n)
    ]


def make_listing(
    organization,
    ground: str,
    decided_on: datetime.date,
    *,
    evidence: dict | None = None,
    clerks: list | None = None,
):
    """A listing decision taken by two clerks through the service (never a bare insert)."""
    from oversight.credit.choices import CreditList
    from oversight.credit.services import credit_listing_create

    proposer, approver = clerks or make_clerks()
    return credit_listing_create(
        organization=organization,
        list_type=CreditList.SERIOUS if ground.startswith("R-CRD-05") else CreditList.ABNORMAL,
        ground=ground,
        facts="测试事实",
        decided_on=decided_on,
        proposed_by=proposer,
        approved_by=approver,
        evidence=evidence,
    )
