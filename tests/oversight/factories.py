"""Factories of supervision records."""

from __future__ import annotations

import datetime

import factory

from oversight.choices import AuditKind
from oversight.models import Audit, Inspector, InspectorConflict
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
