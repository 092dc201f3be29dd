"""Rule R-CRD-05(7): an organization whose establishment registration the bureau revoked
(撤销登记, a decision of the register, registry.selectors.revocations) goes on the serious list.

The register records the decision with its document number, authority and facts (R-XC-03,
D13); the rule quotes them, so the proposal carries the decision the listing rests on
(R-CRD-11). Revocation ends the registration, so unlike the other rules this one lists
organizations no longer on the register — the revocation is the reason they are not."""

from __future__ import annotations

import datetime
from collections.abc import Collection

from common.dates import add_years
from common.policy import policy_values
from oversight.credit.choices import CreditGround, CreditList, DecisionAction
from oversight.credit.rules.base import PENALTY_WINDOW, Candidate, _d, active_listing_rows
from registry.selectors import revocations


def rule_revocation(
    *, as_of: datetime.date, org_ids: Collection[int] | None = None
) -> list[Candidate]:
    """R-CRD-05(7): each 撤销登记 decided within the last CREDIT_PENALTY_WINDOW_YEARS years up
    to `as_of` (the window of the serious penalties, R-CRD-05(2)–(4)), unless the organization
    is already on the serious list on this ground. One candidate per decision; its key names
    the decision, so a second run or a later revocation of the same organization is told
    apart. Two queries."""
    periods = policy_values(PENALTY_WINDOW, on=as_of)
    since = add_years(as_of, -periods[PENALTY_WINDOW]) + datetime.timedelta(days=1)
    decisions = revocations(on=as_of, since=since)
    listed = active_listing_rows(on=as_of, list_type=CreditList.SERIOUS, org_ids=org_ids).filter(
        ground=CreditGround.S7_CERTIFICATE_REVOKED
    )
    decisions = decisions.exclude(organization_id__in=listed.values("organization_id"))
    if org_ids is not None:
        decisions = decisions.filter(organization_id__in=list(org_ids))
    rows = decisions.order_by("organization_id", "decided_on", "pk").values(
        "pk", "organization_id", "decided_on", "document_no", "authority", "facts"
    )
    out = []
    for d in rows:
        out.append(
            Candidate(
                organization_id=d["organization_id"],
                action=DecisionAction.LIST,
                list_type=CreditList.SERIOUS,
                ground=CreditGround.S7_CERTIFICATE_REVOKED,
                rule="R-CRD-05(7)",
                rule_key=f"list:R-CRD-05(7):{d['organization_id']}:revocation-{d['pk']}",
                explanation=(
                    f"{d['decided_on']}被{d['authority']}撤销登记（{d['document_no']}）"
                    + (f"：{d['facts']}" if d["facts"] else "")
                ),
                evidence={
                    "revocation": {
                        "id": d["pk"],
                        "decided_on": _d(d["decided_on"]),
                        "document_no": d["document_no"],
                        "authority": d["authority"],
                    }
                },
                event_on=d["decided_on"],
                periods=periods,
            )
        )
    return out
