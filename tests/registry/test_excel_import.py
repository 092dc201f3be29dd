"""Excel import of organizations: all or nothing, every bad row reported, history recorded."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from common.excel import ExcelFormatError, RowError
from registry.choices import LifecycleStatus, OrganizationType
from registry.exports import ORGANIZATION_HEADERS
from registry.imports import CHANGE_REASON, organizations_import
from registry.models import Organization
from tests.registry.factories import (
    OrganizationFactory,
    SupervisingUnitFactory,
    make_uscc,
    organization_sheet_row,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

HistoricalOrganization = Organization.history.model


def sheet(*rows: dict):
    return xlsx_file([list(r.values()) for r in rows])


def row_of(org: Organization, **overrides) -> dict:
    """The sheet row that describes `org` exactly as stored."""
    return organization_sheet_row(
        org_type=org.org_type,
        **{
            "统一社会信用代码": org.uscc,
            "名称": org.name,
            "行业协会商会": "是" if org.is_industry_association else "否",
            "行业分类": org.industry_category.name,
            "业务主管单位": org.supervising_unit.name if org.supervising_unit else "",
            "法定代表人": org.legal_representative,
            "住所": org.domicile,
            "联系电话": org.phone,
            "业务范围": org.business_scope,
            "注册资金（元）": org.registered_capital,
            "登记证号": org.registration_certificate_no,
            "成立日期": org.established_on,
            "登记状态": org.get_status_display(),
            **overrides,
        },
    )


def only_error(result) -> RowError:
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


# ---------------------------------------------------------------------------- create / update


def test_creates_new_organizations_with_history_by_actor(staff_user):
    unit = SupervisingUnitFactory(name="福田区民政局")
    rows = [
        organization_sheet_row(**{"业务主管单位": "福田区民政局", "注册资金（元）": "12,345.60"}),
        organization_sheet_row(org_type=OrganizationType.SOCIAL_GROUP, **{"行业协会商会": "是"}),
    ]
    result = organizations_import(fileobj=sheet(*rows), actor=staff_user)

    assert result.errors == []
    assert (result.created, result.updated, result.to_create, result.committed) == (2, 0, 2, True)
    first = Organization.objects.get(uscc=rows[0]["统一社会信用代码"])
    assert first.supervising_unit == unit
    assert first.registered_capital == Decimal("12345.60")
    assert first.established_on == datetime.date(2020, 5, 1)
    assert first.status == LifecycleStatus.ACTIVE
    second = Organization.objects.get(uscc=rows[1]["统一社会信用代码"])
    assert second.is_industry_association is True
    assert second.supervising_unit is None  # R-ORG-03: blank means none
    history = HistoricalOrganization.objects.filter(uscc__in=[first.uscc, second.uscc])
    assert history.count() == 2
    assert {(h.history_type, h.history_change_reason, h.history_user_id) for h in history} == {
        ("+", CHANGE_REASON, staff_user.pk)
    }


def test_updates_by_uscc_and_leaves_identical_rows_alone(staff_user):
    changed = OrganizationFactory(domicile="旧住所")
    same = OrganizationFactory()
    before = HistoricalOrganization.objects.count()

    result = organizations_import(
        fileobj=sheet(row_of(changed, **{"住所": "新住所", "联系电话": "83000000"}), row_of(same)),
        actor=staff_user,
    )

    assert result.errors == []
    assert (result.to_create, result.to_update, result.unchanged) == (0, 1, 1)
    assert (result.created, result.updated) == (0, 1)
    changed.refresh_from_db()
    assert (changed.domicile, changed.phone) == ("新住所", "83000000")
    new_history = HistoricalOrganization.objects.order_by("-history_id")[
        : HistoricalOrganization.objects.count() - before
    ]
    assert [(h.id, h.history_type, h.history_change_reason) for h in new_history] == [
        (changed.pk, "~", CHANGE_REASON)
    ]
    assert new_history[0].history_user_id == staff_user.pk
    assert new_history[0].domicile == "新住所"


def test_preview_only_counts_and_writes_nothing():
    existing = OrganizationFactory()
    rows = [organization_sheet_row(), row_of(existing, **{"住所": "别处"}), row_of(existing)]
    rows[2]["统一社会信用代码"] = make_uscc()  # a third, new organization
    before = HistoricalOrganization.objects.count()

    result = organizations_import(fileobj=sheet(*rows), commit=False)

    assert result.errors == []
    assert (result.to_create, result.to_update, result.unchanged) == (2, 1, 0)
    assert (result.created, result.updated, result.committed) == (0, 0, False)
    assert Organization.objects.count() == 1
    existing.refresh_from_db()
    assert existing.domicile != "别处"
    assert HistoricalOrganization.objects.count() == before


# ---------------------------------------------------------------------------- all or nothing


def test_one_bad_row_among_a_thousand_writes_nothing_and_is_reported_exactly():
    existing = OrganizationFactory()
    rows = [organization_sheet_row() for _ in range(999)]
    rows.insert(0, row_of(existing, **{"住所": "会被回滚的新住所"}))
    bad = rows[637]
    bad["统一社会信用代码"] = bad["统一社会信用代码"][:-1] + (
        "0" if bad["统一社会信用代码"][-1] != "0" else "1"
    )
    before = HistoricalOrganization.objects.count()

    result = organizations_import(fileobj=sheet(*rows))

    error = only_error(result)
    assert (error.row, error.column) == (639, "统一社会信用代码")  # header is row 1
    assert "校验码" in error.message and "R-USCC-06" in error.message
    assert result.committed is False and result.created == 0 and result.updated == 0
    assert Organization.objects.count() == 1
    existing.refresh_from_db()
    assert existing.domicile != "会被回滚的新住所"
    assert HistoricalOrganization.objects.count() == before


def test_every_bad_row_is_reported_not_only_the_first():
    rows = [organization_sheet_row() for _ in range(5)]
    rows[1]["成立日期"] = "去年"
    rows[3]["行业分类"] = "不存在的分类"
    rows[3]["注册资金（元）"] = -5

    result = organizations_import(fileobj=sheet(*rows))

    assert [(e.row, e.column) for e in result.errors] == [
        (3, "成立日期"),
        (5, "行业分类"),
        (5, "注册资金（元）"),
    ]
    assert Organization.objects.count() == 0


# SQLite splits bulk writes by its bound-parameter limit, so there the count grows by batch.
@pytest.mark.postgres_only
def test_import_runs_a_bounded_number_of_queries_whatever_the_row_count():
    def queries_for(n_new: int, n_existing: int) -> int:
        orgs = OrganizationFactory.create_batch(n_existing)
        rows = [row_of(o, **{"住所": f"更新后{o.pk}"}) for o in orgs]
        rows += [organization_sheet_row() for _ in range(n_new)]
        with CaptureQueriesContext(connection) as ctx:
            result = organizations_import(fileobj=sheet(*rows))
        assert result.errors == [] and result.created == n_new and result.updated == n_existing
        return len(ctx.captured_queries)

    assert queries_for(300, 300) == queries_for(3, 3)


def test_a_commit_reads_the_rows_it_changes_once_and_locked():
    """The plan reads the organizations to change with SELECT … FOR UPDATE and the service
    trusts those locked rows (changes_locked): their full rows are not read a second time."""
    orgs = OrganizationFactory.create_batch(3)
    rows = [row_of(o, **{"住所": f"更新后{o.pk}"}) for o in orgs]
    with CaptureQueriesContext(connection) as ctx:
        result = organizations_import(fileobj=sheet(*rows))
    assert result.updated == 3
    table = f'FROM "{Organization._meta.db_table}"'
    full_reads = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT") and table in q["sql"] and '."domicile"' in q["sql"]
    ]
    assert len(full_reads) == 1
    if connection.vendor == "postgresql":
        assert full_reads[0].endswith("FOR UPDATE")


# ---------------------------------------------------------------------------- every rule


@pytest.mark.parametrize(
    ("overrides", "column", "fragment"),
    [
        ({"统一社会信用代码": "52440304MJ0000010"}, "统一社会信用代码", "应为18位"),
        ({"统一社会信用代码": "52440304MJ00000I0X"}, "统一社会信用代码", "不允许的字符"),
        ({"统一社会信用代码": ""}, "统一社会信用代码", "必填"),
        ({"统一社会信用代码": 524403041234567890}, "统一社会信用代码", "文本格式"),
        ({"组织类型": "企业"}, "组织类型", "无法识别"),
        ({"组织类型": ""}, "组织类型", "必填"),
        ({"行业分类": "航天"}, "行业分类", "R-CLS-01"),
        ({"行业分类": ""}, "行业分类", "必填"),
        ({"业务主管单位": "不存在的局"}, "业务主管单位", "R-ORG-03"),
        ({"成立日期": "2018-13-45"}, "成立日期", "不是有效日期"),
        ({"成立日期": None}, "成立日期", "必填"),
        ({"注册资金（元）": "三万"}, "注册资金（元）", "不是有效金额"),
        ({"注册资金（元）": -1}, "注册资金（元）", "不能为负数"),
        ({"注册资金（元）": "10.005"}, "注册资金（元）", "两位小数"),
        ({"注册资金（元）": 10**13}, "注册资金（元）", "超出范围"),
        ({"行业协会商会": "是"}, "行业协会商会", "R-ORG-02"),
        ({"行业协会商会": "也许"}, "行业协会商会", "“是”或“否”"),
        ({"名称": ""}, "名称", "必填"),
        ({"法定代表人": "  "}, "法定代表人", "必填"),
        ({"住所": None}, "住所", "必填"),
        ({"名称": "长" * 201}, "名称", "200"),  # model full_clean: max_length
        ({"登记状态": "已注销"}, "登记状态", "只能为“正常”或留空"),
        ({"登记状态": "休眠"}, "登记状态", "无法识别"),
    ],
)
def test_each_rule_is_reported_with_row_column_and_reason(overrides, column, fragment):
    rows = [organization_sheet_row(), organization_sheet_row(**overrides)]

    result = organizations_import(fileobj=sheet(*rows))

    error = only_error(result)
    assert (error.row, error.column) == (3, column)
    assert fragment in error.message
    assert Organization.objects.count() == 0


def test_uscc_type_digit_must_match_the_organization_type():
    row = organization_sheet_row(
        org_type=OrganizationType.SOCIAL_GROUP,
        **{"统一社会信用代码": make_uscc(OrganizationType.PRIVATE_NON_ENTERPRISE)},
    )

    error = only_error(organizations_import(fileobj=sheet(row)))

    assert (error.row, error.column) == (2, "统一社会信用代码")
    assert "第2位机构类别码" in error.message and "R-USCC-03" in error.message


def test_uscc_warnings_are_not_errors():
    # A code registered by another division (R-USCC-05) is only a warning (D2).
    row = organization_sheet_row(**{"统一社会信用代码": make_uscc(division="440300")})
    result = organizations_import(fileobj=sheet(organization_sheet_row(), row))
    assert result.errors == [] and result.created == 2
    assert [(w.row, w.column) for w in result.warnings] == [(3, "统一社会信用代码")]
    assert "R-USCC-05" in result.warnings[0].message


def test_duplicate_uscc_within_the_file_names_the_first_row():
    first = organization_sheet_row()
    second = organization_sheet_row(**{"统一社会信用代码": first["统一社会信用代码"]})

    error = only_error(organizations_import(fileobj=sheet(organization_sheet_row(), first, second)))

    assert (error.row, error.column) == (4, "统一社会信用代码")
    assert "第3行" in error.message
    assert Organization.objects.count() == 0


def test_lower_case_and_blank_padded_uscc_is_normalized():
    row = organization_sheet_row()
    code = row["统一社会信用代码"]
    row["统一社会信用代码"] = f"  {code.lower()}\u3000"
    result = organizations_import(fileobj=sheet(row))
    assert result.errors == []
    assert Organization.objects.filter(uscc=code).exists()


def test_status_cannot_be_changed_by_import():
    org = OrganizationFactory()

    error = only_error(organizations_import(fileobj=sheet(row_of(org, **{"登记状态": "已注销"}))))

    assert error.column == "登记状态" and "不能通过导入变更" in error.message
    org.refresh_from_db()
    assert org.status == LifecycleStatus.ACTIVE


def test_blank_status_on_an_existing_organization_is_not_a_change():
    org = OrganizationFactory()
    result = organizations_import(fileobj=sheet(row_of(org, **{"登记状态": ""})))
    assert result.errors == [] and result.unchanged == 1


def test_changing_the_type_of_an_existing_organization_is_refused_by_the_service():
    org = OrganizationFactory(org_type=OrganizationType.PRIVATE_NON_ENTERPRISE)

    result = organizations_import(fileobj=sheet(row_of(org, **{"组织类型": "社会团体"})))

    assert {e.column for e in result.errors} == {"统一社会信用代码", "组织类型"}
    type_error = next(e for e in result.errors if e.column == "组织类型")
    assert "登记后不能更改" in type_error.message  # organization_check_change's own message
    org.refresh_from_db()
    assert org.org_type == OrganizationType.PRIVATE_NON_ENTERPRISE


def test_legal_representative_change_needs_a_departure_audit_d11():
    org = OrganizationFactory(legal_representative="张三")
    untouched = OrganizationFactory(legal_representative="王五")

    result = organizations_import(
        fileobj=sheet(row_of(org, **{"法定代表人": "赵六"}), row_of(untouched))
    )

    error = only_error(result)
    assert (error.row, error.column) == (2, "法定代表人")
    assert "离任" in error.message and "R-AUD-01" in error.message
    org.refresh_from_db()
    assert org.legal_representative == "张三"


def test_legal_representative_change_with_departure_audit_is_recorded(staff_user):
    from django.utils import timezone

    from oversight.inspections.choices import AuditKind
    from tests.oversight.factories import AuditFactory

    org = OrganizationFactory(legal_representative="张三")
    AuditFactory(
        organization=org,
        kind=AuditKind.DEPARTURE,
        subject_person="张三",
        completed_on=timezone.localdate(),
    )
    result = organizations_import(
        fileobj=sheet(row_of(org, **{"法定代表人": "赵六"})), actor=staff_user
    )
    assert result.errors == [] and result.updated == 1
    latest = org.history.latest()
    assert (latest.legal_representative, latest.history_change_reason) == ("赵六", CHANGE_REASON)
    assert latest.prev_record.legal_representative == "张三"


# ---------------------------------------------------------------------------- unusable files


def test_unknown_missing_and_duplicate_headers_are_refused():
    headers = [h for h in ORGANIZATION_HEADERS if h != "住所"] + ["备注", "名称"]
    with pytest.raises(ExcelFormatError) as exc:
        organizations_import(fileobj=xlsx_file([["x"] * len(headers)], headers=headers))
    message = exc.value.message
    assert (
        "“备注”" in message
        and "重复的表头：“名称”" in message
        and "缺少必需的列：“住所”" in message
    )
    assert Organization.objects.count() == 0


def test_optional_columns_may_be_left_out():
    headers = ["统一社会信用代码", "名称", "组织类型", "行业分类", "法定代表人", "住所", "成立日期"]
    full = organization_sheet_row()
    result = organizations_import(fileobj=xlsx_file([[full[h] for h in headers]], headers=headers))
    assert result.errors == [] and result.created == 1


def test_missing_optional_column_leaves_stored_value_unchanged():
    org = OrganizationFactory(phone="83000000")
    headers = ["统一社会信用代码", "名称", "组织类型", "行业分类", "法定代表人", "住所", "成立日期"]
    full = row_of(org)
    result = organizations_import(fileobj=xlsx_file([[full[h] for h in headers]], headers=headers))
    assert result.errors == [] and result.unchanged == 1
    org.refresh_from_db()
    assert org.phone == "83000000"


def test_empty_workbook_is_refused():
    buf = io.BytesIO()
    Workbook().save(buf)
    with pytest.raises(ExcelFormatError, match="空"):
        organizations_import(fileobj=io.BytesIO(buf.getvalue()))


def test_header_only_workbook_is_refused():
    with pytest.raises(ExcelFormatError, match="没有数据行"):
        organizations_import(fileobj=xlsx_file([]))


@pytest.mark.parametrize(
    "content",
    [
        b"",
        "统一社会信用代码,名称\n52440304MJ0000016C,某中心\n".encode("gbk"),  # a .csv renamed
        b"just some text",
        b"PK\x03\x04 truncated zip",
    ],
)
def test_files_that_are_not_xlsx_are_refused_clearly(content):
    with pytest.raises(ExcelFormatError, match=r"\.xlsx"):
        organizations_import(fileobj=io.BytesIO(content))


def test_a_zip_that_is_not_a_workbook_is_refused():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ExcelFormatError, match=r"\.xlsx"):
        organizations_import(fileobj=io.BytesIO(buf.getvalue()))


def test_formula_cells_are_refused_cell_by_cell():
    rows = [organization_sheet_row(), organization_sheet_row()]
    buf = sheet(*rows)
    from openpyxl import load_workbook
    from openpyxl.worksheet.formula import ArrayFormula

    wb = load_workbook(buf)
    ws = wb.active
    ws["B3"] = '=CONCATENATE("福田区","服务中心")'
    # An array formula reads as an object, not as text starting with "=": refused alike.
    ws["K2"] = ArrayFormula("K2:K2", "=SUM(1000*30)")
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)

    result = organizations_import(fileobj=out)

    assert [(e.row, e.column) for e in result.errors] == [(2, "注册资金（元）"), (3, "名称")]
    assert all("公式" in e.message for e in result.errors)
    assert Organization.objects.count() == 0


def test_data_under_a_blank_header_is_reported():
    row = organization_sheet_row()
    headers = [*ORGANIZATION_HEADERS, None]
    result = organizations_import(fileobj=xlsx_file([[*row.values(), "多余"]], headers=headers))
    error = only_error(result)
    assert (error.row, error.column) == (2, "O列")


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_excel():
    good, bad = organization_sheet_row(), organization_sheet_row(**{"住所": ""})
    buf = xlsx_file([list(good.values()), [None] * 14, [], list(bad.values())])
    error = only_error(organizations_import(fileobj=buf))
    assert (error.row, error.column) == (5, "住所")
