"""The enterprise USCC of a sponsor, checked with registry.uscc's own rules (DOMAIN.md §1).

registry.uscc accepts only authority code 5 (civil affairs), which is right for the register;
a sponsor is an enterprise registered by market regulation: authority code 9, type digit
1 (企业), 2 (个体工商户) or 3 (农民专业合作社). Length, alphabet and the position-18 check
character are the same rules with the same messages.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from registry.uscc import USCCProblem, uscc_problems

ENTERPRISE_AUTHORITY = "9"
ENTERPRISE_TYPE_DIGITS = {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}


def enterprise_uscc_errors(code: str) -> list[USCCProblem]:
    """The error rules a sponsor's code breaks; empty when it is a valid enterprise code."""
    problems = [
        p for p in uscc_problems(code) if p.is_error and p.code not in {"authority", "type_digit"}
    ]
    if len(code) != 18 or any(p.code == "alphabet" for p in problems):
        return problems
    if code[0] != ENTERPRISE_AUTHORITY:
        problems.append(
            USCCProblem(
                "authority",
                f"企业的第1位登记管理部门码应为“9”（市场监管），实为“{code[0]}”（R-USCC-03）。",
            )
        )
    elif code[1] not in ENTERPRISE_TYPE_DIGITS:
        problems.append(
            USCCProblem(
                "type_digit",
                f"第2位机构类别码“{code[1]}”不是企业类别（1、2、3）（R-USCC-03）。",
            )
        )
    return problems


def validate_enterprise_uscc(value: str) -> None:
    errors = enterprise_uscc_errors(value or "")
    if errors:
        raise ValidationError([ValidationError(p.message, code=p.code) for p in errors])
