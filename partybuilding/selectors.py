"""Coverage of party building for any date (R-PTY-04/05, D10), set-based: two SQL statements
whatever the size of the register, plus the querysets behind each figure (the admin links).

Definitions (DOMAIN.md §8), all on day D and all within the denominator:
- denominator: organizations registered on D (D10), or what PARTY_COVERAGE_DENOMINATOR names;
- 有党员: the latest member count on or before D has a member, or a party organization covers it;
- 组织覆盖: a party organization active on D covers it on D (单独 or 联合);
- 工作覆盖: no party organization, but an instructor assigned on D (R-PTY-03);
- 两个覆盖: 组织覆盖 + 工作覆盖 (the 工作覆盖率 formula of R-PTY-05).
Party organizations are counted when active on D; for a department, those covering one of
its organizations on D. Their superior body and member counts are the recorded ones.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils.module_loading import import_string

from registry.models import Organization
from registry.selectors import organizations_registered_on

from .choices import Formation, SuperiorBodyKind
from .models import (
    InstructorAssignment,
    PartyMemberCount,
    PartyOrganization,
    PartyOrganizationCoverage,
    active_on_q,
)
from .sql import coverage_on_day, covered_on_day, party_organization_on_day

DEFAULT_DENOMINATOR = "partybuilding.selectors.organizations_registered"


def organizations_registered(day: datetime.date) -> QuerySet[Organization]:
    """D10's default denominator: organizations registered on `day` (active or deregistering)."""
    return organizations_registered_on(day=day)


def coverage_denominator(day: datetime.date) -> QuerySet[Organization]:
    """The configured denominator (D10: e.g. a callable that leaves out zombie cases)."""
    path = getattr(settings, "PARTY_COVERAGE_DENOMINATOR", DEFAULT_DENOMINATOR)
    func: Callable[[datetime.date], QuerySet[Organization]] = import_string(path)
    return func(day)


# ---------------------------------------------------------------------------- the figures

ORG_FIGURES = (
    ("registered", "在册社会组织（分母）"),
    ("with_members", "有党员的社会组织"),
    ("covered", "组织覆盖的社会组织"),
    ("covered_single", "其中：单独组建覆盖"),
    ("covered_joint", "其中：联合组建覆盖"),
    ("work_covered", "工作覆盖的社会组织（未建党组织、已派指导员）"),
    ("uncovered_with_members", "有党员但未覆盖的社会组织"),
)
ORG_FIGURE_LABELS = dict(ORG_FIGURES)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | float


@dataclass(frozen=True)
class SuperiorBodyFigure:
    superior_body_id: int
    code: str
    name: str
    kind: str
    party_organizations: int


@dataclass
class PartyCoverage:
    """Every coverage figure on `as_of` (R-PTY-05), for the whole register or one department."""

    as_of: datetime.date
    organizations: dict[str, int]
    party_organizations: int = 0
    single: int = 0
    joint: int = 0
    direct: int = 0
    direct_members: int = 0
    founded_in_year: int = 0
    by_superior: list[SuperiorBodyFigure] = field(default_factory=list)

    def rate(self, numerator: int) -> float:
        """A percentage with two decimals (0 when nothing is registered)."""
        denominator = self.organizations["registered"]
        if not denominator:
            return 0.0
        pct = Decimal(100 * numerator) / Decimal(denominator)
        return float(pct.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))

    def figures(self) -> list[Figure]:
        o = self.organizations
        out = [Figure(key, label, o[key]) for key, label in ORG_FIGURES]
        two = o["covered"] + o["work_covered"]
        out += [
            Figure("covered_rate", "组织覆盖率（%）", self.rate(o["covered"])),
            Figure("single_rate", "单独组建率（%）", self.rate(o["covered_single"])),
            Figure(
                "work_covered_rate",
                "工作覆盖率（%，仅指导员覆盖部分）",
                self.rate(o["work_covered"]),
            ),
            Figure("two_coverage", "两个覆盖的社会组织", two),
            Figure("two_coverage_rate", "两个覆盖率（%）", self.rate(two)),
            Figure("party_organizations", "党组织", self.party_organizations),
            Figure("party_organizations_single", "单独组建党组织", self.single),
            Figure("party_organizations_joint", "联合组建党组织", self.joint),
            Figure("party_organizations_direct", "区社会组织党委直管党组织", self.direct),
            Figure("party_organizations_direct_members", "直管党组织党员数", self.direct_members),
            Figure(
                "party_organizations_other",
                "街道、行业（工作）党委等管理的党组织",
                self.party_organizations - self.direct,
            ),
            Figure(
                "party_organizations_founded_in_year",
                f"{self.as_of.year}年新成立的党组织",
                self.founded_in_year,
            ),
        ]
        out += [
            Figure(f"superior_body:{b.code}", f"上级党组织：{b.name}", b.party_organizations)
            for b in self.by_superior
        ]
        return out


def _base_sql(
    day: datetime.date, organizations: QuerySet[Organization] | None
) -> tuple[str, tuple]:
    qs = coverage_denominator(day)
    if organizations is not None:
        try:
            qs = qs & organizations  # one WHERE: the planner can use the unit's index
        except (TypeError, AssertionError):
            qs = qs.filter(pk__in=organizations.values("pk"))  # a sliced or odd denominator
    return qs.order_by().values("pk").query.sql_with_params()


# Up to this many organizations in scope, each is looked up in the indexes of the party
# tables (a department: milliseconds); beyond it the tables are read whole, once.
ROW_LOOKUP_LIMIT = 20_000


_COVERED = covered_on_day("d")

_ORGANIZATIONS_SQL = """
WITH base(id) AS ({base}),
flags AS (
    SELECT t.organization_id,
           bool_or(t.kind <= 2) AS covered,
           bool_or(t.kind = 2) AS single,
           bool_or(t.kind = 3) AS members,
           bool_or(t.kind = 4) AS work
    FROM (
        SELECT c.organization_id, CASE WHEN p.formation = 'single' THEN 2 ELSE 1 END AS kind
        FROM partybuilding_partyorganizationcoverage c
        JOIN partybuilding_partyorganization p ON p.id = c.party_organization_id
        WHERE {covered}
        UNION ALL
        SELECT latest.organization_id, 3
        FROM (
            SELECT DISTINCT ON (m.organization_id) m.organization_id,
                   m.full_members + m.probationary_members AS members
            FROM partybuilding_partymembercount m
            WHERE m.as_of <= %(d)s
            ORDER BY m.organization_id, m.as_of DESC, m.id DESC
        ) latest
        WHERE latest.members > 0
        UNION ALL
        SELECT a.organization_id, 4
        FROM partybuilding_instructorassignment a
        WHERE a.started_on <= %(d)s AND (a.ended_on IS NULL OR a.ended_on > %(d)s)
    ) t
    GROUP BY t.organization_id
)
SELECT count(*),
       count(*) FILTER (WHERE f.covered OR f.members),
       count(*) FILTER (WHERE f.covered),
       count(*) FILTER (WHERE f.single),
       count(*) FILTER (WHERE f.covered AND NOT f.single),
       count(*) FILTER (WHERE NOT f.covered AND f.work),
       count(*) FILTER (WHERE NOT f.covered AND f.members)
FROM base b
LEFT JOIN flags f ON f.organization_id = b.id
"""

# A department's own organizations (thousands, not a million): each is looked up in the
# indexes of the party-building tables instead of reading those tables whole.
_ORGANIZATIONS_BY_ROW_SQL = """
WITH base(id) AS ({base}),
f AS (
    SELECT c.formation IS NOT NULL AS covered,
           c.formation = 'single' AS single,
           coalesce(m.members > 0, false) AS members,
           w.assigned AS work
    FROM base b
    LEFT JOIN LATERAL (
        SELECT max(p.formation) AS formation  -- 'single' > 'joint': a single branch wins
        FROM partybuilding_partyorganizationcoverage c
        JOIN partybuilding_partyorganization p ON p.id = c.party_organization_id
        WHERE c.organization_id = b.id AND {covered}
    ) c ON true
    LEFT JOIN LATERAL (
        SELECT m.full_members + m.probationary_members AS members
        FROM partybuilding_partymembercount m
        WHERE m.organization_id = b.id AND m.as_of <= %(d)s
        ORDER BY m.as_of DESC, m.id DESC
        LIMIT 1
    ) m ON true
    CROSS JOIN LATERAL (
        SELECT EXISTS (
            SELECT 1 FROM partybuilding_instructorassignment a
            WHERE a.organization_id = b.id
              AND a.started_on <= %(d)s AND (a.ended_on IS NULL OR a.ended_on > %(d)s)
        ) AS assigned
    ) w
)
SELECT count(*),
       count(*) FILTER (WHERE f.covered OR f.members),
       count(*) FILTER (WHERE f.covered),
       count(*) FILTER (WHERE f.single),
       count(*) FILTER (WHERE f.covered AND NOT f.single),
       count(*) FILTER (WHERE NOT f.covered AND f.work),
       count(*) FILTER (WHERE NOT f.covered AND f.members)
FROM f
"""

_PARTY_ORGANIZATIONS_SQL = """
SELECT s.id, s.code, s.name, s.kind,
       count(*),
       count(*) FILTER (WHERE p.formation = 'single'),
       coalesce(sum(p.full_members + p.probationary_members), 0),
       count(*) FILTER (WHERE p.approved_on >= %(year_start)s)
FROM partybuilding_partyorganization p
JOIN partybuilding_superiorbody s ON s.id = p.superior_body_id
WHERE {party_on}
  {scope}
GROUP BY s.id, s.code, s.name, s.kind
ORDER BY s.code
"""

# For the whole-table statement: JIT costs more than it saves on a one-off statistic, and the
# planner guesses 200 organizations for the flag set (a GROUP BY over a UNION), which would
# turn the join into one index lookup per flagged organization. Hashing is off too: every
# input is (or sorts cheaply) in organization order, so the flags group as they stream and
# merge with the register read along its primary key, where hashing 600k flags and probing
# them 900k times took 1.1 s against 0.65 s (bench, 1M).
_TUNING_SQL = (
    "SELECT set_config('jit', 'off', true), set_config('work_mem', '128MB', true), "
    "set_config('enable_nestloop', 'off', true), set_config('enable_hashjoin', 'off', true), "
    "set_config('enable_hashagg', 'off', true)"
)

_SCOPE_SQL = """
  AND p.id IN (
      SELECT c.party_organization_id FROM partybuilding_partyorganizationcoverage c
      WHERE {coverage_on}
        AND c.organization_id IN ({base})
  )
"""


def _organizations_row(cursor, named_base: str, params: dict, *, scoped: bool) -> tuple:
    """PostgreSQL: the organization figures in one statement, by row lookups for a
    department's thousands, by reading the party tables once for a larger scope."""
    in_scope = ROW_LOOKUP_LIMIT + 1
    if scoped:  # counted only as far as the limit: a large scope is not read twice
        cursor.execute(
            f"SELECT count(*) FROM ({named_base} LIMIT {ROW_LOOKUP_LIMIT + 1}) b", params
        )
        in_scope = cursor.fetchone()[0]
    if in_scope <= ROW_LOOKUP_LIMIT:
        cursor.execute(_ORGANIZATIONS_BY_ROW_SQL.format(base=named_base, covered=_COVERED), params)
        return cursor.fetchone()
    cursor.execute(_TUNING_SQL)
    cursor.execute(_ORGANIZATIONS_SQL.format(base=named_base, covered=_COVERED), params)
    return cursor.fetchone()


def party_coverage(
    *, day: datetime.date, organizations: QuerySet[Organization] | None = None
) -> PartyCoverage:
    """The coverage figures on `day`; `organizations` narrows them (a department's own)."""
    try:
        base_sql, base_params = _base_sql(day, organizations)
    except EmptyResultSet:
        return PartyCoverage(as_of=day, organizations={key: 0 for key, _ in ORG_FIGURES})
    # The base query's own placeholders are positional; name them so both kinds mix.
    named_base = base_sql.replace("%s", "%({})s")
    base_names = {f"b{i}": value for i, value in enumerate(base_params)}
    named_base = named_base.format(*base_names)
    params = {"d": day, "year_start": datetime.date(day.year, 1, 1), **base_names}
    with transaction.atomic(), connection.cursor() as cursor:
        # The party organizations first: the tuning below is for the organization figures.
        scope = (
            _SCOPE_SQL.format(base=named_base, coverage_on=coverage_on_day("d"))
            if organizations is not None
            else ""
        )
        cursor.execute(
            _PARTY_ORGANIZATIONS_SQL.format(scope=scope, party_on=party_organization_on_day("d")),
            params,
        )
        bodies = cursor.fetchall()
        # _TUNING_SQL is local to this savepoint, which is rolled back (nothing here writes).
        if connection.vendor == "postgresql":
            row = _organizations_row(cursor, named_base, params, scoped=organizations is not None)
        else:
            # SQLite (`make run`): no LATERAL or DISTINCT ON; the same figures counted from
            # the querysets behind them (organizations_for_figure), fine at a district's size.
            everyone = Organization.objects.all() if organizations is None else organizations
            row = [
                organizations_for_figure(figure=key, day=day, queryset=everyone).count()
                for key, _ in ORG_FIGURES
            ]
        transaction.set_rollback(True)
    result = PartyCoverage(
        as_of=day,
        organizations={key: value for (key, _), value in zip(ORG_FIGURES, row, strict=True)},
    )
    for body_id, code, name, kind, count, single, members, founded in bodies:
        result.by_superior.append(SuperiorBodyFigure(body_id, code, name, kind, count))
        result.party_organizations += count
        result.single += single
        result.joint += count - single
        result.founded_in_year += founded
        if kind == SuperiorBodyKind.DISTRICT_COMMITTEE:
            result.direct += count
            result.direct_members += members
    return result


# ---------------------------------------------------------------------------- the rows behind


def _covered_q(day: datetime.date, formation: str | None = None) -> Exists:
    coverages = PartyOrganizationCoverage.objects.filter(
        active_on_q(day, "joined_on", "left_on"),
        active_on_q(day, "party_organization__approved_on", "party_organization__dissolved_on"),
        organization=OuterRef("pk"),
    )
    if formation:
        coverages = coverages.filter(party_organization__formation=formation)
    return Exists(coverages)


def _latest_members(day: datetime.date) -> Subquery:
    return Subquery(
        PartyMemberCount.objects.filter(organization=OuterRef("pk"), as_of__lte=day)
        .order_by("-as_of", "-id")
        .annotate(members=F("full_members") + F("probationary_members"))
        .values("members")[:1]
    )


def organizations_for_figure(
    *, figure: str, day: datetime.date, queryset: QuerySet[Organization]
) -> QuerySet[Organization]:
    """The organizations a figure of `party_coverage` counts, so a link lands on those rows."""
    if figure not in ORG_FIGURE_LABELS and figure != "two_coverage":
        raise ValueError(figure)
    qs = queryset.filter(pk__in=coverage_denominator(day).values("pk"))
    covered = _covered_q(day)
    work = Exists(
        InstructorAssignment.objects.filter(
            active_on_q(day, "started_on", "ended_on"), organization=OuterRef("pk")
        )
    )
    if figure == "registered":
        return qs
    if figure == "covered":
        return qs.filter(covered)
    if figure == "covered_single":
        return qs.filter(_covered_q(day, Formation.SINGLE))
    if figure == "covered_joint":
        return qs.filter(covered).exclude(_covered_q(day, Formation.SINGLE))
    if figure == "work_covered":
        return qs.filter(work).exclude(covered)
    if figure == "two_coverage":
        return qs.filter(Q(covered) | Q(work))
    with_members = qs.annotate(_members=_latest_members(day))
    if figure == "with_members":
        return with_members.filter(Q(covered) | Q(_members__gt=0))
    return with_members.filter(_members__gt=0).exclude(covered)  # uncovered_with_members


def party_organizations_active_on(*, day: datetime.date) -> QuerySet[PartyOrganization]:
    return PartyOrganization.objects.active_on(day)
