"""Cell parsers of the organization import: each returns a value or raises with the rule broken."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from common.excel import (
    CellError,
    is_blank,
    parse_bool_cell,
    parse_money_cell,
)
from registry.choices import LifecycleStatus, OrganizationType
from registry.exports import (
    NO,
    YES,
)
from registry.models import IndustryCategory, Organization, SupervisingUnit
from registry.uscc import uscc_errors, uscc_normalize

_TYPE_BY_LABEL = {
    **{label: value for value, label in OrganizationType.choices},
    **{value: value for value in OrganizationType.values},
    "社会服务机构": OrganizationType.PRIVATE_NON_ENTERPRISE,  # the newer name of 民非 (DOMAIN §2.1)
}
_STATUS_BY_LABEL = {
    **{label: value for value, label in LifecycleStatus.choices},
    **{value: value for value in LifecycleStatus.values},
}
_MAX_CAPITAL = Decimal(10) ** 12  # max_digits=14 with 2 decimal places
TEXT_FIELDS = frozenset(
    {
        "name",
        "legal_representative",
        "domicile",
        "phone",
        "business_scope",
        "registration_certificate_no",
    }
)


# ---------------------------------------------------------------------------- cell parsers


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return YES if raw else NO
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # a phone number typed as a number
    if isinstance(raw, datetime.datetime) and raw.time() == datetime.time(0):
        return raw.date().isoformat()
    return str(raw).replace("\u3000", " ").strip()


def _required_text(raw: Any) -> str:
    value = _text(raw)
    if not value:
        raise CellError("必填，不能为空。")
    return value


def _parse_uscc(raw: Any, *, org_type: str | None) -> tuple[str | None, list[str]]:
    """The normalized code (None when there is none to look up) and every error rule it breaks.

    A code whose only fault is a type digit that disagrees with 组织类型 is still returned,
    so that a changed type on an existing organization meets organization_check_change.
    """
    if is_blank(raw):
        return None, ["必填，不能为空。"]
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return None, [
            "统一社会信用代码必须以文本格式填写：数字格式会丢失位数（如末位变成0）；"
            "请把该列设为“文本”后重新输入（R-USCC-01）。"
        ]
    code = uscc_normalize(str(raw))
    problems = uscc_errors(code, org_type=org_type)
    if any(p.code != "type_mismatch" for p in problems):
        return None, [p.message for p in problems]
    return code, [p.message for p in problems]


def _parse_org_type(raw: Any) -> str:
    text = _text(raw)
    if not text:
        raise CellError("必填，不能为空。")
    try:
        return _TYPE_BY_LABEL[text]
    except KeyError:
        raise CellError(
            f"组织类型“{text}”无法识别，应为：社会团体、民办非企业单位（社会服务机构）、基金会"
            "（DOMAIN.md §2.1）。"
        ) from None


def _parse_category(raw: Any, categories: dict[str, IndustryCategory]) -> IndustryCategory:
    text = _text(raw)
    if not text:
        raise CellError("必填，不能为空。")
    try:
        return categories[text]
    except KeyError:
        names = "、".join(c.name for c in sorted(set(categories.values()), key=lambda c: c.code))
        raise CellError(f"行业分类“{text}”不存在，应为以下之一：{names}（R-CLS-01）。") from None


def _parse_unit(raw: Any, units: dict[str, SupervisingUnit]) -> SupervisingUnit | None:
    text = _text(raw)
    if not text:
        return None  # R-ORG-03: directly registered organizations have no supervising unit
    try:
        return units[text]
    except KeyError:
        raise CellError(
            f"业务主管单位“{text}”不存在（按单位全称匹配）；请先在系统中添加该单位，"
            "没有业务主管单位的请留空（R-ORG-03）。"
        ) from None


def _parse_industry_association(raw: Any) -> bool:
    return parse_bool_cell(raw, extra_true={YES}, extra_false={NO}, blank=False)


def _parse_capital(raw: Any) -> Decimal:
    if is_blank(raw):
        return Decimal("0.00")
    return parse_money_cell(raw, label="注册资金", limit=_MAX_CAPITAL, limit_text="应小于一万亿元")


def _parse_status(raw: Any) -> str | None:
    text = _text(raw)
    if not text:
        return None
    try:
        return _STATUS_BY_LABEL[text]
    except KeyError:
        labels = "、".join(LifecycleStatus.labels)
        raise CellError(f"登记状态“{text}”无法识别，应为：{labels}。") from None


# ---------------------------------------------------------------------------- comparison


def same_as_stored(org: Organization, name: str, new: Any) -> bool:
    """Whether a cell's value is what the organization already holds (then it is no change)."""
    return _same(name, _stored(org, name), new)


def _stored(org: Organization, name: str) -> Any:
    # Foreign keys by id: reading the related object would cost a query per row.
    return getattr(org, f"{name}_id") if name in Organization.LOOKUP_FIELDS else getattr(org, name)


def _same(name: str, stored: Any, new: Any) -> bool:
    if name in Organization.LOOKUP_FIELDS:
        return stored == (new.pk if new else None)
    if name in TEXT_FIELDS:
        # Excel stores line breaks as "\n" and people do not see surrounding blanks: neither
        # is a change, so an exported file imports back as unchanged.
        return _plain(stored) == _plain(new)
    return stored == new


def _plain(value: Any) -> str:
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
