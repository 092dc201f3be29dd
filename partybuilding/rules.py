"""Formation rules of a party organization's coverage (R-PTY-01/02) as pure functions: no
database, no clock. Services, the admin inline and the import all ask these."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .choices import Formation


@dataclass(frozen=True)
class CoverageRow:
    """One organization's membership of a party organization, from `joined_on` to `left_on`."""

    organization_id: int
    joined_on: datetime.date
    left_on: datetime.date | None = None

    def overlaps(self, other: CoverageRow) -> bool:
        starts_before_other_ends = other.left_on is None or self.joined_on < other.left_on
        ends_after_other_starts = self.left_on is None or self.left_on > other.joined_on
        return starts_before_other_ends and ends_after_other_starts

    def active_on(self, day: datetime.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)


@dataclass(frozen=True)
class CoverageProblem:
    index: int | None  # the row at fault, None for the party organization as a whole
    field: str
    message: str


def coverage_problems(
    *,
    formation: str,
    approved_on: datetime.date,
    dissolved_on: datetime.date | None,
    rows: list[CoverageRow],
) -> list[CoverageProblem]:
    """Every way `rows` break the formation rules of a party organization."""
    problems: list[CoverageProblem] = []
    for i, row in enumerate(rows):
        if row.joined_on < approved_on:
            problems.append(
                CoverageProblem(
                    i, "joined_on", f"纳入日期早于党组织批准成立日期（{approved_on}）。"
                )
            )
        if row.left_on is not None and row.left_on <= row.joined_on:
            problems.append(CoverageProblem(i, "left_on", "退出日期必须晚于纳入日期。"))
        if dissolved_on is not None and (row.left_on is None or row.left_on > dissolved_on):
            problems.append(
                CoverageProblem(
                    i, "left_on", f"党组织已于{dissolved_on}撤销，退出日期不能晚于撤销日期。"
                )
            )
        for j in range(i):
            other = rows[j]
            if other.organization_id == row.organization_id and row.overlaps(other):
                problems.append(
                    CoverageProblem(i, "organization", "同一社会组织的纳入期间不能重叠。")
                )
            elif formation == Formation.SINGLE and row.overlaps(other):
                problems.append(
                    CoverageProblem(
                        i,
                        "organization",
                        "单独组建的党组织同一时间只能覆盖一个社会组织；覆盖多个组织请选择"
                        "“联合组建”（R-PTY-01、R-PTY-02）。",
                    )
                )
    at_start = {r.organization_id for r in rows if r.active_on(approved_on)}
    if formation == Formation.SINGLE and len(at_start) != 1:
        problems.append(
            CoverageProblem(
                None,
                "organization",
                "单独组建的党组织在批准成立之日须覆盖且只覆盖一个社会组织（R-PTY-01）。",
            )
        )
    if formation == Formation.JOINT and len(at_start) < 2:
        problems.append(
            CoverageProblem(
                None,
                "organization",
                f"联合组建的党组织在批准成立之日须覆盖两个以上社会组织，现为{len(at_start)}个"
                "（R-PTY-02）。",
            )
        )
    return problems
