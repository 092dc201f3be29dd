"""Excel export of party organizations and of instructor assignments; the column definitions
are shared with the import (imports.py), so an exported file imports back unchanged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.db.models import Prefetch, QuerySet

from common.excel import xlsx_write

from .choices import Formation, PartyOrganizationLevel
from .models import InstructorAssignment, PartyOrganization, PartyOrganizationCoverage


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    required: bool = False


YES, NO = "是", "否"
USCC_SEPARATOR = "\n"  # one code a line in the cell; the import also accepts ；;，,、 and spaces

PO_NAME = "党组织名称"
PO_LEVEL = "党组织类别"
PO_FORMATION = "组建方式"
PO_SUPERIOR = "上级党组织"
PO_APPROVED_ON = "批准成立日期"
PO_APPROVAL_DOC = "批复文号"
PO_SECRETARY = "书记"
PO_FULL = "正式党员数"
PO_PROBATIONARY = "预备党员数"
PO_COMMITTEE = "设支部委员会"
PO_COVERED = "覆盖组织统一社会信用代码"
PO_DISSOLVED_ON = "撤销日期"
PO_DISSOLUTION_DOC = "撤销文号"

PARTY_ORGANIZATION_COLUMNS: tuple[Column, ...] = (
    Column(PO_NAME, 40, required=True),
    Column(PO_LEVEL, 10, required=True),
    Column(PO_FORMATION, 10, required=True),
    Column(PO_SUPERIOR, 40, required=True),
    Column(PO_APPROVED_ON, 12, required=True),
    Column(PO_APPROVAL_DOC, 20),
    Column(PO_SECRETARY, 10),
    Column(PO_FULL, 10, required=True),
    Column(PO_PROBATIONARY, 10),
    Column(PO_COMMITTEE, 12),
    Column(PO_COVERED, 24, required=True),
    Column(PO_DISSOLVED_ON, 12),
    Column(PO_DISSOLUTION_DOC, 20),
)
PARTY_ORGANIZATION_HEADERS = tuple(c.header for c in PARTY_ORGANIZATION_COLUMNS)

IA_INSTRUCTOR = "指导员姓名"
IA_EMPLOYER = "指导员工作单位"
IA_PHONE = "指导员联系电话"
IA_USCC = "统一社会信用代码"
IA_ORG_NAME = "社会组织名称"
IA_STARTED_ON = "指派日期"
IA_ENDED_ON = "结束日期"

ASSIGNMENT_COLUMNS: tuple[Column, ...] = (
    Column(IA_INSTRUCTOR, 12, required=True),
    Column(IA_EMPLOYER, 28),
    Column(IA_PHONE, 16),
    Column(IA_USCC, 22, required=True),
    Column(IA_ORG_NAME, 36),
    Column(IA_STARTED_ON, 12, required=True),
    Column(IA_ENDED_ON, 12),
)
ASSIGNMENT_HEADERS = tuple(c.header for c in ASSIGNMENT_COLUMNS)

_LEVELS = dict(PartyOrganizationLevel.choices)
_FORMATIONS = dict(Formation.choices)


def _po_row(po: PartyOrganization) -> list:
    # Current coverage only: an exported branch imports back as the same branch.
    covered = [c.organization.uscc for c in po.coverages.all() if c.left_on is None]
    return [
        po.name,
        _LEVELS.get(po.level, po.level),
        _FORMATIONS.get(po.formation, po.formation),
        po.superior_body.name,
        po.approved_on,
        po.approval_doc_no,
        po.secretary,
        po.full_members,
        po.probationary_members,
        YES if po.has_branch_committee else NO,
        USCC_SEPARATOR.join(covered),
        po.dissolved_on or "",
        po.dissolution_doc_no,
    ]


def party_organizations_export_xlsx(
    *, queryset: QuerySet[PartyOrganization], fileobj: IO[bytes]
) -> int:
    """党组织导出: the party organizations of `queryset` (filtered and scoped by the caller)."""
    coverages = PartyOrganizationCoverage.objects.select_related("organization").order_by(
        "joined_on", "id"
    )
    rows = (
        _po_row(po)
        for po in queryset.select_related("superior_body")
        .prefetch_related(Prefetch("coverages", queryset=coverages))
        .iterator(chunk_size=2000)
    )
    return xlsx_write(
        fileobj,
        headers=PARTY_ORGANIZATION_HEADERS,
        rows=rows,
        widths=[c.width for c in PARTY_ORGANIZATION_COLUMNS],
        sheet_title="党组织",
    )


def instructor_assignments_export_xlsx(
    *, queryset: QuerySet[InstructorAssignment], fileobj: IO[bytes]
) -> int:
    """指导员指派导出."""
    rows = (
        [
            a.instructor.name,
            a.instructor.employer,
            a.instructor.phone,
            a.organization.uscc,
            a.organization.name,
            a.started_on,
            a.ended_on or "",
        ]
        for a in queryset.select_related("instructor", "organization").iterator(chunk_size=2000)
    )
    return xlsx_write(
        fileobj,
        headers=ASSIGNMENT_HEADERS,
        rows=rows,
        widths=[c.width for c in ASSIGNMENT_COLUMNS],
        sheet_title="指导员指派",
    )
