"""僵尸型社会组织 (DESIGN.md §4.5, DOMAIN.md §5): the criteria of R-ZMB-01 as code, the
monthly detection that flags candidates with their evidence, the cleanup cases staff open
from the flags (R-ZMB-02) and the monthly circular to each supervising unit.

The criteria, on a detection date `as_of` (D7: each reference period is a legal period in force
on `as_of`, common.policy, recorded in every flag's evidence under "periods"):

- **R-ZMB-01(1) 连续两年未报** — the *report years* are the last
  `ZOMBIE_MISSED_REPORT_YEARS` consecutive years whose bureau deadline had passed on `as_of`
  (cycle deadlines, or the defaults of R-ANN-01 when a cycle is missing; a deadline passes
  the day after it). The organization owed a report for every one of them (the rules of
  `selectors.organizations_owing_report`: established by 31 December, 民非 established on or
  after the exemption cut-off exempt, R-ANN-02) and filed no sealed report by that year's
  deadline for any of them (R-ANN-01/06). Evidence: the years and their deadlines.
- **R-ZMB-01(2) 取得登记证书后1年未开展活动** (R-ORG-10, D14) — the organization was established at
  least `ZOMBIE_NO_ACTIVITY_AFTER_REGISTRATION_MONTHS` months before `as_of` (the months
  complete on the same day of the month, e.g. established 2021-03-15 → complete on
  2022-03-15), its first annual report has fallen due (it owed the report of the latest
  year whose bureau deadline passed before `as_of`: a reporting period has ended, D14 — a
  民非 founded after the exemption cut-off is judged a year later), and no sealed annual
  report filed on or before `as_of`, of any year, shows an activity (`activities_held` > 0):
  all its reports show none, or it has filed none. The annual report is the only activity
  record the register holds. Evidence: the establishment date, the months and the first
  report year that fell due.
- **R-ZMB-01(3) 参考期内未开展业务活动** — the organization owed a report for each of the last
  `ZOMBIE_NO_BUSINESS_YEARS` report years (as in (1)), at least one sealed report for those
  years was filed on or before `as_of`, and none of them shows an activity. Income is not
  looked at: dues, interest and donations come in without any business being carried out.
  An organization that filed nothing for those years is case (1), not (3). Evidence: per
  year, the activities reported (null: no sealed report filed).
- **R-ZMB-01(4) 无法取得联系** (R-CRD-03, D6, D15) — within the last `ZOMBIE_UNREACHABLE_YEARS`
  years up to `as_of`, at least two special letters went unsigned (their return recorded by
  `as_of`: credit.selectors.unsigned_letters, the credit rule's definition), the first and the last
  at least `CREDIT_UNREACHABLE_MIN_INTERVAL_DAYS` days apart, counting only letters sent
  after the last letter that was signed for (a signature shows the address worked); or the
  organization is on the abnormal list on ground R-CRD-02(6) (listing in effect on `as_of`
  and not removed by then). Evidence: the letters' dates, or the listing's decision.

Only organizations on the register on `as_of` (established, not deregistered or revoked by
then: active or deregistering) and without an open cleanup case are candidates.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from oversight.annual_reports.models import AnnualReport
from oversight.credit.choices import CreditGround, CreditList
from oversight.credit.models import SpecialLetter
from oversight.credit.rules import active_listing_rows
from oversight.credit.selectors import unsigned_letters
from oversight.zombies.choices import (
    DETECTED_CRITERIA,
    ZOMBIE_OPEN_STAGES,
    FlagSource,
    ZombieCriterion,
)
from oversight.zombies.models import ZombieCase, ZombieFlag
from oversight.zombies.periods import Periods, ReportYear
from oversight.zombies.sql_dialect import _Dialect
from registry.choices import OrganizationType
from registry.models import Organization

# (5) is designated by people (zombies.designation), never computed here.
CRITERIA = DETECTED_CRITERIA
CRITERION_LABELS = dict(ZombieCriterion.choices)


# ------------------------------------------------------------------ detection (one SQL statement)


def _named(sql: str, params: Iterable[Any], prefix: str) -> tuple[str, dict[str, Any]]:
    """A compiled queryset's positional placeholders as named ones, to embed it in a
    statement that uses named parameters."""
    pieces = sql.split("%s")
    values = list(params)
    assert len(pieces) == len(values) + 1
    named = {f"{prefix}{i}": v for i, v in enumerate(values)}
    text = pieces[0] + "".join(f"%({prefix}{i})s{piece}" for i, piece in enumerate(pieces[1:]))
    return text, named


def _unreachable_listings(as_of: datetime.date) -> tuple[str, dict[str, Any]]:
    """R-ZMB-01(4) by listing: the abnormal listings on ground R-CRD-02(6) in effect on
    `as_of`, compiled from the one definition of an active listing (credit rules)."""
    qs = (
        active_listing_rows(on=as_of, list_type=CreditList.ABNORMAL)
        .filter(ground=CreditGround.A6_UNREACHABLE)
        .order_by()
        .values("organization_id", "decision_no", "decided_on")
    )
    sql, params = qs.query.sql_with_params()
    return _named(sql, params, "listing_")


def _unsigned_letters(as_of: datetime.date) -> tuple[str, dict[str, Any]]:
    """R-ZMB-01(4) by letters: the unsigned letters on `as_of`, compiled from the one
    definition the credit rule R-CRD-03 uses too (D15: returned, not merely unsigned)."""
    qs = unsigned_letters(on=as_of).order_by().values("organization_id", "sent_on")
    sql, params = qs.query.sql_with_params()
    return _named(sql, params, "unsigned_")


def _owed(y: ReportYear) -> str:
    """selectors.organizations_owing_report for an organization on the register on as_of
    (hence on the deadline, which is earlier): established by 31 December, 民非 established on
    or after the cut-off exempt (R-ANN-02). tests/oversight/zombies/test_definitions.py holds
    the two to the same answers on the edge cases."""
    return (
        f"(pop.established_on <= %(dec31_{y.year})s AND NOT (pop.org_type = %(pne)s"
        f" AND pop.established_on >= %(cutoff_{y.year})s))"
    )


def _criterion_1(p: Periods) -> str:
    """R-ZMB-01(1): owed and no sealed report by the deadline, every year of the period."""
    return " AND ".join(
        f"{_owed(y)} AND COALESCE(rc.ontime_{y.year}, 0) = 0" for y in p.missed_years
    )


def _criterion_3(p: Periods) -> str:
    """R-ZMB-01(3): owed every year, at least one sealed report, none showing an activity."""
    years = p.no_business_years
    return (
        " AND ".join(f"{_owed(y)} AND COALESCE(rc.act_{y.year}, 0) = 0" for y in years)
        + " AND ("
        + " OR ".join(f"rc.act_{y.year} IS NOT NULL" for y in years)
        + ")"
    )


def _year_params(p: Periods) -> tuple[dict[str, Any], list[str]]:
    """Per report year: its parameters and the `recent` CTE's on-time / activity columns."""
    ops = connection.ops
    params: dict[str, Any] = {}
    columns = []
    for y in {y.year: y for y in (*p.missed_years, *p.no_business_years)}.values():
        params[f"deadline_{y.year}"] = ops.adapt_datefield_value(y.bureau_deadline)
        params[f"dec31_{y.year}"] = ops.adapt_datefield_value(datetime.date(y.year, 12, 31))
        params[f"cutoff_{y.year}"] = ops.adapt_datefield_value(y.exemption_cutoff)
        columns.append(
            f"MAX(CASE WHEN r.year = {y.year} AND r.is_sealed"
            f" AND r.submitted_on <= %(deadline_{y.year})s THEN 1 ELSE 0 END) AS ontime_{y.year},"
            f" MAX(CASE WHEN r.year = {y.year} AND r.is_sealed"
            f" THEN r.activities_held END) AS act_{y.year}"
        )
    return params, columns


def _criteria_json(d: _Dialect) -> str:
    """The JSON list of the criteria codes met, as text built the same way on every vendor."""
    quote = '"'
    met = ("c1 = 1", "c2 = 1", "c3 = 1", "c4_letters + c4_listing > 0")
    return d.as_json(
        "'[' || rtrim("
        + " || ".join(
            f"CASE WHEN {m} THEN '{quote}{code.value}{quote},' ELSE '' END"
            for m, code in zip(met, CRITERIA, strict=True)
        )
        + ", ',') || ']'"
    )


def _evidence_json(p: Periods, d: _Dialect, params: dict[str, Any]) -> str:
    """Each criterion's evidence, plus the legal periods the detection used (issue 16)."""
    params["evidence_1"] = json.dumps(
        {
            "years": [y.year for y in p.missed_years],
            "deadlines": [y.bureau_deadline.isoformat() for y in p.missed_years],
        }
    )
    params["evidence_periods"] = json.dumps({"periods": p.values})

    def only_if(condition: str, key: str, value: str) -> str:
        return f"CASE WHEN {condition} THEN {d.obj(key, value)} ELSE {d.empty} END"

    evidence_3 = d.obj(
        "'years'",
        d.arr(
            *(
                d.obj("'year'", str(y.year), "'activities_held'", f"act_{y.year}")
                for y in p.no_business_years
            )
        ),
    )
    evidence_2 = d.obj(
        "'established_on'", "established_on", "'months'", "%(months)s",
        "'report_due'", "%(report_due)s",
    )  # fmt: skip
    letters = d.obj(
        "'first_sent_on'", "first_on", "'last_sent_on'", "last_on", "'unsigned'", "letters"
    )
    listing = d.obj("'decision_no'", "decision_no", "'decided_on'", "decided_on")
    evidence_4 = d.merge(
        only_if("c4_letters = 1", "'letters'", letters),
        only_if("c4_listing = 1", "'listing'", listing),
    )
    return d.merge(
        only_if("c1 = 1", f"'{CRITERIA[0].value}'", d.param_json("evidence_1")),
        only_if("c2 = 1", f"'{CRITERIA[1].value}'", evidence_2),
        only_if("c3 = 1", f"'{CRITERIA[2].value}'", evidence_3),
        only_if("c4_letters + c4_listing > 0", f"'{CRITERIA[3].value}'", evidence_4),
        d.param_json("evidence_periods"),
    )


def _base_params(p: Periods) -> dict[str, Any]:
    ops = connection.ops
    params: dict[str, Any] = {
        "as_of": ops.adapt_datefield_value(p.as_of),
        "established_by": ops.adapt_datefield_value(p.established_by),
        "letters_after": ops.adapt_datefield_value(p.letters_after),
        "interval": p.letter_interval_days,
        "pne": OrganizationType.PRIVATE_NON_ENTERPRISE.value,
        "months": p.months,
        # D14: the report year whose deadline has passed, which (2) requires to be owed.
        "report_due": p.missed_years[-1].year,
    }
    for stage in ZOMBIE_OPEN_STAGES:
        params[f"open_{stage}"] = stage.value
    return params


def _detection_sql(p: Periods, d: _Dialect) -> tuple[str, dict[str, Any]]:
    """The candidates CTE (`flagged`: one row per organization meeting ≥ 1 criterion, with
    c1…c4 as 0/1 and the evidence as JSON) and its parameters."""
    params = _base_params(p)
    open_stages = ", ".join(f"%(open_{s})s" for s in ZOMBIE_OPEN_STAGES)
    year_params, per_year = _year_params(p)
    params.update(year_params)
    listing_sql, listing_params = _unreachable_listings(p.as_of)
    params.update(listing_params)
    unsigned_sql, unsigned_params = _unsigned_letters(p.as_of)
    params.update(unsigned_params)
    first_year = min(y.year for y in (*p.missed_years, *p.no_business_years))
    report = AnnualReport._meta.db_table
    organizations = Organization._meta.db_table
    latest = p.missed_years[-1]
    assert latest == p.no_business_years[-1]  # both periods end with the latest due year
    registered = (
        "o.established_on <= %(as_of)s"
        " AND (o.deregistered_on IS NULL OR o.deregistered_on > %(as_of)s)"
        " AND (o.revoked_on IS NULL OR o.revoked_on > %(as_of)s)"
    )
    letters = SpecialLetter._meta.db_table
    sql = f"""
    WITH signed AS (
        SELECT l.organization_id AS org_id, MAX(l.sent_on) AS last_signed
        FROM {letters} l
        WHERE l.signed_for AND l.sent_on <= %(as_of)s
        GROUP BY l.organization_id
    ),
    unsigned AS (
        SELECT l.organization_id AS org_id, MIN(l.sent_on) AS first_on,
               MAX(l.sent_on) AS last_on, COUNT(*) AS letters
        FROM ({unsigned_sql}) l LEFT JOIN signed s ON s.org_id = l.organization_id
        WHERE l.sent_on > %(letters_after)s
          AND (s.last_signed IS NULL OR l.sent_on > s.last_signed)
        GROUP BY l.organization_id
    ),
    unreachable_listing AS (
        SELECT cl.organization_id AS org_id, MAX(cl.decision_no) AS decision_no,
               MAX(cl.decided_on) AS decided_on
        FROM ({listing_sql}) cl
        GROUP BY cl.organization_id
    ),
    suspects AS (
        -- A sealed report showing activity, filed by the deadline of the latest report year
        -- (the last year of every reference period), rules out (1), (2) and (3) at once:
        -- one anti-join leaves the few organizations worth a closer look, plus those with
        -- letters or a listing for (4). Both halves keep only organizations on the register
        -- on as_of (active or deregistering).
        SELECT o.id, o.org_type, o.established_on FROM {organizations} o
        WHERE {registered}
          AND NOT EXISTS (
              SELECT 1 FROM {report} g
              WHERE g.organization_id = o.id AND g.year = {latest.year} AND g.is_sealed
                AND g.activities_held > 0 AND g.submitted_on <= %(deadline_{latest.year})s)
        UNION
        SELECT o.id, o.org_type, o.established_on FROM {organizations} o
        WHERE {registered}
          AND o.id IN (SELECT org_id FROM unsigned UNION SELECT org_id FROM unreachable_listing)
    ),
    pop AS (
        -- Not already in an open cleanup case.
        SELECT s.id, s.org_type, s.established_on FROM suspects s
        WHERE NOT EXISTS (
              SELECT 1 FROM {ZombieCase._meta.db_table} zc
              WHERE zc.organization_id = s.id AND zc.stage IN ({open_stages}))
    ),
    recent AS (
        -- The reports of the reference years and later ones (filed early) of the suspects:
        -- a few years of reports, not the whole history.
        SELECT r.organization_id AS org_id, {", ".join(per_year)},
               MAX(CASE WHEN r.is_sealed AND r.activities_held > 0 THEN 1 ELSE 0 END)
                   AS active_recent
        FROM {report} r JOIN suspects s ON s.id = r.organization_id
        WHERE r.year >= {first_year} AND r.submitted_on <= %(as_of)s
        GROUP BY r.organization_id
    ),
    criteria AS (
        SELECT pop.id, pop.established_on,
               {", ".join(f"rc.act_{y.year}" for y in p.no_business_years)},
               un.first_on, un.last_on, un.letters, ul.decision_no, ul.decided_on,
               CASE WHEN {_criterion_1(p)} THEN 1 ELSE 0 END AS c1,
               CASE WHEN pop.established_on <= %(established_by)s
                     AND {_owed(latest)}
                     AND COALESCE(rc.active_recent, 0) = 0
                     AND NOT EXISTS (
                         SELECT 1 FROM {report} old
                         WHERE old.organization_id = pop.id AND old.year < {first_year}
                           AND old.is_sealed AND old.activities_held > 0
                           AND old.submitted_on <= %(as_of)s)
                    THEN 1 ELSE 0 END AS c2,
               CASE WHEN {_criterion_3(p)} THEN 1 ELSE 0 END AS c3,
               CASE WHEN un.letters >= 2
                         AND {d.days_between("un.first_on", "un.last_on")} >= %(interval)s
                    THEN 1 ELSE 0 END AS c4_letters,
               CASE WHEN ul.org_id IS NOT NULL THEN 1 ELSE 0 END AS c4_listing
        FROM pop
        LEFT JOIN recent rc ON rc.org_id = pop.id
        LEFT JOIN unsigned un ON un.org_id = pop.id
        LEFT JOIN unreachable_listing ul ON ul.org_id = pop.id
    ),
    flagged AS (
        SELECT id, c1, c2, c3, CASE WHEN c4_letters + c4_listing > 0 THEN 1 ELSE 0 END AS c4,
               {_criteria_json(d)} AS criteria,
               {_evidence_json(p, d, params)} AS evidence
        FROM criteria
        WHERE c1 + c2 + c3 + c4_letters + c4_listing > 0
    )
    """
    return sql, params


@dataclass
class DetectionResult:
    """What one detection found: candidates per criterion, and the flags written."""

    as_of: datetime.date
    dry_run: bool
    candidates: int
    by_criterion: dict[str, int] = field(default_factory=dict)
    created: int = 0

    def summary(self) -> str:
        parts = "，".join(
            f"{code.value}：{self.by_criterion.get(code.value, 0)}" for code in CRITERIA
        )
        written = "（试运行，未写入）" if self.dry_run else f"，新写入标记 {self.created} 条"
        return f"{self.as_of} 僵尸风险候选 {self.candidates} 家（{parts}）{written}"


def zombie_detect(
    *, as_of: datetime.date, dry_run: bool = False, at: datetime.datetime | None = None
) -> DetectionResult:
    """僵尸型社会组织检测 (R-ZMB-01/03, D7): flag every candidate on `as_of` with the criteria
    met and their evidence, in one set-based statement. Flags are unique per organization and
    date and written with ON CONFLICT DO NOTHING, so a second run, or two at once, leave the
    same flags. `at` is the flags' creation time (default now; the demo passes its own).
    Detection writes and counts only flags of source `detected`: a designation (R-ZMB-01(5))
    of the same organization and day is neither displaced nor counted."""
    periods = Periods.on(as_of)
    dialect = _Dialect(connection.vendor)
    cte, params = _detection_sql(periods, dialect)
    with transaction.atomic(), connection.cursor() as cursor:
        if dialect.pg:
            # JIT compiles this statement for ~0.7 s to save far less (bench: 1M
            # organizations); off for this transaction only, restored below.
            cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
            previous_jit = cursor.fetchone()[0]
        if not dry_run:
            created = _insert_detected_flags(cursor, cte=cte, params=params, at=at, pg=dialect.pg)
        else:
            created = 0
            cursor.execute(
                f"{cte} SELECT COUNT(*), SUM(c1), SUM(c2), SUM(c3), SUM(c4) FROM flagged", params
            )
        total, *counts = cursor.fetchone()
        if dialect.pg:
            cursor.execute("SELECT set_config('jit', %s, true)", [previous_jit])
    return DetectionResult(
        as_of=as_of,
        dry_run=dry_run,
        candidates=total or 0,
        by_criterion={c.value: int(n or 0) for c, n in zip(CRITERIA, counts, strict=True)},
        created=created,
    )


def _insert_detected_flags(cursor, *, cte: str, params: dict, at, pg: bool) -> int:
    """Write the day's detected flags (ON CONFLICT DO NOTHING) and leave the day's figures —
    this run's and an earlier or concurrent one's alike — as the cursor's next row."""
    table = ZombieFlag._meta.db_table
    params["now"] = connection.ops.adapt_datetimefield_value(at or timezone.now())
    params["detected"] = FlagSource.DETECTED.value
    # updated_at is when the row was written, whatever date the run is dated (mirrors follow
    # it, common.change_tracking).
    params["written"] = connection.ops.adapt_datetimefield_value(timezone.now())
    cursor.execute(
        # INSERT first, the CTEs inside its query: the driver counts the rows written only
        # for a statement that starts with INSERT (sqlite3).
        f"""INSERT INTO {table} (organization_id, as_of, criteria, evidence, source,
            reason, created_at, updated_at)
        {cte}
        SELECT id, %(as_of)s, criteria, evidence, %(detected)s, '', %(now)s, %(written)s
        FROM flagged WHERE id > 0
        ON CONFLICT (organization_id, as_of, source) DO NOTHING""",
        params,
    )
    created = max(cursor.rowcount, 0)
    text = "CAST(criteria AS text)" if pg else "criteria"
    cursor.execute(
        "SELECT COUNT(*), "
        + ", ".join(f"SUM(CASE WHEN {text} LIKE %s THEN 1 ELSE 0 END)" for _ in CRITERIA)
        + f" FROM {table} WHERE as_of = %s AND source = %s",
        [*(f'%"{c.value}"%' for c in CRITERIA), params["as_of"], FlagSource.DETECTED.value],
    )
    return created
