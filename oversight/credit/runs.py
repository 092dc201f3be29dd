"""The daily credit-rules job: evaluate every rule, store new proposals idempotently, or show a dry run."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from common.pgcopy import copy_insert_ignore_conflicts
from oversight.credit import rules
from oversight.credit.choices import (
    ProposalStatus,
)
from oversight.credit.evaluation import _BATCH, _KeyStatus
from oversight.credit.models import CreditProposal
from oversight.credit.services import _startswith_any

# ------------------------------------------------------------------ the rules job


@dataclass
class RunResult:
    """The outcome of one rules run (or dry run)."""

    as_of: datetime.date
    dry_run: bool
    candidates: list[rules.Candidate] = field(default_factory=list)
    new_keys: set[str] = field(default_factory=set)
    revived: int = 0
    obsoleted: int = 0

    @property
    def new(self) -> list[rules.Candidate]:
        return [c for c in self.candidates if c.rule_key in self.new_keys]

    def counts_by_rule(self) -> dict[str, tuple[int, int]]:
        """rule → (candidates, new proposals)."""
        total = Counter(c.rule for c in self.candidates)
        new = Counter(c.rule for c in self.new)
        return {rule: (total[rule], new[rule]) for rule in sorted(total)}


def credit_rules_run(
    *, as_of: datetime.date, dry_run: bool = False, at: datetime.datetime | None = None
) -> RunResult:
    """The daily credit job (R-XC-02): computes every pending decision on `as_of` and stores
    the new ones as suggested proposals (INSERT … ON CONFLICT DO NOTHING on rule_key: running
    twice, or in two workers at once, gives the same proposals). Suggestions whose rule no
    longer holds become obsolete; an obsolete one that holds again is suggested again.
    A dry run computes the same and writes nothing. `at` is the proposals' creation time
    (default now)."""
    key_status = _KeyStatus()
    candidates = rules.rules_evaluate(as_of=as_of, decided_keys=key_status)
    known = key_status.status
    result = RunResult(as_of=as_of, dry_run=dry_run, candidates=candidates)
    result.new_keys = {c.rule_key for c in candidates if c.rule_key not in known}
    revive = [c for c in candidates if known.get(c.rule_key) == ProposalStatus.OBSOLETE]
    prefixes = (*rules.COVERED_PREFIXES, *rules.missing_report_prefixes(as_of=as_of))
    current = {c.rule_key for c in candidates}
    stale = [
        pk
        for pk, key in CreditProposal.objects.filter(status=ProposalStatus.SUGGESTED)
        .filter(_startswith_any(prefixes))
        .values_list("pk", "rule_key")
        if key not in current
    ]
    result.revived, result.obsoleted = len(revive), len(stale)
    if dry_run:
        return result
    created_at = at or timezone.now()
    with transaction.atomic():
        _proposals_insert(
            [
                {**c.proposal_fields(as_of=as_of), "created_at": created_at}
                for c in candidates
                if c.rule_key in result.new_keys
            ]
        )
        for c in revive:
            CreditProposal.objects.filter(
                rule_key=c.rule_key, status=ProposalStatus.OBSOLETE
            ).update(
                status=ProposalStatus.SUGGESTED,
                as_of=as_of,
                explanation=c.explanation,
                evidence=c.proposal_fields(as_of=as_of)["evidence"],
            )
        for start in range(0, len(stale), _BATCH):
            CreditProposal.objects.filter(
                pk__in=stale[start : start + _BATCH], status=ProposalStatus.SUGGESTED
            ).update(status=ProposalStatus.OBSOLETE)
    return result


def _proposals_insert(rows: list[dict]) -> None:
    """The new proposals, ON CONFLICT (rule_key) DO NOTHING: by COPY on PostgreSQL (a first
    run over a national register writes some 10⁵ of them), bulk_create elsewhere."""
    if connection.vendor == "postgresql":
        copy_insert_ignore_conflicts(CreditProposal, rows=rows, temp="credit_new_proposals")
    else:
        CreditProposal.objects.bulk_create(
            [CreditProposal(**row) for row in rows], batch_size=2000, ignore_conflicts=True
        )
