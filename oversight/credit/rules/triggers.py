"""Rules that another app's records decide, registered with `common.credit_triggers` from that
app's AppConfig (R-CRD-02(2): an organization with three full party members and no party
organization after the grace period, decided by partybuilding's records). Oversight never
imports the app: the trigger hands over (organization, due date, reason) rows, and this rule
turns them into proposals like any other, so dry runs and four eyes apply to them too."""

from __future__ import annotations

import datetime
from collections.abc import Collection

from common.credit_triggers import credit_triggers
from oversight.credit.choices import DecisionAction
from oversight.credit.rules.base import Candidate, _d, active_listing_rows


def rule_registered_triggers(
    *, as_of: datetime.date, org_ids: Collection[int] | None = None
) -> list[Candidate]:
    """One candidate per (trigger, organization) not already listed on the trigger's ground;
    the key names the trigger and the due date, so each cause is proposed once."""
    triggers = credit_triggers()
    if not triggers:
        return []
    listed = set(
        active_listing_rows(on=as_of, org_ids=org_ids).values_list("organization_id", "ground")
    )
    wanted = None if org_ids is None else set(org_ids)
    out = []
    for trigger in triggers:
        for org_id, due_on, reason in trigger.candidates(as_of):
            if (wanted is not None and org_id not in wanted) or (org_id, trigger.ground) in listed:
                continue
            out.append(
                Candidate(
                    organization_id=org_id,
                    action=DecisionAction.LIST,
                    list_type=trigger.list_kind,
                    ground=trigger.ground,
                    rule=trigger.ground,
                    rule_key=f"list:{trigger.ground}:{org_id}:{trigger.code}:{_d(due_on)}",
                    explanation=reason,
                    evidence={
                        "trigger": trigger.code,
                        "due_on": _d(due_on),
                        "citation": trigger.citation,
                    },
                    event_on=due_on,
                )
            )
    return out
