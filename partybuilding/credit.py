"""The R-CRD-02(2) trigger: an organization with 3 or more full party members and no party
organization after the grace period (R-PTY-01, R-PTY-06) becomes a candidate for the
abnormal list. Registered in common.credit_triggers from PartybuildingConfig.ready(), so
oversight's credit rules call it (dry run, four eyes) without importing partybuilding."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection

from common.credit_triggers import CandidateRow, CreditTrigger
from common.dates import add_months
from registry.selectors import organizations_registered_on

from .choices import MIN_FULL_MEMBERS
from .sql import covered_on_day

DEFAULT_GRACE_MONTHS = 6
TRIGGER_CODE = "partybuilding.party_organization_missing"
CITATION = (
    "《社会组织信用信息管理办法》（民政部令第60号）：未按照有关规定设立党组织的，列入活动异常名录"
    "（R-CRD-02(2)）；正式党员3人以上的社会组织应当单独建立党组织（R-PTY-01）。"
)


def grace_months() -> int:
    """Months an organization has to set up its party organization once it has 3 full members."""
    return int(getattr(settings, "PARTY_ORGANIZATION_GRACE_MONTHS", DEFAULT_GRACE_MONTHS))


# since: the first count of the current run of counts with ≥ 3 full members, or the end of
# the organization's last party organization if later. Due `grace` months after that.
_CANDIDATES_SQL = """
WITH registered AS ({registered}),
latest AS (
    SELECT organization_id, full_members FROM (
        SELECT m.organization_id, m.full_members,
               ROW_NUMBER() OVER (
                   PARTITION BY m.organization_id ORDER BY m.as_of DESC, m.id DESC
               ) AS position
        FROM partybuilding_partymembercount m
        WHERE m.as_of <= %(on)s
    ) ranked
    WHERE position = 1 AND full_members >= %(min)s
),
-- Narrowed first to the few that owe a branch today (registered, ≥ 3 full members now, no
-- party organization on the day): the history below is read for them only, not for every
-- organization with members (bench: 141k with members, 13k uncovered; 1.8 s → 0.7 s).
uncovered AS (
    SELECT l.organization_id, l.full_members
    FROM latest l
    WHERE l.organization_id IN (SELECT * FROM registered)
      AND NOT EXISTS (
          SELECT 1
          FROM partybuilding_partyorganizationcoverage c
          JOIN partybuilding_partyorganization p ON p.id = c.party_organization_id
          WHERE c.organization_id = l.organization_id AND {covered}
      )
),
last_below AS (
    SELECT m.organization_id, max(m.as_of) AS as_of
    FROM partybuilding_partymembercount m
    JOIN uncovered u ON u.organization_id = m.organization_id
    WHERE m.as_of <= %(on)s AND m.full_members < %(min)s
    GROUP BY m.organization_id
),
run AS (
    SELECT m.organization_id, min(m.as_of) AS since, max(u.full_members) AS full_members
    FROM partybuilding_partymembercount m
    JOIN uncovered u ON u.organization_id = m.organization_id
    LEFT JOIN last_below b ON b.organization_id = m.organization_id
    WHERE m.as_of <= %(on)s AND m.full_members >= %(min)s
      AND (b.as_of IS NULL OR m.as_of > b.as_of)
    GROUP BY m.organization_id
),
ended AS (
    -- When each coverage ended: the earlier of leaving and dissolution (portable LEAST that
    -- ignores NULLs, as make run's SQLite has neither LEAST nor GREATEST).
    SELECT c.organization_id,
           CASE WHEN c.left_on IS NULL THEN p.dissolved_on
                WHEN p.dissolved_on IS NULL OR c.left_on < p.dissolved_on THEN c.left_on
                ELSE p.dissolved_on END AS ended_on
    FROM partybuilding_partyorganizationcoverage c
    JOIN partybuilding_partyorganization p ON p.id = c.party_organization_id
    WHERE c.organization_id IN (SELECT organization_id FROM uncovered)
),
last_covered AS (
    SELECT organization_id, max(ended_on) AS ended_on
    FROM ended WHERE ended_on <= %(on)s
    GROUP BY organization_id
)
SELECT r.organization_id,
       CASE WHEN lc.ended_on IS NOT NULL AND lc.ended_on > r.since THEN lc.ended_on
            ELSE r.since END AS since,
       r.full_members
FROM run r
LEFT JOIN last_covered lc ON lc.organization_id = r.organization_id
ORDER BY r.organization_id
"""


def _as_date(value) -> datetime.date:
    # SQLite returns dates computed in SQL as text.
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def party_organization_missing_candidates(on: datetime.date) -> list[CandidateRow]:
    """(organization id, due date, reason) of every organization that on `on` has had ≥ 3 full
    members for the grace period without being covered by a party organization."""
    registered_sql, registered_params = (
        organizations_registered_on(day=on).order_by().values("pk").query.sql_with_params()
    )
    names = {f"r{i}": value for i, value in enumerate(registered_params)}
    registered_sql = registered_sql.replace("%s", "%({})s").format(*names)
    grace = grace_months()
    with connection.cursor() as cursor:
        cursor.execute(
            _CANDIDATES_SQL.format(registered=registered_sql, covered=covered_on_day("on")),
            {"on": on, "min": MIN_FULL_MEMBERS, **names},
        )
        rows = [
            (org_id, due_on, since, full)
            for org_id, since, full in cursor.fetchall()
            # The grace period in calendar months (common.dates), the same on both dialects.
            if (due_on := add_months(_as_date(since), grace)) <= on
        ]
    return [
        (
            org_id,
            due_on,
            f"该组织自{since}起有正式党员{full}名（{MIN_FULL_MEMBERS}名以上），超过{grace}个月"
            f"（{due_on}到期）仍未建立党组织，也未纳入联合党组织（R-PTY-01、R-CRD-02(2)）。",
        )
        for org_id, due_on, since, full in rows
    ]


PARTY_ORGANIZATION_MISSING = CreditTrigger(
    code=TRIGGER_CODE,
    ground="R-CRD-02(2)",
    list_kind="abnormal",
    citation=CITATION,
    candidates=party_organization_missing_candidates,
)
