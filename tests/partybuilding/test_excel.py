"""Excel import/export of party organizations and instructor assignments: every bad cell is
reported with row, column and reason, nothing is written on any error, exports import back."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from partybuilding import exports as x
from partybuilding.choices import Formation
from partybuilding.exports import (
    instructor_assignments_export_xlsx,
    party_organizations_export_xlsx,
)
from partybuilding.imports import instructor_assignments_import, party_organizations_import
from partybuilding.models import InstructorAssignment, PartyOrganization, PartyOrganizationCoverage
from tests.registry.factories import OrganizationFactory

from .factories import make_assignment, make_party_organization

pytestmark = pytest.mark.django_db


def sheet(headers, rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append([row.get(h) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def po_row(orgs, **over) -> dict:
    row = {
        x.PO_NAME: f"中共{orgs[0].name}支部委员会",
        x.PO_LEVEL: "党支部",
        x.PO_FORMATION: "单独组建" if len(orgs) == 1 else "联合组建",
        x.PO_SUPERIOR: "中共深圳市福田区社会组织委员会（区社会组织党委）",
        x.PO_APPROVED_ON: datetime.date(2021, 7, 1),
        x.PO_APPROVAL_DOC: "福社党〔2021〕12号",
        x.PO_SECRETARY: "李书记",
        x.PO_FULL: 5,
        x.PO_PROBATIONARY: 1,
        x.PO_COMMITTEE: "否",
        x.PO_COVERED: "\n".join(o.uscc for o in orgs),
    }
    row.update(over)
    return row


def test_valid_workbook_creates_party_organizations_with_history():
    a, b, c = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    rows = [
        po_row([a]),
        po_row(
            [b, c],
            **{
                x.PO_NAME: "中共福田区园岭街道社会组织第1联合支部委员会",
                x.PO_SUPERIOR: "FT-PC-S01",
            },
        ),
    ]
    preview = party_organizations_import(
        fileobj=sheet(x.PARTY_ORGANIZATION_HEADERS, rows), commit=False
    )
    assert preview.is_valid and preview.to_create == 2
    assert PartyOrganization.objects.count() == 0
    result = party_organizations_import(fileobj=sheet(x.PARTY_ORGANIZATION_HEADERS, rows))
    assert result.committed and result.created == 2
    joint = PartyOrganization.objects.get(formation=Formation.JOINT)
    assert set(joint.coverages.values_list("organization", flat=True)) == {b.pk, c.pk}
    assert joint.history.count() == 1


def test_one_bad_row_names_row_column_reason_and_writes_nothing():
    a, b = OrganizationFactory(), OrganizationFactory()
    rows = [po_row([a]), po_row([b], **{x.PO_FULL: 2, x.PO_PROBATIONARY: 0})]
    result = party_organizations_import(fileobj=sheet(x.PARTY_ORGANIZATION_HEADERS, rows))
    assert not result.committed
    assert [(e.row, e.column) for e in result.errors] == [(3, x.PO_FULL)]
    assert "R-PTY-01" in result.errors[0].message
    assert PartyOrganization.objects.count() == 0
    assert PartyOrganizationCoverage.objects.count() == 0


def test_every_bad_cell_is_reported():
    a = OrganizationFactory()
    rows = [
        po_row(
            [a],
            **{x.PO_LEVEL: "支部", x.PO_SUPERIOR: "不存在的党委", x.PO_APPROVED_ON: "2021-02-30"},
        ),
        po_row([a], **{x.PO_COVERED: "91440300MA5XXXXXXX", x.PO_FULL: "五"}),
    ]
    errors = party_organizations_import(
        fileobj=sheet(x.PARTY_ORGANIZATION_HEADERS, rows), commit=False
    ).errors
    cells = {(e.row, e.column) for e in errors}
    assert {
        (2, x.PO_LEVEL),
        (2, x.PO_SUPERIOR),
        (2, x.PO_APPROVED_ON),
        (3, x.PO_COVERED),
        (3, x.PO_FULL),
    } <= cells
    assert any("R-PTY-07" in e.message for e in errors)


def test_same_organization_in_two_rows_or_already_covered_refused():
    a, b = OrganizationFactory(), OrganizationFactory()
    make_party_organization(organizations=[b])
    rows = [
        po_row([a]),
        po_row([a], **{x.PO_NAME: "另一个支部"}),
        po_row([b], **{x.PO_NAME: "第三个支部"}),
    ]
    errors = party_organizations_import(
        fileobj=sheet(x.PARTY_ORGANIZATION_HEADERS, rows), commit=False
    ).errors
    assert [(e.row, e.column) for e in errors] == [(3, x.PO_COVERED), (4, x.PO_COVERED)]
    assert "第2行" in errors[0].message and "只能属于一个党组织" in errors[1].message


def test_export_imports_back_unchanged():
    make_party_organization()
    make_party_organization(formation=Formation.JOINT, full_members=4, probationary_members=0)
    buf = io.BytesIO()
    assert (
        party_organizations_export_xlsx(queryset=PartyOrganization.objects.all(), fileobj=buf) == 2
    )
    buf.seek(0)
    headers = [c.value for c in next(load_workbook(buf).active.iter_rows(max_row=1))]
    assert tuple(headers) == x.PARTY_ORGANIZATION_HEADERS
    buf.seek(0)
    result = party_organizations_import(fileobj=buf, commit=False)
    assert result.is_valid and (result.to_create, result.unchanged) == (0, 2)


def assignment_row(org, **over):
    row = {
        x.IA_INSTRUCTOR: "李建华",
        x.IA_EMPLOYER: "福田区社会组织党委",
        x.IA_PHONE: "0755-1234",
        x.IA_USCC: org.uscc,
        x.IA_STARTED_ON: datetime.date(2021, 5, 1),
        x.IA_ENDED_ON: None,
    }
    row.update(over)
    return row


def test_assignments_import_atomic_and_rule_r_pty_03():
    free, covered = OrganizationFactory(), OrganizationFactory()
    make_party_organization(organizations=[covered])
    rows = [assignment_row(free), assignment_row(covered)]
    result = instructor_assignments_import(fileobj=sheet(x.ASSIGNMENT_HEADERS, rows))
    assert [(e.row, e.column) for e in result.errors] == [(3, x.IA_USCC)]
    assert "R-PTY-03" in result.errors[0].message
    assert InstructorAssignment.objects.count() == 0
    ok = instructor_assignments_import(fileobj=sheet(x.ASSIGNMENT_HEADERS, rows[:1]))
    assert ok.committed and InstructorAssignment.objects.count() == 1


def test_assignments_export_round_trip_and_end_date():
    a = make_assignment(started_on=datetime.date(2021, 5, 1))
    buf = io.BytesIO()
    instructor_assignments_export_xlsx(queryset=InstructorAssignment.objects.all(), fileobj=buf)
    buf.seek(0)
    assert instructor_assignments_import(fileobj=buf, commit=False).unchanged == 1
    row = assignment_row(
        a.organization,
        **{
            x.IA_INSTRUCTOR: a.instructor.name,
            x.IA_EMPLOYER: a.instructor.employer,
            x.IA_ENDED_ON: datetime.date(2022, 1, 1),
        },
    )
    result = instructor_assignments_import(fileobj=sheet(x.ASSIGNMENT_HEADERS, [row]))
    assert result.committed and result.updated == 1
    a.refresh_from_db()
    assert a.ended_on == datetime.date(2022, 1, 1)
