"""Factories of the register: valid USCCs computed, never hard-coded."""

from __future__ import annotations

import datetime
import itertools

import factory

from registry.choices import OrganizationType, SupervisingUnitKind
from registry.models import IndustryCategory, Organization, Rating, SupervisingUnit
from registry.uscc import TYPE_DIGITS, organization_code_check_character, uscc_check_character

_serial = itertools.count(1)


def make_uscc(
    org_type: str = OrganizationType.PRIVATE_NON_ENTERPRISE,
    serial: int | None = None,
    division: str = "440304",
) -> str:
    """A USCC that passes both checks: 5, type digit, division, MJ body, org check, check char."""
    n = next(_serial) if serial is None else serial
    body = "MJ" + f"{n:06d}"
    first17 = (
        "5" + TYPE_DIGITS[org_type] + division + body + organization_code_check_character(body)
    )
    return first17 + uscc_check_character(first17)


class SupervisingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisingUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"测试主管单位{n}")
    kind = SupervisingUnitKind.DISTRICT_DEPARTMENT


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    org_type = OrganizationType.PRIVATE_NON_ENTERPRISE
    uscc = factory.LazyAttribute(lambda o: make_uscc(o.org_type))
    name = factory.Sequence(lambda n: f"福田区测试服务中心{n}")
    industry_category = factory.LazyFunction(lambda: IndustryCategory.objects.get(code=9))
    supervising_unit = factory.SubFactory(SupervisingUnitFactory)
    legal_representative = "张三"
    domicile = "深圳市福田区福华路1号"
    established_on = datetime.date(2018, 1, 15)


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    organization = factory.SubFactory(OrganizationFactory)
    grade = "3A"
    awarded_on = datetime.date(2023, 6, 1)
