"""Excel import of party organizations and of instructor assignments, all or nothing.

Every bad cell is reported (row, column, reason naming the rule); when any row is bad nothing
is written. Valid files are written through the services in one transaction, after checking
again under row locks, so history and rules are the same as for a clerk's entry."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from common.excel import (
    CellError,
    RowError,
    SheetRow,
    is_blank,
    parse_bool_cell,
    parse_date_cell,
    xlsx_read,
)
from registry.models import Organization

from . import exports as x
from .choices import Formation, PartyOrganizationLevel
from .models import (
    Instructor,
    InstructorAssignment,
    PartyOrganization,
    SuperiorBody,
    party_organization_member_errors,
)
from .rules import CoverageRow, coverage_problems
from .services import (
    coverage_conflicts,
    instructor_assign,
    instructor_assignment_end,
    instructor_assignment_problems,
    party_organization_create,
)

MAX_ROWS = 20_000
_SPLIT = re.compile(r"[\s;；,，、]+")
_LEVELS = {
    **{label: value for value, label in PartyOrganizationLevel.choices},
    **{v: v for v in PartyOrganizationLevel.values},
}
_FORMATIONS = {
    **{label: value for value, label in Formation.choices},
    **{v: v for v in Formation.values},
}
_FIELD_COLUMN = {
    "full_members": x.PO_FULL,
    "level": x.PO_LEVEL,
    "has_branch_committee": x.PO_COMMITTEE,
    "joined_on": x.PO_APPROVED_ON,
    "left_on": x.PO_COVERED,
    "organization": x.PO_COVERED,
}


@dataclass
class ImportResult:
    """What an import found (the preview) or did (the commit)."""

    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    to_create: int = 0
    to_update: int = 0
    unchanged: int = 0
    created: int = 0
    updated: int = 0
    committed: bool = False
    planned: list[Any] = field(default_factory=list, repr=False)

    @property
    def is_valid(self) -> bool:
        return not self.errors


# ---------------------------------------------------------------------------- cells


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).replace("\u3000", " ").strip()


def _required(raw: Any) -> str:
    value = _text(raw)
    if not value:
        raise CellError("必填，不能为空。")
    return value


def _count(raw: Any, *, blank: int | None = None) -> int:
    if is_blank(raw):
        if blank is None:
            raise CellError("必填，不能为空。")
        return blank
    text = _text(raw)
    if isinstance(raw, bool) or not text.isdigit():
        raise CellError(f"“{text}”不是人数，应为0或正整数。")
    return int(text)


def _choice(mapping: dict[str, str], what: str):
    def parse(raw: Any) -> str:
        text = _required(raw)
        if text not in mapping:
            labels = "、".join(k for k, v in mapping.items() if k != v)
            raise CellError(f"{what}“{text}”无法识别，应为：{labels}。")
        return mapping[text]

    return parse


def _optional_date(raw: Any) -> datetime.date | None:
    return None if is_blank(raw) else parse_date_cell(raw)


class _Row:
    """Reads the cells of one sheet row, collecting every error."""

    def __init__(self, row: SheetRow, present: set[str]) -> None:
        self.row, self.present, self.errors = row, present, []

    def cell(self, header: str, parse) -> Any:
        if header in self.row.refused or header not in self.present:
            return None
        try:
            return parse(self.row.values.get(header))
        except CellError as exc:
            self.errors.append(RowError(self.row.number, header, str(exc)))
            return None

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.row.number, column, message))


# ---------------------------------------------------------------------------- party organizations


def party_organizations_import(
    *, fileobj: IO[bytes], actor: Any = None, commit: bool = True
) -> ImportResult:
    """党组织导入: new party organizations with the organizations they cover (by USCC).

    A row naming a party organization already in the system (same name and approval date)
    must match it and is left unchanged; changes and dissolutions are made in the system."""
    sheet = xlsx_read(
        fileobj,
        columns=x.PARTY_ORGANIZATION_HEADERS,
        required=[c.header for c in x.PARTY_ORGANIZATION_COLUMNS if c.required],
        max_rows=MAX_ROWS,
    )
    if not commit:
        return _po_plan(sheet)
    with transaction.atomic():
        result = _po_plan(sheet, lock=True)
        if result.errors:
            return result
        for number, fields in result.planned:
            try:
                party_organization_create(**fields, actor=actor)
            except ValidationError as exc:  # the register changed between check and write
                transaction.set_rollback(True)
                return ImportResult(errors=[RowError(number, "", m) for m in exc.messages])
        result.created, result.committed = len(result.planned), True
    return result


def _po_plan(sheet, *, lock: bool = False) -> ImportResult:
    result = ImportResult(errors=list(sheet.errors))
    present = set(sheet.headers)
    bodies = {b.name: b for b in SuperiorBody.objects.all()} | {
        b.code: b for b in SuperiorBody.objects.all()
    }
    codes = {
        code.upper()
        for row in sheet.rows
        for code in _SPLIT.split(_text(row.values.get(x.PO_COVERED)))
        if code
    }
    orgs_qs = Organization.objects.filter(uscc__in=codes)
    orgs = {o.uscc: o for o in (orgs_qs.select_for_update() if lock else orgs_qs)}
    existing = {
        (p.name, p.approved_on): p
        for p in PartyOrganization.objects.filter(
            name__in=[_text(r.values.get(x.PO_NAME)) for r in sheet.rows]
        )
    }
    pending: list[tuple[int, dict, list[CoverageRow]]] = []
    first_row_of_org: dict[int, int] = {}
    for row in sheet.rows:
        r = _Row(row, present)
        fields = _po_fields(r, bodies, orgs)
        if fields is None or r.errors:
            result.errors.extend(r.errors)
            continue
        key = (fields["name"], fields["approved_on"])
        if key in existing:
            _po_compare(r, existing[key], fields, result)
            continue
        rows = [CoverageRow(o.pk, fields["approved_on"]) for o in fields["organizations"]]
        _po_rules(r, fields, rows, first_row_of_org)
        if r.errors:
            result.errors.extend(r.errors)
            continue
        pending.append((row.number, fields, rows))
    flat = [(number, row) for number, _f, rows in pending for row in rows]
    uscc_of = {o.pk: o.uscc for o in orgs.values()}
    conflicts = coverage_conflicts(
        rows=[row for _n, row in flat], exclude_party_organization_id=None
    )
    bad_rows = set()
    for index, reason in conflicts:
        number, row = flat[index]
        result.errors.append(
            RowError(number, x.PO_COVERED, f"{uscc_of[row.organization_id]}：{reason}")
        )
        bad_rows.add(number)
    result.planned = [(n, f) for n, f, _rows in pending if n not in bad_rows]
    result.to_create = len(result.planned)
    order = {h: i for i, h in enumerate(x.PARTY_ORGANIZATION_HEADERS)}
    result.errors.sort(key=lambda e: (e.row, order.get(e.column, len(order))))
    return result


def _po_fields(r: _Row, bodies: dict, orgs: dict) -> dict | None:
    def superior(raw: Any) -> SuperiorBody:
        text = _required(raw)
        if text not in bodies:
            raise CellError(
                f"上级党组织“{text}”不存在（按全称或代码匹配），请先在“上级党组织”中添加（R-PTY-07）。"
            )
        return bodies[text]

    def covered(raw: Any) -> list[Organization]:
        codes = [c.upper() for c in _SPLIT.split(_text(raw)) if c]
        if not codes:
            raise CellError("必填：至少填写一个覆盖组织的统一社会信用代码。")
        unknown = [c for c in codes if c not in orgs]
        if unknown:
            raise CellError(f"统一社会信用代码{'、'.join(unknown)}不在登记簿中。")
        if len(set(codes)) != len(codes):
            raise CellError("同一统一社会信用代码填写了两次。")
        return [orgs[c] for c in codes]

    fields = {
        "name": r.cell(x.PO_NAME, _required),
        "level": r.cell(x.PO_LEVEL, _choice(_LEVELS, "党组织类别")),
        "formation": r.cell(x.PO_FORMATION, _choice(_FORMATIONS, "组建方式")),
        "superior_body": r.cell(x.PO_SUPERIOR, superior),
        "approved_on": r.cell(x.PO_APPROVED_ON, parse_date_cell),
        "approval_doc_no": r.cell(x.PO_APPROVAL_DOC, _text) or "",
        "secretary": r.cell(x.PO_SECRETARY, _text) or "",
        "full_members": r.cell(x.PO_FULL, _count),
        "probationary_members": r.cell(x.PO_PROBATIONARY, lambda raw: _count(raw, blank=0)) or 0,
        "has_branch_committee": bool(
            r.cell(x.PO_COMMITTEE, lambda raw: parse_bool_cell(raw, blank=False))
        ),
        "organizations": r.cell(x.PO_COVERED, covered),
    }
    fields["dissolved_on"] = r.cell(x.PO_DISSOLVED_ON, _optional_date)
    return fields


def _po_compare(r: _Row, po: PartyOrganization, fields: dict, result: ImportResult) -> None:
    same = (
        po.level == fields["level"]
        and po.formation == fields["formation"]
        and po.superior_body_id == fields["superior_body"].pk
        and po.full_members == fields["full_members"]
        and po.probationary_members == fields["probationary_members"]
        and po.dissolved_on == fields["dissolved_on"]
    )
    if same:
        result.unchanged += 1
        return
    result.errors.append(
        RowError(
            r.row.number,
            x.PO_NAME,
            f"系统中已有{po.approved_on}成立的“{po.name}”，表中内容与之不同；变更人数、上级党组织或撤销"
            "请在系统中办理，导入只新增党组织。",
        )
    )


def _po_rules(
    r: _Row, fields: dict, rows: list[CoverageRow], first_row_of_org: dict[int, int]
) -> None:
    if fields.pop("dissolved_on"):
        r.error(
            x.PO_DISSOLVED_ON, "新导入的党组织不能带撤销日期；撤销请在系统中办理并记录撤销文号。"
        )
    for name, messages in party_organization_member_errors(
        level=fields["level"],
        full_members=fields["full_members"],
        probationary_members=fields["probationary_members"],
        has_branch_committee=fields["has_branch_committee"],
    ).items():
        for message in messages:
            r.error(_FIELD_COLUMN[name], message)
    for p in coverage_problems(
        formation=fields["formation"],
        approved_on=fields["approved_on"],
        dissolved_on=None,
        rows=rows,
    ):
        r.error(_FIELD_COLUMN.get(p.field, x.PO_COVERED), p.message)
    for org in fields["organizations"]:
        if org.pk in first_row_of_org:
            r.error(
                x.PO_COVERED,
                f"{org.uscc}已在第{first_row_of_org[org.pk]}行的党组织中；同一时间只能属于一个党组织。",
            )
        else:
            first_row_of_org[org.pk] = r.row.number


# ---------------------------------------------------------------------------- instructor assignments


def instructor_assignments_import(
    *, fileobj: IO[bytes], actor: Any = None, commit: bool = True
) -> ImportResult:
    """指导员指派导入: assignments by instructor (name + unit) and organization (USCC); an
    assignment already in the system is unchanged, or ended when the sheet gives its end."""
    sheet = xlsx_read(
        fileobj,
        columns=x.ASSIGNMENT_HEADERS,
        required=[c.header for c in x.ASSIGNMENT_COLUMNS if c.required],
        max_rows=MAX_ROWS,
    )
    if not commit:
        return _ia_plan(sheet)
    with transaction.atomic():
        result = _ia_plan(sheet, lock=True)
        if result.errors:
            return result
        for number, action, data in result.planned:
            try:
                _ia_write(action, data, actor=actor)
            except ValidationError as exc:
                transaction.set_rollback(True)
                return ImportResult(errors=[RowError(number, "", m) for m in exc.messages])
        result.created, result.updated, result.committed = result.to_create, result.to_update, True
    return result


def _ia_write(action: str, data: dict, *, actor: Any) -> None:
    if action == "end":
        instructor_assignment_end(
            assignment=data["assignment"], ended_on=data["ended_on"], actor=actor
        )
        return
    instructor, _ = Instructor.objects.get_or_create(
        name=data["name"], employer=data["employer"], defaults={"phone": data["phone"]}
    )
    instructor_assign(
        instructor=instructor,
        organization=data["organization"],
        started_on=data["started_on"],
        ended_on=data["ended_on"],
        actor=actor,
    )


def _ia_plan(sheet, *, lock: bool = False) -> ImportResult:
    result = ImportResult(errors=list(sheet.errors))
    present = set(sheet.headers)
    codes = {_text(r.values.get(x.IA_USCC)).upper() for r in sheet.rows}
    orgs_qs = Organization.objects.filter(uscc__in=codes)
    orgs = {o.uscc: o for o in (orgs_qs.select_for_update() if lock else orgs_qs)}
    instructors = {(i.name, i.employer): i for i in Instructor.objects.all()}
    seen: dict[tuple, int] = {}
    for row in sheet.rows:
        r = _Row(row, present)

        def organization(raw: Any) -> Organization:
            code = _required(raw).upper()
            if code not in orgs:
                raise CellError(f"统一社会信用代码{code}不在登记簿中。")
            return orgs[code]

        data = {
            "name": r.cell(x.IA_INSTRUCTOR, _required),
            "employer": r.cell(x.IA_EMPLOYER, _text) or "",
            "phone": r.cell(x.IA_PHONE, _text) or "",
            "organization": r.cell(x.IA_USCC, organization),
            "started_on": r.cell(x.IA_STARTED_ON, parse_date_cell),
            "ended_on": r.cell(x.IA_ENDED_ON, _optional_date),
        }
        if not r.errors:
            _ia_row(r, data, instructors, seen, result)
        result.errors.extend(r.errors)
    result.to_create = sum(1 for _n, action, _d in result.planned if action == "create")
    result.to_update = sum(1 for _n, action, _d in result.planned if action == "end")
    return result


def _ia_row(r: _Row, data: dict, instructors: dict, seen: dict, result: ImportResult) -> None:
    key = (data["name"], data["employer"], data["organization"].pk, data["started_on"])
    if key in seen:
        r.error(x.IA_STARTED_ON, f"与第{seen[key]}行重复。")
        return
    seen[key] = r.row.number
    instructor = instructors.get((data["name"], data["employer"]))
    existing = (
        InstructorAssignment.objects.filter(
            instructor=instructor, organization=data["organization"], started_on=data["started_on"]
        ).first()
        if instructor
        else None
    )
    if existing is not None:
        if existing.ended_on == data["ended_on"]:
            result.unchanged += 1
        elif (
            existing.ended_on is None
            and data["ended_on"]
            and data["ended_on"] > existing.started_on
        ):
            result.planned.append(
                (r.row.number, "end", {"assignment": existing, "ended_on": data["ended_on"]})
            )
        else:
            r.error(
                x.IA_ENDED_ON,
                f"系统中该指派的结束日期为{existing.ended_on or '空'}，已结束的指派不能通过导入修改。",
            )
        return
    problems = instructor_assignment_problems(
        instructor=instructor or Instructor(name=data["name"]),
        organization=data["organization"],
        started_on=data["started_on"],
        ended_on=data["ended_on"],
    )
    columns = {"organization": x.IA_USCC, "started_on": x.IA_STARTED_ON, "ended_on": x.IA_ENDED_ON}
    for name, messages in problems.items():
        for message in messages:
            r.error(columns[name], message)
    if not problems:
        result.planned.append((r.row.number, "create", data))
