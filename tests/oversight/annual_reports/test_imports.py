"""Excel import of annual reports: all or nothing, every bad row reported with its column and
reason, the same rules and starting status as annual_report_submit (DESIGN.md §4.1)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from oversight.annual_reports.choices import AnnualReportStatus
from oversight.annual_reports.exports import ANNUAL_REPORT_HEADERS, annual_reports_export_xlsx
from oversight.annual_reports.imports import CHANGE_REASON, annual_reports_import
from oversight.annual_reports.models import AnnualReport
from oversight.annual_reports.services import annual_report_initial_status, annual_report_submit
from registry.models import Organization
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory, make_uscc

D = datetime.date
pytestmark = pytest.mark.django_db


def report_row(org, **overrides) -> dict:
    row = {
        "统一社会信用代码": org.uscc,
        "报告年度": 2021,
        "报送日期": D(2022, 3, 15),
        "已签字盖章": "是",
        "本年收入（元）": 120000.5,
        "本年支出（元）": "98,000.00",
        "年末净资产（元）": 45000,
        "工作人员数": 8,
        "专职工作人员数": 5,
        "开展活动次数": 12,
        "正式党员数": 3,
        "预备党员数": 1,
    }
    row.update(overrides)
    return row


def sheet(rows: list[dict], headers=ANNUAL_REPORT_HEADERS) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append([row.get(h) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def many_organizations(n: int, *, unit=None) -> list[Organization]:
    """n organizations inserted set-wise (factories would take a query or two each)."""
    unit = unit or SupervisingUnitFactory()
    template = OrganizationFactory.build(supervising_unit=unit)
    orgs = [
        Organization(
            uscc=make_uscc(),
            name=f"批量导入测试中心{i}",
            org_type=template.org_type,
            industry_category=template.industry_category,
            supervising_unit=unit,
            legal_representative="张三",
            domicile="深圳市福田区",
            established_on=D(2010, 1, 1),
        )
        for i in range(n)
    ]
    return Organization.objects.bulk_create(orgs)


def test_valid_file_creates_reports_where_annual_report_submit_would_put_them(staff_user):
    with_unit = OrganizationFactory()
    direct = OrganizationFactory(supervising_unit=None)

    result = annual_reports_import(
        fileobj=sheet([report_row(with_unit), report_row(direct, 已签字盖章="否")]),
        actor=staff_user,
    )

    assert result.committed and result.errors == []
    assert (result.created, result.to_opinion, result.to_review) == (2, 1, 1)
    a = AnnualReport.objects.get(organization=with_unit)
    b = AnnualReport.objects.get(organization=direct)
    assert a.status == AnnualReportStatus.AWAITING_OPINION
    assert b.status == AnnualReportStatus.AWAITING_REVIEW and b.is_sealed is False
    assert (a.income, a.expenditure, a.net_assets) == (
        Decimal("120000.50"),
        Decimal("98000.00"),
        Decimal("45000.00"),
    )
    assert (a.staff_count, a.full_time_staff, a.activities_held) == (8, 5, 12)
    assert (a.party_members, a.probationary_party_members) == (3, 1)
    # Same starting status as the service gives.
    other = OrganizationFactory(supervising_unit=None)
    assert annual_report_initial_status(other) == b.status
    history = a.history.get()
    assert (history.history_user_id, history.history_change_reason) == (
        staff_user.pk,
        CHANGE_REASON,
    )


def test_preview_writes_nothing():
    org = OrganizationFactory()
    result = annual_reports_import(fileobj=sheet([report_row(org)]), commit=False)
    assert result.is_valid and result.to_create == 1 and not result.committed
    assert not AnnualReport.objects.exists()


def test_a_thousand_rows_with_one_bad_row_write_nothing_and_name_that_row():
    orgs = many_organizations(100)
    rows = [
        report_row(org, 报告年度=year, 报送日期=D(year + 1, 3, 1))
        for org in orgs
        for year in range(2012, 2022)
    ]
    assert len(rows) == 1000
    rows[536]["本年收入（元）"] = "十万元"

    result = annual_reports_import(fileobj=sheet(rows))

    assert not result.committed
    assert [(e.row, e.column) for e in result.errors] == [(538, "本年收入（元）")]
    assert "不是有效金额" in result.errors[0].message
    assert not AnnualReport.objects.exists()


def test_every_bad_row_is_reported_not_just_the_first():
    org = OrganizationFactory()
    rows = [
        report_row(org, 报告年度=2019, 报送日期=D(2020, 3, 1), 工作人员数=-1),
        report_row(org, 报告年度=2020, 报送日期=D(2021, 3, 1)),
        report_row(org, 报告年度=2021, 报送日期="2022-02-30", 正式党员数=2.5),
    ]
    result = annual_reports_import(fileobj=sheet(rows))
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "工作人员数"),
        (4, "报送日期"),
        (4, "正式党员数"),
    ]
    assert not AnnualReport.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "column", "fragment"),
    [
        ({"统一社会信用代码": make_uscc()}, "统一社会信用代码", "系统中没有统一社会信用代码"),
        ({"统一社会信用代码": 52440304123456789}, "统一社会信用代码", "文本格式"),
        ({"统一社会信用代码": "ABC"}, "统一社会信用代码", "应为18位，当前为3位（R-USCC-01）"),
        ({"报告年度": "二〇二一"}, "报告年度", "不是有效年度"),
        ({"报告年度": 2016, "报送日期": D(2017, 3, 1)}, "报告年度", "无2016年度报告"),
        ({"报送日期": D(2021, 12, 31)}, "报送日期", "应在2022年及以后报送"),
        ({"报送日期": "2022-13-01"}, "报送日期", "不是有效日期"),
        ({"报送日期": None}, "报送日期", "必填"),
        ({"已签字盖章": "盖了"}, "已签字盖章", "应填“是”或“否”"),
        ({"已签字盖章": ""}, "已签字盖章", "必填"),
        ({"本年收入（元）": -5}, "本年收入（元）", "不能为负数"),
        ({"本年支出（元）": "12.345"}, "本年支出（元）", "两位小数"),
        ({"年末净资产（元）": "abc"}, "年末净资产（元）", "不是有效金额"),
        ({"工作人员数": 3.5}, "工作人员数", "不是整数"),
        ({"开展活动次数": -2}, "开展活动次数", "不能为负数"),
        ({"预备党员数": "两"}, "预备党员数", "不是整数"),
    ],
)
def test_each_kind_of_bad_cell_is_reported_with_row_and_column(overrides, column, fragment):
    org = OrganizationFactory(established_on=D(2018, 1, 15))
    result = annual_reports_import(fileobj=sheet([report_row(org, **overrides)]))
    assert [(e.row, e.column) for e in result.errors] == [(2, column)]
    assert fragment in result.errors[0].message
    assert not AnnualReport.objects.exists()


def test_duplicate_organization_and_year_within_the_file():
    org = OrganizationFactory()
    result = annual_reports_import(fileobj=sheet([report_row(org), report_row(org)]))
    assert [(e.row, e.column) for e in result.errors] == [(3, "报告年度")]
    assert "与第2行重复" in result.errors[0].message
    assert not AnnualReport.objects.exists()


def test_a_report_already_in_the_register_is_refused():
    org = OrganizationFactory()
    annual_report_submit(organization=org, year=2021, submitted_on=D(2022, 3, 1))
    result = annual_reports_import(fileobj=sheet([report_row(org)]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "报告年度")]
    assert "已在系统中" in result.errors[0].message
    assert AnnualReport.objects.count() == 1


def test_negative_net_assets_are_accepted_because_an_organization_can_owe_more_than_it_owns():
    org = OrganizationFactory()
    result = annual_reports_import(fileobj=sheet([report_row(org, **{"年末净资产（元）": -300})]))
    assert result.committed
    assert AnnualReport.objects.get().net_assets == Decimal("-300.00")


@pytest.mark.parametrize(
    ("year", "submitted_on", "established_on"),
    [
        (2021, D(2022, 1, 1), D(2021, 12, 31)),  # both boundaries allowed
        (2021, D(2021, 12, 31), D(2018, 1, 1)),  # submitted within the year
        (2021, D(2022, 3, 1), D(2022, 1, 1)),  # established after the year
    ],
)
def test_import_and_annual_report_submit_accept_and_refuse_alike(
    year, submitted_on, established_on
):
    from django.core.exceptions import ValidationError

    org = OrganizationFactory(established_on=established_on)
    try:
        annual_report_submit(organization=org, year=year, submitted_on=submitted_on)
        service_ok = True
    except ValidationError:
        service_ok = False
    AnnualReport.objects.all().delete()
    result = annual_reports_import(
        fileobj=sheet([report_row(org, 报告年度=year, 报送日期=submitted_on)]), commit=False
    )
    assert result.is_valid == service_ok


def test_export_then_import_recreates_the_same_reports():
    orgs = [OrganizationFactory(), OrganizationFactory(supervising_unit=None)]
    for org, sealed in zip(orgs, [True, False], strict=True):
        annual_report_submit(
            organization=org,
            year=2021,
            submitted_on=D(2022, 4, 1),
            is_sealed=sealed,
            income=Decimal("1234.56"),
            net_assets=Decimal("-10.00"),
            staff_count=7,
            party_members=2,
        )
    fields = ["organization_id", "year", "submitted_on", "is_sealed", "income", "expenditure"]
    fields += ["net_assets", "staff_count", "full_time_staff", "activities_held"]
    fields += ["party_members", "probationary_party_members", "status"]
    before = sorted(AnnualReport.objects.values_list(*fields))
    buf = io.BytesIO()
    assert annual_reports_export_xlsx(queryset=AnnualReport.objects.all(), fileobj=buf) == 2
    AnnualReport.objects.all().delete()
    buf.seek(0)

    result = annual_reports_import(fileobj=buf)

    assert result.committed and result.created == 2
    assert sorted(AnnualReport.objects.values_list(*fields)) == before


def test_lookups_take_the_same_number_of_queries_for_10_and_1000_rows():
    orgs = many_organizations(100)

    def queries(n: int) -> int:
        rows = [
            report_row(org, 报告年度=year, 报送日期=D(year + 1, 3, 1))
            for org in orgs
            for year in range(2012, 2022)
        ][:n]
        with CaptureQueriesContext(connection) as ctx:
            result = annual_reports_import(fileobj=sheet(rows), commit=False)
        assert result.is_valid and result.to_create == n
        return len(ctx.captured_queries)

    assert queries(10) == queries(1000)


@pytest.mark.parametrize(
    "raw",
    [
        "51440304MJL1234567",  # a wrong check character (R-USCC-06)
        "5144 0304MJL123456",  # a blank inside the code is not the code
        "  ",
        "51440304mjl12345-7",
    ],
)
def test_uscc_cells_are_parsed_by_the_registers_own_parser(raw):
    """One USCC parser (issue 16 item 1): the annual-report import refuses exactly what the
    register's import refuses, in the same words."""
    from registry.import_cells import _parse_uscc

    code, problems = _parse_uscc(raw, org_type=None)
    assert code is None or problems
    org = OrganizationFactory(established_on=D(2018, 1, 15))
    result = annual_reports_import(fileobj=sheet([report_row(org, 统一社会信用代码=raw)]))
    [error] = result.errors
    assert error.column == "统一社会信用代码"
    assert error.message == "；".join(problems)
    assert not AnnualReport.objects.exists()


def test_a_code_the_register_accepts_is_found_whatever_its_case_and_blanks():
    org = OrganizationFactory(established_on=D(2018, 1, 15))
    row = report_row(org, 统一社会信用代码=f"  {org.uscc.lower()}\u3000")
    result = annual_reports_import(fileobj=sheet([row]))
    assert result.errors == []
    assert AnnualReport.objects.get().organization == org
