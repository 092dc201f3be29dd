"""Excel import of the register: create and update organizations by USCC, all or nothing.

Every row is validated and every problem reported (row, column, reason naming the rule);
if any row is bad nothing is written. The cells are parsed here; the rules of 成立登记 and
变更登记 and the write itself (set-based, locked, history in bulk) are registry.bulk's, the
same rules as the single-organization services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from common.excel import (
    PROGRESS_ROWS,
    CellError,
    Progress,
    RowError,
    Sheet,
    SheetRow,
    parse_date_cell,
    xlsx_read,
)
from registry.bulk import (
    BulkOutcome,
    organizations_bulk_check,
    organizations_bulk_write,
    organizations_lock,
)
from registry.choices import LifecycleStatus, OrganizationType
from registry.exports import (
    BUSINESS_SCOPE,
    CERTIFICATE_NO,
    COLUMN_BY_FIELD,
    DOMICILE,
    ESTABLISHED_ON,
    INDUSTRY_ASSOCIATION,
    INDUSTRY_CATEGORY,
    LEGAL_REPRESENTATIVE,
    NAME,
    ORG_TYPE,
    ORGANIZATION_COLUMNS,
    ORGANIZATION_HEADERS,
    PHONE,
    REGISTERED_CAPITAL,
    STATUS,
    SUPERVISING_UNIT,
    USCC,
)
from registry.import_cells import (
    _parse_capital,
    _parse_category,
    _parse_industry_association,
    _parse_org_type,
    _parse_status,
    _parse_unit,
    _parse_uscc,
    _required_text,
    _text,
    same_as_stored,
)
from registry.import_plan import lookups_stamp, plan_keep, plan_restore
from registry.models import IndustryCategory, Organization, SupervisingUnit
from registry.selectors import organizations_by_uscc
from registry.uscc import uscc_normalize, uscc_problems

CHANGE_REASON = "Excel导入"
MAX_ROWS = 200_000

# The fields an import may write; lifecycle fields change only through
# organization_transition, so 登记状态 is read only to detect an attempted change.
IMPORT_FIELDS = tuple(c.field for c in ORGANIZATION_COLUMNS if c.field not in ("uscc", "status"))


@dataclass
class OrganizationImportResult:
    """What an import found (a preview) or did (a commit): every error, and the counts."""

    errors: list[RowError] = field(default_factory=list)
    # D2 warnings (foreign division code, embedded organization-code check) on the codes that
    # would enter the register: not refusals, but staff should look before confirming.
    warnings: list[RowError] = field(default_factory=list)
    to_create: int = 0
    to_update: int = 0
    unchanged: int = 0
    created: int = 0
    updated: int = 0
    committed: bool = False
    # The commit wrote the preview's plan, verified unchanged, instead of validating every
    # row again (registry.import_plan).
    plan_reused: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class _Plan:
    result: OrganizationImportResult
    # What the rows ask of registry.bulk, keyed by row number. A row with a bad cell still
    # submits its good changes, so that a refused change is reported beside the bad cell.
    registrations: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    changes: list[tuple[int, Organization, dict[str, Any]]] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)
    # Digest of the units and categories the cells were matched against (import_plan).
    stamp: str = ""


CONCURRENT_WRITE_ERROR = (
    "写入时与他人同时进行的登记冲突（如同一统一社会信用代码刚被登记），未写入任何数据，请重新导入。"
)


def organizations_import(
    *,
    fileobj: IO[bytes],
    actor: Any = None,
    commit: bool = True,
    progress: Progress | None = None,
) -> OrganizationImportResult:
    """名录导入: create and update organizations from an .xlsx sheet, keyed by USCC.

    With `commit=False` it only validates and counts (the preview). With `commit=True` it
    writes nothing unless every row is valid. Raises `common.excel.ExcelFormatError` for a
    file that cannot be read at all (not .xlsx, empty, wrong headers).

    A file read with a sheet memo (common.sheet_memo: the admin's two phases of one upload)
    is validated once: the preview keeps its plan in the memo, and the commit writes it
    after verifying under lock that nothing it was drawn from has changed
    (registry.import_plan), or else validates the file again.
    """
    memo = getattr(fileobj, "sheet_memo", None)
    if not commit:
        plan = _plan(_read(fileobj, progress), progress=progress, versions=memo is not None)
        result = _checked(plan)
        if memo is not None and result.is_valid:
            memo.plan = plan_keep(
                registrations=plan.registrations,
                changes=plan.changes,
                unchanged=result.unchanged,
                warnings=result.warnings,
                stamp=plan.stamp,
            )
        return result
    try:
        # The rows to change are read once, locked, to plan the changes (or to verify the
        # preview's plan); the service re-applies the rules of change to those locked rows,
        # so that what is checked is what gets written.
        with transaction.atomic():
            plan = _plan_kept(memo, progress=progress)
            if plan is None:
                plan = _plan(_read(fileobj, progress), progress=progress, lock=True)
            if plan.bad_rows or plan.result.errors:
                return _checked(plan)
            outcome = organizations_bulk_write(
                registrations=plan.registrations,
                changes=plan.changes,
                actor=actor,
                reason=CHANGE_REASON,
                changes_locked=True,
                fields_checked=plan.result.plan_reused,
            )
    except IntegrityError:
        return OrganizationImportResult(errors=[RowError(0, "", CONCURRENT_WRITE_ERROR)])
    result = _report(plan, outcome)
    if outcome.written:
        result.created, result.updated = len(outcome.creates), len(outcome.updates)
        result.committed = True
        if progress is not None:
            written = result.created + result.updated
            progress("written", written, written)
    return result


def _read(fileobj: IO[bytes], progress: Progress | None) -> Sheet:
    return xlsx_read(
        fileobj,
        columns=ORGANIZATION_HEADERS,
        required=[c.header for c in ORGANIZATION_COLUMNS if c.required],
        max_rows=MAX_ROWS,
        progress=progress,
    )


def _checked(plan: _Plan) -> OrganizationImportResult:
    """The preview, or a file with bad cells: the service's rules applied, nothing written."""
    return _report(
        plan, organizations_bulk_check(registrations=plan.registrations, changes=plan.changes)
    )


def _report(plan: _Plan, outcome: BulkOutcome) -> OrganizationImportResult:
    """Merge the service's refusals into the cell errors, in row and column order."""
    result = plan.result
    for number, exc in outcome.errors.items():
        result.errors.extend(_row_errors(number, exc))
    refused = plan.bad_rows | set(outcome.errors)
    result.to_create = sum(1 for number, _ in plan.registrations if number not in refused)
    result.to_update = sum(1 for number, _, _ in plan.changes if number not in refused)
    order = {h: i for i, h in enumerate(ORGANIZATION_HEADERS)}
    result.errors.sort(key=lambda e: (e.row, order.get(e.column, len(order))))
    return result


# ---------------------------------------------------------------------------- validation


def _plan(
    sheet: Sheet,
    *,
    progress: Progress | None = None,
    lock: bool = False,
    versions: bool = False,
) -> _Plan:
    plan = _Plan(result=OrganizationImportResult(errors=list(sheet.errors)))
    present = set(sheet.headers)
    categories, units = _category_lookup(), _unit_lookup()
    plan.stamp = lookups_stamp(categories.values(), units.values())
    existing = _existing_by_uscc(sheet, lock=lock, versions=versions)
    first_row_of: dict[str, int] = {}
    total = len(sheet.rows)
    for done, row in enumerate(sheet.rows, start=1):
        if progress is not None and (done % PROGRESS_ROWS == 0 or done == total):
            progress("validated", done, total)
        _plan_row(
            row,
            plan=plan,
            present=present,
            categories=categories,
            units=units,
            existing=existing,
            first_row_of=first_row_of,
        )
    return plan


def _plan_kept(memo: Any, *, progress: Progress | None) -> _Plan | None:
    """The preview's plan kept in the memo, if it still holds (import_plan.plan_restore)."""
    if memo is None or not memo.plan:
        return None
    kept = plan_restore(
        memo.plan, categories=IndustryCategory.objects.all(), units=SupervisingUnit.objects.all()
    )
    if kept is None:
        return None
    result = OrganizationImportResult(
        warnings=kept.warnings, unchanged=kept.unchanged, plan_reused=True
    )
    if progress is not None:
        total = len(kept.registrations) + len(kept.changes) + kept.unchanged
        progress("read", total, total)
        progress("validated", total, total)
    return _Plan(result=result, registrations=kept.registrations, changes=kept.changes)


def _category_lookup() -> dict[str, IndustryCategory]:
    lookup: dict[str, IndustryCategory] = {}
    for category in IndustryCategory.objects.all():
        lookup[category.name] = category
        lookup[str(category)] = category  # "9 社会服务", as the admin shows it
    return lookup


def _unit_lookup() -> dict[str, SupervisingUnit]:
    return {u.name: u for u in SupervisingUnit.objects.all()}


def _existing_by_uscc(sheet: Sheet, *, lock: bool, versions: bool) -> dict[str, Organization]:
    codes = sorted(
        {
            uscc_normalize(str(row.values[USCC]))
            for row in sheet.rows
            if isinstance(row.values.get(USCC), str)
        }
    )
    if not lock:
        return organizations_by_uscc(codes, row_version=versions)
    # The ids first (a narrow read), then the rows locked in id order, as every bulk writer
    # locks them: two imports never wait on each other in a cycle.
    pks = [org.pk for org in organizations_by_uscc(codes, only=["pk", "uscc"]).values()]
    return {org.uscc: org for org in organizations_lock(pks).values()}


@dataclass
class _RowCells:
    """One row's cells as they are read: the refusals so far, and whether the row is bad
    (any refused cell, including those the sheet reader already refused)."""

    row: SheetRow
    present: set[str]
    errors: list[RowError] = field(default_factory=list)
    bad: bool = False

    def __post_init__(self) -> None:
        self.bad = bool(self.row.refused)

    def refuse(self, header: str, message: str) -> None:
        self.errors.append(RowError(self.row.number, header, message))
        self.bad = True

    def cell(self, header: str, parse) -> Any:
        if header in self.row.refused or header not in self.present:
            return None
        try:
            return parse(self.row.values.get(header))
        except CellError as exc:
            self.refuse(header, str(exc))
            return None


def _plan_row(
    row: SheetRow,
    *,
    plan: _Plan,
    present: set[str],
    categories: dict[str, IndustryCategory],
    units: dict[str, SupervisingUnit],
    existing: dict[str, Organization],
    first_row_of: dict[str, int],
) -> None:
    cells = _RowCells(row=row, present=present)
    values: dict[str, Any] = {}
    org_type = cells.cell(ORG_TYPE, _parse_org_type)
    if org_type:
        values["org_type"] = org_type
    uscc = _row_uscc(cells, org_type=org_type, first_row_of=first_row_of)
    values.update(_field_values(cells, categories=categories, units=units))
    status = cells.cell(STATUS, _parse_status)
    _check_industry_association(cells, values=values, org_type=org_type)

    current = existing.get(uscc) if uscc else None
    if current is not None:
        _plan_update(row, current, values, status, cells.errors, plan, bad_row=cells.bad)
    elif uscc:
        _plan_create(row, uscc, values, status, cells.errors, plan, bad_row=cells.bad)
    if cells.bad or cells.errors:
        plan.bad_rows.add(row.number)
    plan.result.errors.extend(cells.errors)


def _row_uscc(cells: _RowCells, *, org_type: Any, first_row_of: dict[str, int]) -> str | None:
    """The row's USCC, or None when refused; a code already seen higher up is refused as a
    duplicate (R-USCC-02) and the first row that carried it is remembered."""
    row = cells.row
    uscc = None
    if USCC not in row.refused:
        uscc, problems = _parse_uscc(row.values.get(USCC), org_type=org_type)
        for message in problems:
            cells.refuse(USCC, message)
    if uscc and uscc in first_row_of:
        cells.refuse(
            USCC,
            f"与第{first_row_of[uscc]}行的统一社会信用代码重复；"
            "同一文件中每个组织只能出现一次（R-USCC-02）。",
        )
    elif uscc:
        first_row_of[uscc] = row.number
    return uscc


def _field_values(
    cells: _RowCells,
    *,
    categories: dict[str, IndustryCategory],
    units: dict[str, SupervisingUnit],
) -> dict[str, Any]:
    """The plain fields the row fills, by model field name; a refused cell is left out."""
    simple = (
        (NAME, "name", _required_text),
        (LEGAL_REPRESENTATIVE, "legal_representative", _required_text),
        (DOMICILE, "domicile", _required_text),
        (PHONE, "phone", _text),
        (BUSINESS_SCOPE, "business_scope", _text),
        (CERTIFICATE_NO, "registration_certificate_no", _text),
        (REGISTERED_CAPITAL, "registered_capital", _parse_capital),
        (ESTABLISHED_ON, "established_on", parse_date_cell),
        (INDUSTRY_ASSOCIATION, "is_industry_association", _parse_industry_association),
        (INDUSTRY_CATEGORY, "industry_category", lambda raw: _parse_category(raw, categories)),
        (SUPERVISING_UNIT, "supervising_unit", lambda raw: _parse_unit(raw, units)),
    )
    values: dict[str, Any] = {}
    for header, name, parse in simple:
        if header in cells.present and header not in cells.row.refused:
            value = cells.cell(header, parse)
            if not any(e.column == header for e in cells.errors):
                values[name] = value
    return values


def _check_industry_association(cells: _RowCells, *, values: dict[str, Any], org_type: Any) -> None:
    """Only a social group may be marked as an industry association (R-ORG-02)."""
    if (
        values.get("is_industry_association")
        and org_type
        and org_type != OrganizationType.SOCIAL_GROUP
    ):
        cells.refuse(
            INDUSTRY_ASSOCIATION,
            f"只有社会团体可以标记为行业协会商会，本行组织类型为“{OrganizationType(org_type).label}”"
            "（R-ORG-02）。",
        )


def _plan_update(
    row: SheetRow,
    current: Organization,
    values: dict[str, Any],
    status: str | None,
    errors: list[RowError],
    plan: _Plan,
    *,
    bad_row: bool,
) -> None:
    if status and status != current.status:
        errors.append(
            RowError(
                row.number,
                STATUS,
                f"登记状态不能通过导入变更（当前为“{current.get_status_display()}”，"
                f"表中为“{LifecycleStatus(status).label}”）；注销、撤销登记请在系统中办理"
                "（DESIGN.md §3）。",
            )
        )
        bad_row = True
    changes = {
        name: value
        for name, value in values.items()
        if name in IMPORT_FIELDS and not same_as_stored(current, name, value)
    }
    if changes:
        plan.changes.append((row.number, current, changes))
    elif not (bad_row or errors):
        plan.result.unchanged += 1


def _plan_create(
    row: SheetRow,
    uscc: str,
    values: dict[str, Any],
    status: str | None,
    errors: list[RowError],
    plan: _Plan,
    *,
    bad_row: bool,
) -> None:
    if status and status != LifecycleStatus.ACTIVE:
        errors.append(
            RowError(
                row.number,
                STATUS,
                f"新登记的组织登记状态只能为“正常”或留空，表中为“{LifecycleStatus(status).label}”"
                "；注销、撤销登记请在系统中办理（DESIGN.md §3）。",
            )
        )
        bad_row = True
    if bad_row or errors:
        return
    plan.registrations.append((row.number, {"uscc": uscc, **values}))
    plan.result.warnings.extend(
        RowError(row.number, USCC, p.message)
        for p in uscc_problems(uscc, division_code=settings.REGISTRY_DIVISION_CODE)
        if not p.is_error
    )


def _row_errors(number: int, exc: ValidationError) -> list[RowError]:
    if not hasattr(exc, "error_dict"):
        return [RowError(number, "", message) for message in exc.messages]
    out = []
    for name, messages in exc.message_dict.items():
        column = COLUMN_BY_FIELD.get(name)
        header = column.header if column and name != NON_FIELD_ERRORS else ""
        out.extend(RowError(number, header, message) for message in messages)
    return out
