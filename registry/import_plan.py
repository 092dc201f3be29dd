"""The preview's plan, kept for the commit: a register import validates its rows once
(issue 14).

The preview parses every cell, applies the rules and finds what each row would register or
change. When the file is valid, that plan is kept in the sheet memo beside the upload
(signed, common.sheet_memo). The commit verifies, under lock, that nothing the plan was drawn
from has moved, and then writes the plan instead of validating every row again:

- the same day (the rules of change are dated);
- the same supervising units and industry categories, by id and name (the cells name them);
- every organization to change still at the row version the preview read
  (selectors.with_row_version): a write of the row by anyone in between sends the commit back
  to validating the whole file against what is there now;
- no code to be registered taken in between.

The rules that read other tables (organization_change_refusals, such as the departure audit
before a new legal representative) run again on the locked rows either way; what is not
repeated is the parsing and field validation of the cells, which depend only on the cells
and on rows verified unchanged.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from common.excel import RowError

from .bulk import organizations_lock
from .models import IndustryCategory, Organization, SupervisingUnit
from .selectors import organizations_by_uscc, row_versions_available

# Bump when the kept form changes: a memo of another version is not trusted, the commit
# validates the file again.
KEPT_PLAN_VERSION = 1


@dataclass
class KeptPlan:
    """The preview's plan as the commit may write it: registrations by row, changes by row
    on the locked organizations, and what the preview counted and warned of."""

    registrations: list[tuple[int, dict[str, Any]]]
    changes: list[tuple[int, Organization, dict[str, Any]]]
    unchanged: int
    warnings: list[RowError]


def lookups_stamp(categories: Iterable[IndustryCategory], units: Iterable[SupervisingUnit]) -> str:
    """A digest of the names the cells are matched against: a unit or category added,
    renamed or removed after the preview changes it."""
    keys = sorted({("c", c.pk, c.code, c.name) for c in categories})
    keys += sorted({("u", u.pk, u.name) for u in units})
    return hashlib.sha256(repr(keys).encode()).hexdigest()


def plan_keep(
    *,
    registrations: Sequence[tuple[int, dict[str, Any]]],
    changes: Sequence[tuple[int, Organization, dict[str, Any]]],
    unchanged: int,
    warnings: Sequence[RowError],
    stamp: str,
) -> dict | None:
    """The plan in the form the sheet memo keeps (JSON), or None where rows carry no
    version (then the commit validates the file again)."""
    if not row_versions_available():
        return None
    if any(getattr(org, "row_version", None) is None for _, org, _ in changes):
        return None
    return {
        "v": KEPT_PLAN_VERSION,
        "on": timezone.localdate().isoformat(),
        "stamp": stamp,
        "r": [[number, _dump(values)] for number, values in registrations],
        "c": [[number, org.pk, org.row_version, _dump(values)] for number, org, values in changes],
        "u": unchanged,
        "w": [[w.row, w.column, w.message] for w in warnings],
    }


def plan_restore(
    kept: dict | None,
    *,
    categories: Iterable[IndustryCategory],
    units: Iterable[SupervisingUnit],
) -> KeptPlan | None:
    """The kept plan, if everything it was drawn from is as the preview saw it; None sends
    the commit back to validating the file. Once the day and the lookups match, the
    organizations to change are locked (in the caller's transaction), whatever it answers."""
    categories, units = set(categories), set(units)
    if (
        not kept
        or kept.get("v") != KEPT_PLAN_VERSION
        or kept["on"] != timezone.localdate().isoformat()
        or kept["stamp"] != lookups_stamp(categories, units)
    ):
        return None
    related = {
        "industry_category": {c.pk: c for c in categories},
        "supervising_unit": {u.pk: u for u in units},
    }
    # The rules of change read the type and the legal representative beside the changed
    # fields; nothing else of the 10,000 rows is needed (a rule reading more still works,
    # at a query per row).
    read = {"org_type", "legal_representative"}.union(*(values for *_, values in kept["c"]))
    locked = organizations_lock(
        [pk for _, pk, _, _ in kept["c"]], row_version=True, only=sorted(read)
    )
    changes = []
    for number, pk, version, values in kept["c"]:
        org = locked.get(pk)
        if org is None or org.row_version != version:
            return None
        changes.append((number, org, _load(values, related)))
    registrations = [(number, _load(values, related)) for number, values in kept["r"]]
    if organizations_by_uscc([values["uscc"] for _, values in registrations], only=["pk", "uscc"]):
        return None
    return KeptPlan(
        registrations=registrations,
        changes=changes,
        unchanged=kept["u"],
        warnings=[RowError(row, column, message) for row, column, message in kept["w"]],
    )


def _dump(values: dict[str, Any]) -> dict[str, Any]:
    return {name: _dump_value(value) for name, value in values.items()}


def _dump_value(value: Any) -> Any:
    if isinstance(value, SupervisingUnit | IndustryCategory):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value  # text, booleans, nothing


def _load(values: dict[str, Any], related: dict[str, dict[int, Any]]) -> dict[str, Any]:
    loaded = {}
    for name, raw in values.items():
        if name in related:
            # The stamp matched, so every id the preview matched is still there.
            loaded[name] = related[name][raw] if raw is not None else None
        else:
            loaded[name] = Organization._meta.get_field(name).to_python(raw)
    return loaded
