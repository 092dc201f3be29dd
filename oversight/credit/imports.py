"""Excel import of penalties (行政处罚) and special letters (专项信函), all or nothing.

Each row is written through the intake services (`credit/intake.py`), the same checks as the
admin and the API, inside one transaction: every row is tried so that every bad cell is
reported (row, column header, rule in Chinese), and if any is bad — or this is the preview —
the transaction is rolled back and nothing is written. Cells are parsed first with the
project's cell parsers (common.excel, registry's USCC parser); organizations are looked up
by USCC in a few queries per file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from common.excel import (
    CellError,
    RowError,
    Sheet,
    is_blank,
    parse_bool_cell,
    parse_date_cell,
    parse_money_cell,
    xlsx_read,
    xlsx_write_sheets,
)
from oversight.credit.choices import LetterMailing, LetterReturnReason, PenaltyKind
from oversight.credit.intake import (
    MAX_AMOUNT,
    penalty_record,
    special_letter_record,
    special_letter_return_record,
    special_letter_signed_record,
)
from registry.import_cells import _parse_uscc, _text
from registry.models import Organization
from registry.selectors import organizations_by_uscc

MAX_ROWS = 20_000
USCC = "统一社会信用代码"


@dataclass(frozen=True)
class Column:
    """One column of an intake sheet: Chinese header, the service argument it fills, its
    cell kind, whether the cell is required, the width and a hint for the template."""

    header: str
    field: str
    kind: str
    required: bool
    width: int
    hint: str = ""


PENALTY_COLUMNS: tuple[Column, ...] = (
    Column(USCC, "organization", "uscc", True, 22, "18位，文本格式"),
    Column("处罚种类", "kind", "penalty_kind", True, 14, "、".join(PenaltyKind.labels)),
    Column("罚款金额（元）", "amount", "money", False, 14, "仅罚款填写，其他种类留空"),
    Column("处罚决定日期", "decided_on", "date", True, 14, "如 2024-03-15"),
    Column("处罚决定书文号", "decision_no", "text", True, 26, "不能与已登记的文号重复"),
    Column("作出处罚决定机关", "authority", "text", True, 24, "如 深圳市福田区民政局"),
    Column("违法事实", "facts", "text", False, 40, ""),
    Column("处罚依据", "legal_basis", "text", False, 30, ""),
)
LETTER_COLUMNS: tuple[Column, ...] = (
    Column(USCC, "organization", "uscc", True, 22, "18位，文本格式；寄往该组织的登记住所"),
    Column("寄送次序", "mailing", "mailing", True, 10, "第一次 或 第二次"),
    Column("寄出日期", "sent_on", "date", True, 14, "第二次须在第一次之后满规定间隔"),
    Column("EMS邮件号", "tracking_no", "text", True, 20, "不能与已登记的邮件号重复"),
    Column("已签收", "signed_for", "bool", False, 10, "是 或 否；尚无投递结果留空"),
    Column("退回日期", "returned_on", "date", False, 14, "信函退回时填写，不早于寄出日期"),
    Column(
        "退回原因",
        "return_reason",
        "return_reason",
        False,
        16,
        "、".join(LetterReturnReason.labels),
    ),
)


@dataclass
class IntakeImportResult:
    """What an import found (a preview) or did (a commit)."""

    errors: list[RowError] = field(default_factory=list)
    to_create: int = 0
    created: int = 0
    committed: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.errors


# ------------------------------------------------------------------ cells


_KIND_BY_LABEL = {**{label: v for v, label in PenaltyKind.choices}, **{v: v for v in PenaltyKind}}
_MAILING_BY_LABEL = {
    "第一次": LetterMailing.FIRST,
    "第二次": LetterMailing.SECOND,
    "1": LetterMailing.FIRST,
    "2": LetterMailing.SECOND,
}
_REASON_BY_LABEL = {
    **{label: v for v, label in LetterReturnReason.choices},
    **{v: v for v in LetterReturnReason},
}


def _choice(raw: Any, table: dict[str, Any], what: str, allowed: Sequence[str]) -> Any:
    text = _text(raw)
    try:
        return table[text]
    except KeyError:
        raise CellError(f"{what}“{text}”无法识别，应为：{'、'.join(allowed)}。") from None


def _parse_cell(column: Column, raw: Any) -> Any:
    if is_blank(raw):
        if column.required:
            raise CellError("必填，不能为空。")
        return None
    kind = column.kind
    if kind == "uscc":
        code, problems = _parse_uscc(raw, org_type=None)
        if code is None or problems:
            raise CellError("；".join(problems))
        return code
    if kind == "date":
        return parse_date_cell(raw)
    if kind == "money":
        return parse_money_cell(
            raw, label="罚款金额", limit=MAX_AMOUNT, limit_text="应小于一万亿元"
        )
    if kind == "bool":
        return parse_bool_cell(raw, extra_true={"已签收"}, extra_false={"未签收"})
    if kind == "penalty_kind":
        return _choice(raw, _KIND_BY_LABEL, "处罚种类", PenaltyKind.labels)
    if kind == "mailing":
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        return _choice(raw, _MAILING_BY_LABEL, "寄送次序", ["第一次", "第二次"])
    if kind == "return_reason":
        return _choice(raw, _REASON_BY_LABEL, "退回原因", LetterReturnReason.labels)
    return _text(raw)


# ------------------------------------------------------------------ the engine


def _service_errors(
    exc: ValidationError, row: int, columns: Sequence[Column], aliases: dict[str, str]
) -> list[RowError]:
    """A service's field-keyed refusal as cell errors: each field to its column header."""
    header_of = {c.field: c.header for c in columns} | aliases
    messages = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    return [
        RowError(row, header_of.get(name, ""), message)
        for name, texts in messages.items()
        for message in texts
    ]


def _parse_rows(
    sheet: Sheet, columns: Sequence[Column], errors: list[RowError]
) -> list[tuple[int, dict[str, Any], bool]]:
    """Each row's parsed cells, and whether any cell was refused (reported in `errors`)."""
    parsed: list[tuple[int, dict[str, Any], bool]] = []
    for row in sheet.rows:
        values, bad = {}, bool(row.refused)
        for column in columns:
            if column.header in row.refused:
                continue
            try:
                values[column.field] = _parse_cell(column, row.values.get(column.header))
            except CellError as exc:
                errors.append(RowError(row.number, column.header, str(exc)))
                bad = True
        parsed.append((row.number, values, bad))
    return parsed


def _run_import(
    *,
    fileobj: IO[bytes],
    columns: Sequence[Column],
    write: Callable[[dict[str, Any], Organization], None],
    aliases: dict[str, str],
    commit: bool,
) -> IntakeImportResult:
    headers = [c.header for c in columns]
    sheet = xlsx_read(
        fileobj,
        columns=headers,
        required=[c.header for c in columns if c.required],
        max_rows=MAX_ROWS,
    )
    result = IntakeImportResult(errors=list(sheet.errors))
    parsed = _parse_rows(sheet, columns, result.errors)
    organizations = organizations_by_uscc(
        {v["organization"] for _, v, _ in parsed if v.get("organization")}
    )
    try:
        with transaction.atomic():
            for number, values, bad in parsed:
                org = organizations.get(values.get("organization") or "")
                if values.get("organization") and org is None:
                    result.errors.append(
                        RowError(
                            number,
                            USCC,
                            f"系统中没有统一社会信用代码为“{values['organization']}”的社会组织。",
                        )
                    )
                if bad or org is None:
                    continue
                try:
                    write(values, org)
                except ValidationError as exc:
                    result.errors.extend(_service_errors(exc, number, columns, aliases))
                    continue
                result.to_create += 1
            if result.errors or not commit:
                transaction.set_rollback(True)
    except IntegrityError:
        # Someone recorded the same number between a row's check and its write.
        return IntakeImportResult(
            errors=[
                RowError(0, "", "写入时发现文号或邮件号刚被他人登记，未写入任何数据，请重新导入。")
            ]
        )
    order = {h: i for i, h in enumerate(headers)}
    result.errors.sort(key=lambda e: (e.row, order.get(e.column, len(order))))
    if result.errors:
        result.to_create = 0
    elif commit:
        result.created, result.committed = result.to_create, True
    return result


# ------------------------------------------------------------------ the two sheets


def penalties_import(
    *, fileobj: IO[bytes], actor: Any = None, commit: bool = True
) -> IntakeImportResult:
    """行政处罚导入: one penalty per row, through `penalty_record`; all or nothing."""

    def write(values: dict[str, Any], org: Organization) -> None:
        penalty_record(
            organization=org,
            kind=values["kind"],
            amount=values.get("amount") or Decimal(0),
            decided_on=values["decided_on"],
            decision_no=values["decision_no"],
            authority=values["authority"],
            facts=values.get("facts") or "",
            legal_basis=values.get("legal_basis") or "",
            actor=actor,
            reason="Excel导入",
        )

    return _run_import(
        fileobj=fileobj, columns=PENALTY_COLUMNS, write=write, aliases={}, commit=commit
    )


def _letter_outcome_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if values.get("signed_for") and values.get("returned_on"):
        errors["returned_on"] = ["已签收的信函不能同时填写退回日期。"]
    if values.get("return_reason") and not values.get("returned_on"):
        errors["returned_on"] = ["填写了退回原因，请同时填写退回日期。"]
    if values.get("returned_on") and not values.get("return_reason"):
        errors["return_reason"] = [
            f"信函已退回，请填写退回原因（{'、'.join(LetterReturnReason.labels)}）。"
        ]
    return errors


def special_letters_import(
    *, fileobj: IO[bytes], actor: Any = None, commit: bool = True
) -> IntakeImportResult:
    """专项信函导入: one letter per row with its outcome (signed, or returned with the reason),
    through `special_letter_record` and the outcome services. A second mailing follows the
    organization's first one, recorded before or in an earlier row of the same file."""

    def write(values: dict[str, Any], org: Organization) -> None:
        outcome = _letter_outcome_errors(values)
        if outcome:
            raise ValidationError(outcome)
        with transaction.atomic():  # the letter and its outcome, or neither
            letter = special_letter_record(
                organization=org,
                sent_on=values["sent_on"],
                tracking_no=values["tracking_no"],
                mailing=values["mailing"],
                actor=actor,
            )
            if values.get("signed_for"):
                special_letter_signed_record(letter=letter, actor=actor)
            elif values.get("returned_on"):
                special_letter_return_record(
                    letter=letter,
                    returned_on=values["returned_on"],
                    return_reason=values["return_reason"],
                    actor=actor,
                )

    return _run_import(
        fileobj=fileobj,
        columns=LETTER_COLUMNS,
        write=write,
        aliases={"address": USCC, "first_letter": "寄送次序"},
        commit=commit,
    )


def intake_template_xlsx(*, columns: Sequence[Column], title: str, fileobj: IO[bytes]) -> None:
    """The import template: the header row to fill in, and a sheet explaining each column."""
    xlsx_write_sheets(
        fileobj,
        sheets=[
            {
                "title": title,
                "headers": [c.header for c in columns],
                "rows": [],
                "widths": [c.width for c in columns],
            },
            {
                "title": "填写说明",
                "headers": ["列", "是否必填", "说明"],
                "rows": [(c.header, "必填" if c.required else "选填", c.hint) for c in columns],
                "widths": [22, 10, 60],
            },
        ],
    )
