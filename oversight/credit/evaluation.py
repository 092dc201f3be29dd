"""What the rules propose on a date, minus the causes already decided: shared by the daily
job (runs), the approval that checks a proposal again, and the removal services."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from common.bulk_lookup import rows_with_values
from oversight.credit import rules
from oversight.credit.choices import ProposalStatus
from oversight.credit.models import CreditListing, CreditProposal

_BATCH = 5000


class _KeyStatus:
    """Statuses of existing proposals by rule key, read in batches and remembered; a key is
    decided when its proposal was approved or rejected, or a listing names it as its cause."""

    def __init__(self) -> None:
        self.status: dict[str, str] = {}
        self._listed: set[str] | None = None

    def __call__(self, keys: list[str]) -> set[str]:
        if self._listed is None:
            # Listings are few (thousands): read every named cause once.
            self._listed = set(
                CreditListing.objects.filter(evidence__has_key="rule_key").values_list(
                    "evidence__rule_key", flat=True
                )
            )
        decided = {k for k in keys if k in self._listed}
        for key, status in rows_with_values(
            CreditProposal, "rule_key", keys, ("rule_key", "status")
        ):
            self.status[key] = status
            if status in (ProposalStatus.APPROVED, ProposalStatus.REJECTED):
                decided.add(key)
        return decided


def rules_evaluate_for(
    *, as_of: datetime.date, organization_ids: Iterable[int] | None = None
) -> list[rules.Candidate]:
    """What the rules propose on `as_of` (for some organizations, or all), minus causes
    already decided."""
    ids = None if organization_ids is None else list(organization_ids)
    return rules.rules_evaluate(as_of=as_of, org_ids=ids, decided_keys=_KeyStatus())
