"""The daily credit-rules job: evaluate every rule, store new proposals idempotently, or show a dry run."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter

from django.db import connection, transaction
from django.utils import timezone

from common.gcpause import cyclic_gc_paused
from common.pgcopy import copy_insert
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
    revive: list[rules.Candidate] = field(default_factory=list, repr=False)
    stale: list[int] = field(default_factory=list, repr=False)  # proposal pks to obsolete

    @property
    def revived(self) -> int:
        return len(self.revive)

    @property
    def obsoleted(self) -> int:
        return len(self.stale)

    @property
    def new(self) -> list[rules.Candidate]:
        return [c for c in self.candidates if c.rule_key in self.new_keys]

    def counts_by_rule(self) -> dict[str, tuple[int, int]]:
        """rule → (candidates, new proposals)."""
        total = Counter(c.rule for c in self.candidates)
        new = Counter(c.rule for c in self.new)
        return {rule: (total[rule], new[rule]) for rule in sorted(total)}


# pg_advisory_xact_lock key that serializes real runs ("rules" in ASCII).
_RUN_LOCK = 0x72756C6573


def credit_rules_run(
    *, as_of: datetime.date, dry_run: bool = False, at: datetime.datetime | None = None
) -> RunResult:
    """The daily credit job (R-XC-02): computes every pending decision on `as_of` and stores
    the new ones as suggested proposals. Real runs are serialized by a transaction-level lock
    taken before they read (PostgreSQL; SQLite serializes writers): a second run, or a second
    worker at the same moment, waits, then sees the first one's proposals and adds nothing,
    so the proposals can go in by one COPY (rule_key stays unique). Suggestions whose rule no
    longer holds become obsolete; an obsolete one that holds again is suggested again.
    A dry run computes the same and writes nothing. `at` is the proposals' creation time
    (default now)."""
    with cyclic_gc_paused():  # 10⁵ candidates, none in a reference cycle
        return _run(as_of=as_of, dry_run=dry_run, at=at)


def _run(*, as_of: datetime.date, dry_run: bool, at: datetime.datetime | None) -> RunResult:
    if dry_run:
        return _evaluate(as_of=as_of, dry_run=True)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_RUN_LOCK])
        result = _evaluate(as_of=as_of, dry_run=False)
        _write(result, created_at=at or timezone.now())
    return result


def _evaluate(*, as_of: datetime.date, dry_run: bool) -> RunResult:
    key_status = _KeyStatus()
    candidates = rules.rules_evaluate(as_of=as_of, decided_keys=key_status)
    known = key_status.status
    result = RunResult(as_of=as_of, dry_run=dry_run, candidates=candidates)
    result.new_keys = {c.rule_key for c in candidates if c.rule_key not in known}
    result.revive = [c for c in candidates if known.get(c.rule_key) == ProposalStatus.OBSOLETE]
    prefixes = (*rules.COVERED_PREFIXES, *rules.missing_report_prefixes(as_of=as_of))
    current = {c.rule_key for c in candidates}
    result.stale = [
        pk
        for pk, key in CreditProposal.objects.filter(status=ProposalStatus.SUGGESTED)
        .filter(_startswith_any(prefixes))
        .values_list("pk", "rule_key")
        if key not in current
    ]
    return result


def _write(result: RunResult, *, created_at: datetime.datetime) -> None:
    as_of = result.as_of
    _proposals_insert(
        sorted(  # in key order: the unique index on rule_key takes them page by page
            (
                {**c.proposal_fields(as_of=as_of), "created_at": created_at}
                for c in result.candidates
                if c.rule_key in result.new_keys
            ),
            key=itemgetter("rule_key"),
        )
    )
    _proposals_revive(result.revive, as_of=as_of)
    for start in range(0, len(result.stale), _BATCH):
        CreditProposal.objects.filter(
            pk__in=result.stale[start : start + _BATCH], status=ProposalStatus.SUGGESTED
        ).update(status=ProposalStatus.OBSOLETE)


def _proposals_revive(candidates: list[rules.Candidate], *, as_of: datetime.date) -> None:
    """Obsolete proposals whose rule holds again become suggestions with today's reasons:
    one read and one UPDATE for all of them."""
    by_key = {c.rule_key: c for c in candidates}
    proposals = list(
        CreditProposal.objects.filter(rule_key__in=by_key, status=ProposalStatus.OBSOLETE)
    )
    for proposal in proposals:
        fields = by_key[proposal.rule_key].proposal_fields(as_of=as_of)
        proposal.status = ProposalStatus.SUGGESTED
        proposal.as_of = as_of
        proposal.explanation = fields["explanation"]
        proposal.evidence = fields["evidence"]
    CreditProposal.objects.bulk_update(
        proposals, ["status", "as_of", "explanation", "evidence"], batch_size=_BATCH
    )


def _proposals_insert(rows: list[dict]) -> None:
    """The new proposals (none of them exists: the run holds the lock): by COPY on PostgreSQL
    (a first run over a national register writes some 10⁵ of them), bulk_create elsewhere."""
    if connection.vendor == "postgresql":
        copy_insert(CreditProposal, rows=rows)
    else:
        CreditProposal.objects.bulk_create(
            [CreditProposal(**row) for row in rows], batch_size=2000, ignore_conflicts=True
        )
