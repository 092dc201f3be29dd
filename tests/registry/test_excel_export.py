"""Excel export of organizations: Chinese headers, streaming, and a lossless round trip."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from registry.choices import LifecycleStatus, OrganizationType
from registry.exports import ORGANIZATION_HEADERS, organizations_export_xlsx
from registry.imports import organizations_import
from registry.models import IndustryCategory, Organization
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

pytestmark = pytest.mark.django_db

HistoricalOrganization = Organization.history.model


def export(queryset) -> tuple[io.BytesIO, int]:
    buf = io.BytesIO()
    written = organizations_export_xlsx(queryset=queryset, fileobj=buf)
    buf.seek(0)
    return buf, written


def read_rows(buf: io.BytesIO) -> list[tuple]:
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def varied_organizations() -> list[Organization]:
    """Organizations that exercise every column, including awkward but legal values."""
    unit = SupervisingUnitFactory(name="福田区教育局")
    arts = IndustryCategory.objects.get(name="艺术")
    return [
        OrganizationFactory(
            name="福田区书法家协会",
            org_type=OrganizationType.SOCIAL_GROUP,
            is_industry_association=True,
            industry_category=arts,
            supervising_unit=None,
            phone="13800138000",
            business_scope="书法交流；\r\n培训与展览  ",
            registered_capital=Decimal("30000.50"),
            registration_certificate_no="粤福民证字第0001号",
            established_on=datetime.date(2009, 12, 31),
        ),
        OrganizationFactory(
            supervising_unit=unit,
            registered_capital=Decimal("123456789012.34"),
            business_scope="",
            phone="",
        ),
        OrganizationFactory(
            status=LifecycleStatus.DEREGISTERED,
            deregistered_on=datetime.date(2024, 3, 1),
            deregistration_started_on=datetime.date(2024, 1, 2),
        ),
        OrganizationFactory(
            status=LifecycleStatus.DEREGISTERING,
            deregistration_started_on=datetime.date(2025, 1, 2),
        ),
    ]


def test_headers_are_the_chinese_column_names_in_bold_and_frozen():
    OrganizationFactory()
    buf, _ = export(Organization.objects.all())
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    assert [c.value for c in ws[1]] == list(ORGANIZATION_HEADERS)
    assert ORGANIZATION_HEADERS == (
        "统一社会信用代码",
        "名称",
        "组织类型",
        "行业协会商会",
        "行业分类",
        "业务主管单位",
        "法定代表人",
        "住所",
        "联系电话",
        "业务范围",
        "注册资金（元）",
        "登记证号",
        "成立日期",
        "登记状态",
    )
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width >= 30  # names are long


def test_values_are_written_as_people_read_them():
    org, with_unit, deregistered, _ = varied_organizations()
    buf, written = export(Organization.objects.order_by("id"))
    rows = read_rows(buf)
    assert written == 4 and len(rows) == 5
    first = dict(zip(ORGANIZATION_HEADERS, rows[1], strict=True))
    assert first["统一社会信用代码"] == org.uscc
    assert first["组织类型"] == "社会团体"
    assert first["行业协会商会"] == "是"
    assert first["行业分类"] == "艺术"
    assert first["业务主管单位"] is None
    assert first["注册资金（元）"] == pytest.approx(30000.5)
    assert first["成立日期"] == datetime.datetime(2009, 12, 31)
    assert first["登记状态"] == "正常"
    second = dict(zip(ORGANIZATION_HEADERS, rows[2], strict=True))
    assert second["统一社会信用代码"] == with_unit.uscc
    assert second["业务主管单位"] == "福田区教育局"
    assert second["组织类型"] == "民办非企业单位"
    assert second["行业协会商会"] == "否"
    third = dict(zip(ORGANIZATION_HEADERS, rows[3], strict=True))
    assert (third["统一社会信用代码"], third["登记状态"]) == (deregistered.uscc, "已注销")


def test_text_starting_with_equals_is_exported_as_text_not_a_formula():
    OrganizationFactory(business_scope='=HYPERLINK("http://evil")')
    buf, _ = export(Organization.objects.all())
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    cell = ws["J2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://evil")'


def test_export_follows_the_queryset_filter_and_order():
    OrganizationFactory(name="乙", org_type=OrganizationType.SOCIAL_GROUP)
    OrganizationFactory(name="甲", org_type=OrganizationType.SOCIAL_GROUP)
    OrganizationFactory(name="丙")
    buf, written = export(
        Organization.objects.filter(org_type=OrganizationType.SOCIAL_GROUP).order_by("-name")
    )
    assert written == 2
    assert [r[1] for r in read_rows(buf)[1:]] == sorted(["甲", "乙"], reverse=True)


def test_export_streams_with_one_query_whatever_the_size():
    OrganizationFactory.create_batch(30)
    with CaptureQueriesContext(connection) as small:
        export(Organization.objects.all())
    OrganizationFactory.create_batch(300)
    with CaptureQueriesContext(connection) as large:
        _, written = export(Organization.objects.all())
    assert written == 330
    assert len(large.captured_queries) == len(small.captured_queries) == 1
    sql = large.captured_queries[0]["sql"]
    assert "JOIN" in sql  # category and unit names come in the same query


def _snapshot() -> dict[int, dict]:
    return {
        o.pk: {**model_to_dict(o), "created_at": o.created_at, "updated_at": o.updated_at}
        for o in Organization.objects.all()
    }


def test_export_then_import_changes_nothing():
    varied_organizations()
    OrganizationFactory.create_batch(20)
    before = _snapshot()
    history_before = list(HistoricalOrganization.objects.values_list("history_id", flat=True))

    buf, written = export(Organization.objects.all())
    result = organizations_import(fileobj=buf)

    assert result.errors == []
    assert (result.to_create, result.to_update, result.unchanged) == (0, 0, written)
    assert (result.created, result.updated) == (0, 0)
    assert _snapshot() == before
    assert list(HistoricalOrganization.objects.values_list("history_id", flat=True)) == (
        history_before
    )


def test_an_edited_export_imports_exactly_the_edit():
    orgs = [OrganizationFactory() for _ in range(3)]
    buf, _ = export(Organization.objects.order_by("id"))
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    wb.active["H3"] = "深圳市福田区新地址8号"  # 住所 of the second organization
    edited = io.BytesIO()
    wb.save(edited)
    edited.seek(0)

    result = organizations_import(fileobj=edited)

    assert result.errors == []
    assert (result.to_update, result.unchanged, result.updated) == (1, 2, 1)
    assert Organization.objects.get(pk=orgs[1].pk).domicile == "深圳市福田区新地址8号"
    assert Organization.objects.get(pk=orgs[0].pk).domicile == orgs[0].domicile
