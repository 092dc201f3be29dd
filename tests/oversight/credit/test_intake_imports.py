"""Excel imports of penalties and special letters (issue 10 item 1): through the intake
services, all or nothing — one bad row among 1,000 writes nothing — and every bad cell
reported with its row, column header and the rule in Chinese."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from oversight.credit.imports import (
    LETTER_COLUMNS,
    PENALTY_COLUMNS,
    intake_template_xlsx,
    penalties_import,
    special_letters_import,
)
from oversight.credit.models import Penalty, SpecialLetter
from tests.registry.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
PENALTY_HEADERS = [c.header for c in PENALTY_COLUMNS]
LETTER_HEADERS = [c.header for c in LETTER_COLUMNS]


def xlsx(headers, rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def penalty_row(uscc, n, kind="警告", amount=None, day="2024-03-01"):
    return [uscc, kind, amount, day, f"福民罚〔2024〕{n}号", "深圳市福田区民政局", "事实", "依据"]


def test_thousand_penalties_with_one_bad_row_write_nothing():
    orgs = [OrganizationFactory() for _ in range(10)]
    rows = [penalty_row(orgs[n % 10].uscc, n) for n in range(1, 1001)]
    rows[736] = penalty_row(orgs[0].uscc, 737, kind="罚款")  # a fine without its amount
    result = penalties_import(fileobj=xlsx(PENALTY_HEADERS, rows), commit=True)
    assert not result.committed and result.created == 0
    assert [(e.row, e.column) for e in result.errors] == [(738, "罚款金额（元）")]
    assert "罚款须填写金额" in result.errors[0].message
    assert Penalty.objects.count() == 0
    assert Penalty.history.count() == 0


def test_thousand_valid_penalties_are_written_with_history():
    orgs = [OrganizationFactory() for _ in range(10)]
    rows = [penalty_row(orgs[n % 10].uscc, n) for n in range(1, 1001)]
    preview = penalties_import(fileobj=xlsx(PENALTY_HEADERS, rows), commit=False)
    assert preview.is_valid and preview.to_create == 1000
    assert Penalty.objects.count() == 0  # the preview writes nothing
    result = penalties_import(fileobj=xlsx(PENALTY_HEADERS, rows), commit=True)
    assert result.committed and result.created == 1000
    assert Penalty.objects.count() == 1000
    assert set(Penalty.history.values_list("history_change_reason", flat=True)) == {"Excel导入"}


def test_every_bad_cell_is_reported_with_row_column_and_rule():
    org = OrganizationFactory(established_on=datetime.date(2020, 1, 1))
    rows = [
        penalty_row(org.uscc, 1),
        ["91440300MA5XXXXXXX", "没收", "abc", "2024-13-01", "", "", "", ""],
        penalty_row(org.uscc, 1),  # the number of row 2 again
        penalty_row(org.uscc, 4, kind="警告", amount=500, day="2019-05-01"),
    ]
    result = penalties_import(fileobj=xlsx(PENALTY_HEADERS, rows), commit=True)
    found = {(e.row, e.column) for e in result.errors}
    assert {
        (3, "统一社会信用代码"),
        (3, "处罚种类"),
        (3, "罚款金额（元）"),
        (3, "处罚决定日期"),
        (3, "处罚决定书文号"),
        (3, "作出处罚决定机关"),
        (4, "处罚决定书文号"),
        (5, "罚款金额（元）"),
        (5, "处罚决定日期"),
    } <= found
    assert all(e.message for e in result.errors)
    by_cell = {(e.row, e.column): e.message for e in result.errors}
    assert "已登记" in by_cell[(4, "处罚决定书文号")]
    assert "早于该组织成立日期" in by_cell[(5, "处罚决定日期")]
    assert Penalty.objects.count() == 0


def test_letters_import_pairs_mailings_and_records_outcomes():
    org = OrganizationFactory()
    rows = [
        [org.uscc, "第一次", "2024-03-01", "EA001", "否", "2024-03-08", "迁移新址不明"],
        [org.uscc, "第二次", "2024-03-16", "EA002", "", "2024-03-25", "原址查无此单位"],
    ]
    result = special_letters_import(fileobj=xlsx(LETTER_HEADERS, rows), commit=True)
    assert result.committed, result.errors
    first, second = SpecialLetter.objects.order_by("sent_on")
    assert second.first_letter == first and second.mailing == 2
    assert first.return_reason == "moved" and second.returned_on == datetime.date(2024, 3, 25)


def test_letters_import_refuses_early_second_mailing_and_half_outcomes():
    org = OrganizationFactory()
    rows = [
        [org.uscc, "第一次", "2024-03-01", "EA001", "", "", ""],
        [org.uscc, "第二次", "2024-03-10", "EA002", "", "", ""],  # 9 days: D6 needs 15
        [org.uscc, "第一次", "2024-03-01", "EA003", "是", "2024-03-08", "拒收"],
        [org.uscc, "第三次", "2024-02-28", "EA004", "", "2024-02-27", ""],
    ]
    result = special_letters_import(fileobj=xlsx(LETTER_HEADERS, rows), commit=True)
    by_cell = {(e.row, e.column): e.message for e in result.errors}
    assert "15日后" in by_cell[(3, "寄出日期")]
    assert "已签收" in by_cell[(4, "退回日期")]
    assert "寄送次序" in by_cell[(5, "寄送次序")]
    assert SpecialLetter.objects.count() == 0


def test_template_has_the_import_headers_and_explanations():
    out = io.BytesIO()
    intake_template_xlsx(columns=LETTER_COLUMNS, title="专项信函", fileobj=out)
    out.seek(0)
    wb = load_workbook(out)
    assert [c.value for c in wb.worksheets[0][1]] == LETTER_HEADERS
    assert wb.worksheets[1].title == "填写说明"
    # Filled in, the template imports as it is.
    org = OrganizationFactory()
    wb.worksheets[0].append([org.uscc, "第一次", "2024-03-01", "EA001", "", "", ""])
    filled = io.BytesIO()
    wb.save(filled)
    filled.seek(0)
    result = special_letters_import(fileobj=filled, commit=False)
    assert result.is_valid and result.to_create == 1
