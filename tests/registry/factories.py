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


_decision_serial = itertools.count(1)


def decision_fields(**overrides) -> dict:
    """What organization_transition needs for 撤销登记 and 核准注销 (R-XC-03): a unique
    document number, the authority and the facts; pass them as `**decision_fields()`."""
    n = next(_decision_serial)
    return {
        "document_no": f"深福民决字〔2022〕{n}号",
        "authority": "深圳市福田区民政局",
        "facts": "经查，该组织不再符合登记条件。",
        **overrides,
    }


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    organization = factory.SubFactory(OrganizationFactory)
    grade = "3A"
    awarded_on = datetime.date(2023, 6, 1)


def make_varied_register() -> SupervisingUnit:
    """Three organizations that take every branch of a register row's rendering: a decimal
    capital, no supervising unit and a deregistration date, a current 4A rating and an empty
    business scope. Returns the unit of the two that have one."""
    unit = SupervisingUnitFactory()
    OrganizationFactory(supervising_unit=unit, registered_capital="30000.5")
    OrganizationFactory(
        supervising_unit=None, status="deregistered", deregistered_on=datetime.date(2024, 1, 2)
    )
    RatingFactory(
        organization=OrganizationFactory(supervising_unit=unit, business_scope=""),
        grade="4A",
        awarded_on=datetime.date(2024, 1, 1),
    )
    return unit


def xlsx_file(rows: list[list], headers: list[str] | None = None, name: str = "名录.xlsx"):
    """An in-memory .xlsx with a header row and `rows`, as a user would build it in Excel."""
    import io

    from openpyxl import Workbook

    from registry.exports import ORGANIZATION_HEADERS

    wb = Workbook()
    ws = wb.active
    ws.append(list(ORGANIZATION_HEADERS if headers is None else headers))
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = name
    return buf


def organization_sheet_row(**overrides) -> dict:
    """A valid import row for a new 民办非企业单位, keyed by the sheet's Chinese headers."""
    from registry.exports import ORGANIZATION_HEADERS

    org_type = overrides.pop("org_type", OrganizationType.PRIVATE_NON_ENTERPRISE)
    row = {
        "统一社会信用代码": make_uscc(org_type),
        "名称": f"福田区导入测试服务中心{next(_serial)}",
        "组织类型": OrganizationType(org_type).label,
        "行业协会商会": "否",
        "行业分类": "社会服务",
        "业务主管单位": "",
        "法定代表人": "李四",
        "住所": "深圳市福田区深南大道1号",
        "联系电话": "0755-12345678",
        "业务范围": "社区服务",
        "注册资金（元）": 30000,
        "登记证号": "",
        "成立日期": datetime.date(2020, 5, 1),
        "登记状态": "正常",
    }
    row.update(overrides)
    return {h: row[h] for h in ORGANIZATION_HEADERS}
