"""统一社会信用代码 (GB 32100-2015) checks as pure functions, DOMAIN.md §1 and decision D2.

One place decides whether a code is acceptable; the model, the admin form, the API and the
Excel import all call `uscc_problems` (or the Django validator built on it), so every
channel refuses the same codes with the same messages.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

CHARSET31 = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # R-USCC-01: no I, O, S, V, Z
WEIGHTS18 = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, … (R-USCC-06)
ORG_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # R-USCC-08: full alphabet for GB 11714
WEIGHTS9 = (3, 7, 9, 10, 5, 8, 4, 2)

CIVIL_AFFAIRS_AUTHORITY = "5"  # R-USCC-03
TYPE_DIGITS = {"social_group": "1", "private_non_enterprise": "2", "foundation": "3"}
TYPE_LABELS = {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}


@dataclass(frozen=True)
class USCCProblem:
    """One failed rule: `code` is stable (tests and API clients key on it), `message` is for people."""

    code: str
    message: str
    is_error: bool = True


def uscc_check_character(first17: str) -> str:
    """Position-18 check character over the first 17 characters (R-USCC-06; value 31 → '0')."""
    total = sum(CHARSET31.index(c) * w for c, w in zip(first17, WEIGHTS18, strict=True))
    return CHARSET31[(31 - total % 31) % 31]


def organization_code_check_character(body8: str) -> str:
    """GB 11714 check character of positions 9–16 with full-alphabet values (R-USCC-07/08)."""
    total = sum(ORG_CHARS.index(c) * w for c, w in zip(body8, WEIGHTS9, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def _shape_problems(code: str) -> list[USCCProblem]:
    """R-USCC-01: 18 characters of the 31-character alphabet; nothing else can be checked
    until these hold."""
    if len(code) != 18:
        return [
            USCCProblem("length", f"统一社会信用代码应为18位，当前为{len(code)}位（R-USCC-01）。")
        ]
    bad = sorted({c for c in code if c not in CHARSET31})
    if bad:
        return [
            USCCProblem(
                "alphabet",
                "统一社会信用代码含有不允许的字符：{}（只允许数字和除 I、O、S、V、Z 以外的大写字母，"
                "R-USCC-01）。".format("、".join(bad)),
            )
        ]
    return []


def _authority_and_type_problems(code: str, org_type: str | None) -> list[USCCProblem]:
    """R-USCC-03: authority `5` (民政) and a civil-affairs type digit matching the type."""
    if code[0] != CIVIL_AFFAIRS_AUTHORITY:
        return [
            USCCProblem(
                "authority",
                f"第1位登记管理部门码应为“5”（民政），实为“{code[0]}”（R-USCC-03）。",
            )
        ]
    if code[1] not in TYPE_LABELS:
        return [
            USCCProblem(
                "type_digit",
                f"第2位机构类别码“{code[1]}”不是民政机构类别（1、2、3、9）（R-USCC-03）。",
            )
        ]
    if org_type and TYPE_DIGITS.get(org_type) != code[1]:
        expected_digit = TYPE_DIGITS.get(org_type, "?")
        return [
            USCCProblem(
                "type_mismatch",
                f"第2位机构类别码为“{code[1]}”（{TYPE_LABELS[code[1]]}），与组织类型不符，"
                f"应为“{expected_digit}”（R-USCC-03）。",
            )
        ]
    return []


def _warnings(code: str, division_code: str | None) -> list[USCCProblem]:
    """D2: the embedded organization-code check (R-USCC-07/09) and a foreign division code
    (R-USCC-05) are shown to staff, never refused."""
    warnings = []
    body_check = organization_code_check_character(code[8:16])
    if code[16] != body_check:
        warnings.append(
            USCCProblem(
                "organization_code",
                f"第17位组织机构代码校验码应为“{body_check}”，实为“{code[16]}”，"
                "请人工核对（R-USCC-07/09）。",
                is_error=False,
            )
        )
    if division_code and code[2:8] != division_code:
        warnings.append(
            USCCProblem(
                "foreign_division",
                f"登记管理机关行政区划码为{code[2:8]}，不是本区的{division_code}"
                "（R-USCC-05，外区迁入或其他层级登记的记录）。",
                is_error=False,
            )
        )
    return warnings


def uscc_problems(
    code: str, *, org_type: str | None = None, division_code: str | None = None
) -> list[USCCProblem]:
    """Every rule the code breaks, errors first; an empty list means the code is fine.

    Errors (refused): length, alphabet, check character, authority `5`, type digit.
    Warnings (shown to staff, D2): embedded organization-code check, foreign division code.
    """
    return list(_uscc_problems(code, org_type, division_code))


# A pure function of its arguments, asked twice of each row of an import (the cell, then the
# model's clean): the second answer comes from here. Bounded: one import's worth of codes.
@functools.lru_cache(maxsize=20_000)
def _uscc_problems(
    code: str, org_type: str | None, division_code: str | None
) -> tuple[USCCProblem, ...]:
    problems = _shape_problems(code)
    if problems:
        return tuple(problems)
    if not code[2:8].isdigit():
        problems.append(
            USCCProblem("division", "第3–8位登记管理机关行政区划码必须是6位数字（R-USCC-04）。")
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        problems.append(
            USCCProblem(
                "check_character",
                f"第18位校验码错误：应为“{expected}”，实为“{code[17]}”（R-USCC-06），"
                "请核对是否抄错。",
            )
        )
    problems += _authority_and_type_problems(code, org_type)
    if not any(p.is_error for p in problems):
        problems += _warnings(code, division_code)
    return tuple(problems)


def uscc_errors(code: str, *, org_type: str | None = None) -> list[USCCProblem]:
    return [p for p in uscc_problems(code, org_type=org_type) if p.is_error]


def uscc_normalize(raw: str) -> str:
    """Strip surrounding blanks and full-width spaces and upper-case; never 'repairs' characters."""
    return (raw or "").strip().replace("\u3000", "").upper()
