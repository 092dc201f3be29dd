"""Excel round trips: grants (export → import → export) and catalog editions."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from funding.catalog.excel import catalog_edition_export_xlsx, catalog_edition_import
from funding.catalog.services import catalog_edition_create, catalog_edition_publish
from funding.grants.excel import GRANT_HEADERS, grants_export_xlsx, grants_import
from funding.grants.models import GrantProject
from tests.funding.factories import FundRoundFactory, submitted_grant
from tests.registry.factories import OrganizationFactory, RatingFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def rows_of(buf: io.BytesIO) -> list[tuple]:
    buf.seek(0)
    return [tuple(r) for r in load_workbook(buf).active.iter_rows(values_only=True)]


def export_grants() -> io.BytesIO:
    buf = io.BytesIO()
    grants_export_xlsx(queryset=GrantProject.objects.order_by("id"), fileobj=buf)
    buf.seek(0)
    return buf


def test_grants_round_trip():
    fund_round = FundRoundFactory()
    for amount in ("120000.50", "80000"):
        submitted_grant(fund_round=fund_round, requested=amount)
    first = export_grants()
    before = rows_of(first)
    assert before[0] == GRANT_HEADERS
    GrantProject.objects.all().delete()
    first.seek(0)
    result = grants_import(fileobj=first)
    assert result.is_valid and result.committed and result.created == 2
    assert rows_of(export_grants()) == before


def test_grants_import_is_all_or_nothing_and_names_row_and_column():
    fund_round = FundRoundFactory()
    submitted_grant(fund_round=fund_round)
    buf = export_grants()
    wb = load_workbook(buf)
    ws = wb.active
    ws.append(
        [
            fund_round.number,
            OrganizationFactory().uscc,
            "",
            "新项目",
            "社区便民服务",
            1000,
            "2021-09-02",
        ]
    )
    ws.append(
        [fund_round.number, "91440300MA5XXXXXXX", "", "坏项目", "不存在的类别", "abc", "2021-09-02"]
    )
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    result = grants_import(fileobj=out)
    assert not result.committed and GrantProject.objects.count() == 1
    found = {(e.row, e.column) for e in result.errors}
    assert (
        (4, "统一社会信用代码") in found
        and (4, "项目类别") in found
        and (4, "申请金额（元）") in found
    )


def test_grants_import_preview_writes_nothing():
    fund_round = FundRoundFactory()
    submitted_grant(fund_round=fund_round)
    buf = export_grants()
    GrantProject.objects.all().delete()
    result = grants_import(fileobj=buf, commit=False)
    assert result.is_valid and result.to_create == 1 and not result.committed
    assert GrantProject.objects.count() == 0


def test_catalog_edition_round_trip():
    a = OrganizationFactory(established_on=D(2015, 1, 1))
    RatingFactory(organization=a, grade="5A", awarded_on=D(2021, 1, 1))
    OrganizationFactory(established_on=D(2015, 1, 1))
    edition = catalog_edition_create(
        number=1, year=2022, title="第1次", application_date=D(2022, 6, 30)
    )
    catalog_edition_publish(edition=edition, on=D(2022, 7, 28))
    buf = io.BytesIO()
    catalog_edition_export_xlsx(edition=edition, fileobj=buf)
    before = rows_of(buf)
    assert len(before) == 3 and before[1][2:] == ("5A", "是", "是")
    buf.seek(0)
    result = catalog_edition_import(
        fileobj=buf,
        number=2,
        year=2022,
        title="第2次（历史）",
        application_date=D(2022, 6, 30),
        published_on=D(2022, 7, 28),
    )
    assert result.is_valid and result.edition.status == "published"
    again = io.BytesIO()
    catalog_edition_export_xlsx(edition=result.edition, fileobj=again)
    assert rows_of(again) == before
