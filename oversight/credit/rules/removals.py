"""The credit-list rules of DOMAIN.md §3 as code: they propose, people decide (DESIGN.md §4.4).

Each rule is a function `rule_*(*, as_of, org_ids=None) -> list[Candidate]` that computes its
candidates set-wise on a date: a few queries over the whole register (never a query per
organization), then plain Python over their rows. Every candidate carries its legal ground,
a `rule_key` that names the cause once and for all (the daily job inserts proposals with
ON CONFLICT DO NOTHING on it, so running twice proposes nothing new), an explanation in
words with the concrete facts, and the evidence as JSON.

Which abnormal-list grounds need rectification (R-CRD-07) — a product choice, documented:
- (1) missing report, (2) no Party organization, (3) overdue rectification and (6)
  unreachable need it: the listing is removed once the cause is cured (report filed,
  rectification verified, a later letter signed; (2) is verified by staff, the records of
  this app cannot see it, so the rules never propose its removal);
- (4) charity fundraising, (5) a past warning or small fine and (7) other cases have nothing
  the organization can rectify: the bureau removes the listing on its own once it has been
  listed for CREDIT_ABNORMAL_AUTO_REMOVAL_MONTHS months (default 6).
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from registry.choices import LifecycleStatus
from registry.models import Organization

from .choices import (
    CreditGround,
    CreditList,
    DecisionAction,
    DrawKind,
    PenaltyKind,
    RemovalGround,
)
from .models import (
    AnnualReport,
    AnnualReportCycle,
    CreditListing,
    CreditRemoval,
    Inspection,
    Penalty,
    SpecialLetter,
)
from .selectors import inspections_overdue_rectification, organizations_missing_report

# R-CRD-05(4): a fine of ¥50,000 or more is serious; below it, R-CRD-02(5). Confirmed in the
# regulation itself [S7], so a constant, not a setting.
LARGE_FINE = Decimal("50000")

NEEDS_RECTIFICATION = frozenset(
    {
        CreditGround.A1_ANNUAL_REPORT,
        CreditGround.A2_PARTY_ORGANIZATION,
        CreditGround.A3_RECTIFICATION,
        CreditGround.A6_UNREACHABLE,
    }
)

# Penalty kinds that list an organization on the serious list by themselves (R-CRD-05).
SERIOUS_PENALTY_GROUNDS = {
    PenaltyKind.CHANGE_REVOKED: CreditGround.S2_FRAUDULENT_CHANGE,
    PenaltyKind.SUSPENSION: CreditGround.S3_SUSPENSION,
    PenaltyKind.CERTIFICATE_REVOKED: CreditGround.S7_CERTIFICATE_REVOKED,
    PenaltyKind.REGISTRATION_REVOKED: CreditGround.S7_CERTIFICATE_REVOKED,
}


# ------------------------------------------------------------------ calendar arithmetic


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same calendar day `months` later, clamped to the month's end (31 Aug + 6 → 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: datetime.date, years: int) -> datetime.date:
    """ "Full years" (D5): listed on D, the period completes on the same calendar day `years`
    later (29 Feb → 28 Feb)."""
    return add_months(day, 12 * years)


def escalation_due_on(clock: datetime.date) -> datetime.date:
    return add_years(clock, settings.CREDIT_ESCALATION_YEARS)


def auto_removal_due_on(decided_on: datetime.date) -> datetime.date:
    return add_months(decided_on, settings.CREDIT_ABNORMAL_AUTO_REMOVAL_MONTHS)


def serious_removal_due_on(clock: datetime.date) -> datetime.date:
    return add_years(clock, settings.CREDIT_SERIOUS_REMOVAL_YEARS)


def review_due_on(*, list_type: str, ground: str, decided_on: datetime.date) -> datetime.date:
    """R-CRD-11 computed auto-transition date, stored on the listing at decision time."""
    if list_type == CreditList.SERIOUS:
        return serious_removal_due_on(decided_on)
    if ground in NEEDS_RECTIFICATION:
        return escalation_due_on(decided_on)
    return auto_removal_due_on(decided_on)


def _d(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}元"


# ------------------------------------------------------------------ candidates


@dataclass
class Candidate:
    """One pending decision the rules propose on a date."""

    organization_id: int
    action: str
    list_type: str
    ground: str
    rule: str  # the rule function's citation, e.g. "R-CRD-02(1)"
    rule_key: str
    explanation: str
    evidence: dict[str, Any] = field(default_factory=dict)
    # The date of the qualifying event (R-CRD-06, R-CRD-08: "no new event in the period").
    event_on: datetime.date | None = None

    def proposal_fields(self, *, as_of: datetime.date) -> dict[str, Any]:
        return {
            "organization_id": self.organization_id,
            "action": self.action,
            "list_type": self.list_type,
            "ground": self.ground,
            "rule_key": self.rule_key,
            "explanation": self.explanation,
            "evidence": {**self.evidence, "rule": self.rule},
            "as_of": as_of,
        }


def _registered(qs: QuerySet[Organization], on: datetime.date) -> QuerySet[Organization]:
    return qs.filter(established_on__lte=on).filter(
        Q(deregistered_on__isnull=True) | Q(deregistered_on__gt=on),
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=on),
    )


def _is_registered(row: dict, on: datetime.date, prefix: str = "organization__") -> bool:
    deregistered = row[f"{prefix}deregistered_on"]
    revoked = row[f"{prefix}revoked_on"]
    return (
        row[f"{prefix}established_on"] <= on
        and (deregistered is None or deregistered > on)
        and (revoked is None or revoked > on)
    )


def _restrict(qs: QuerySet, org_ids: Collection[int] | None, path: str = "organization_id"):
    return qs if org_ids is None else qs.filter(**{f"{path}__in": list(org_ids)})


def active_listing_rows(
    *, on: datetime.date, list_type: str | None = None, org_ids: Collection[int] | None = None
) -> QuerySet[CreditListing]:
    """Listings decided by `on` with no removal decided by `on` (the one definition of
    "active", shared with credit_selectors)."""
    removed = CreditRemoval.listings.through.objects.filter(
        creditlisting_id=OuterRef("pk"), creditremoval__decided_on__lte=on
    )
    qs = CreditListing.objects.filter(decided_on__lte=on).filter(~Exists(removed))
    if list_type:
        qs = qs.filter(list_type=list_type)
    return _restrict(qs, org_ids)


# ------------------------------------------------------------------ listing rules


def rule_missing_report(
    *, as_of: datetime.date, org_ids: Collection[int] | None = None
) -> list[Candidate]:
    """R-CRD-02(1), R-ANN-01/06: no sealed annual report for a year filed by the bureau
    deadline — late and unsealed reports included. Checks the latest
    CREDIT_REPORT_CYCLES_CHECKED cycles whose deadline has passed. One query per cycle."""
    cycles = AnnualReportCycle.objects.filter(bureau_deadline__lt=as_of).order_by("-year")[
        : settings.CREDIT_REPORT_CYCLES_CHECKED
    ]
    out: list[Candidate] = []
    for cycle in cycles:
        rows = (
            _restrict(
                _registered(organizations_missing_report(cycle=cycle, as_of=as_of), as_of),
                org_ids,
                "pk",
            )
            .order_by()
            .values_list("pk", "report_submitted_on", "report_is_sealed")
        )
        deadline = cycle.bureau_deadline
        base = f"未在{deadline}前报送{cycle.year}年度工作报告"
        # Not .iterator(): PostgreSQL plans a server-side cursor for its first rows (nested
        # loops), 4 s instead of 0.4 s on the 1M bench register.
        for org_id, report_on, sealed in rows:
            text = base
            if report_on is not None and not sealed:
                text += f"（{report_on}报送的报告未签字盖章，视为未按要求报送）"
            elif report_on is not None:
                text += f"（{report_on}逾期报送）"
            out.append(
                Candidate(
                    organization_id=org_id,
                    action=DecisionAction.LIST,
                    list_type=CreditList.ABNORMAL,
                    ground=CreditGround.A1_ANNUAL_REPORT,
                    rule="R-CRD-02(1)",
                    rule_key=f"list:R-CRD-02(1):{cycle.year}:{org_id}",
                    explanation=text,
                    evidence={
                        "report_year": cycle.year,
                        "deadline": _d(deadline),
                        "submitted_on": _d(report_on),
                        "sealed": sealed,
                    },
                    event_on=deadline,
                )
            )
    return out


def missing_report_prefixes(*, as_of: datetime.date) -> list[str]:
    """The rule-key prefixes rule_missing_report fully evaluates on `as_of` (the job marks a
    suggestion obsolete only where its rule looked)."""
    years = AnnualReportCycle.objects.filter(bureau_deadline__lt=as_of).order_by("-year")
    return [
        f"list:R-CRD-02(1):{y}:"
        for y in years.values_list("year", flat=True)[: settings.CREDIT_REPORT_CYCLES_CHECKED]
    ]


def rule_overdue_rectification(
    *, as_of: datetime.date, org_ids: Collection[int] | None = None
) -> list[Candidate]:
    """R-CRD-02(3): a rectification ordered after an inspection whose deadline has passed
    without verified rectification (DESIGN.md §4.3). One query."""
    registered = _registered(Organization.objects.all(), as_of).values("pk")
    rows = _restrict(
        inspections_overdue_rectification(as_of=as_of)
        .select_related(None)
        .filter(organization_id__in=registered),
        org_ids,
    ).values_list(
        "pk", "organization_id", "rectification_deadline", "draw__year", "draw__kind", "draw__round"
    )
    kinds = dict(DrawKind.choices)
    out = []
    for pk, org_id, deadline, year, kind, round_ in rows:
        draw = f"{year}年{kinds.get(kind, kind)}第{round_}批"
        out.append(
            Candidate(
                organization_id=org_id,
                action=DecisionAction.LIST,
                list_type=CreditList.ABNORMAL,
                ground=CreditGround.A3_RECTIFICATION,
                rule="R-CRD-02(3)",
                rule_key=f"list:R-CRD-02(3):{org_id}:{pk}",
                explanation=f"{draw}检查责令整改，整改期限{deadline}已过，截至{as_of}整改未经核实完成",
                evidence={"inspection_id": pk, "rectification_deadline": _d(deadline)},
                event_on=deadline,
            )
        )
    return out


def _letter_unsigned(letter: dict, on: datetime.date) -> bool:
    # A letter counts as unsigned once the post returned it undelivered (its returned_on is
    # the evidence of R-CRD-11); a letter still in transit proves nothing yet.
    return (
        not letter["signed_for"]
        and letter["returned_on"] is not None
        and letter["returned_on"] <= on
    )


def rule_unreachable(
    *, as_of: datetime.date, org_ids: Collection[int] | None = None
) -> list[Candidate]:
    """R-CRD-02(6), R-CRD-03, D6: the latest special letter and an earlier one, sent at least
    CREDIT_UNREACHABLE_MIN_INTERVAL_DAYS apart, both unsigned, with no letter signed since the
    earlier one. Organizations already on the abnormal list as unreachable are not proposed
    again. Two queries."""
    min_days = settings.CREDIT_UNREACHABLE_MIN_INTERVAL_DAYS
    returned = SpecialLetter.objects.filter(
        signed_for=False, returned_on__isnull=False, returned_on__lte=as_of
    ).values("organization_id")
    listed = active_listing_rows(on=as_of, list_type=CreditList.ABNORMAL, org_ids=org_ids).filter(
        ground=CreditGround.A6_UNREACHABLE
    )
    letters = (
        _restrict(SpecialLetter.objects.filter(sent_on__lte=as_of), org_ids)
        .filter(organization_id__in=returned)
        .exclude(organization_id__in=listed.values("organization_id"))
        .order_by("organization_id", "sent_on", "pk")
        .values(
            "pk",
            "organization_id",
            "sent_on",
            "signed_for",
            "returned_on",
            "tracking_no",
            "organization__established_on",
            "organization__deregistered_on",
            "organization__revoked_on",
        )
    )
    by_org: dict[int, list[dict]] = defaultdict(list)
    for letter in letters:
        by_org[letter["organization_id"]].append(letter)
    out = []
    for org_id, org_letters in by_org.items():
        last = org_letters[-1]
        if not _is_registered(last, as_of) or not _letter_unsigned(last, as_of):
            continue
        limit = last["sent_on"] - datetime.timedelta(days=min_days)
        earlier = [
            x for x in org_letters[:-1] if x["sent_on"] <= limit and _letter_unsigned(x, as_of)
        ]
        if not earlier:
            continue
        first = earlier[-1]
        if any(x["signed_for"] for x in org_letters if x["sent_on"] >= first["sent_on"]):
            continue
        pair = [first, last]
        out.append(
            Candidate(
                organization_id=org_id,
                action=DecisionAction.LIST,
                list_type=CreditList.ABNORMAL,
                ground=CreditGround.A6_UNREACHABLE,
                rule="R-CRD-02(6)",
                rule_key=f"list:R-CRD-02(6):{org_id}:{first['pk']}-{last['pk']}",
                explanation=(
                    f"{first['sent_on']}、{last['sent_on']}寄出的两封专项信函均未签收"
                    f"（间隔{(last['sent_on'] - first['sent_on']).days}日，"
                    f"分别于{first['returned_on']}、{last['returned_on']}退回）"
                ),
                evidence={
                    "letters": [
                        {
                            "id": x["pk"],
                            "sent_on": _d(x["sent_on"]),
                            "returned_on": _d(x["returned_on"]),
                            "tracking_no": x["tracking_no"],
                        }
                        for x in pair
                    ],
                    "last_sent_on": _d(last["sent_on"]),
                },
                event_on=last["returned_on"],
            )
        )
    return out


def _penalty_text(p: dict) -> str:
    kind = PenaltyKind(p["kind"]).label
    amount = f"{_money(p['amount'])}" if p["kind"] == PenaltyKind.FINE else ""
    return f"{p['decided_on']}{kind}{amount}（{p['decision_no']}）"


def _penalty_evidence(p: dict) -> dict:
    return {
        "id": p["pk"],
        "kind": p["kind"],
        "amount": str(p["amount"]),
        "decided_on": _d(p["decided_on"]),
        "decision_no": p["decision_no"],
    }


def _is_small(p: dict) -> bool:
    return p["kind"] == PenaltyKind.WARNING or (
        p["kind"] == PenaltyKind.FINE and p["amount"] < LARGE_FINE
    )


def _penalties(*, since: datetime.date, as_of: datetime.date, org_ids) -> list[dict]:
    return list(
        _restrict(Penalty.objects.filter(decided_on__gt=since, decided_on__lte=as_of), org_ids)
        .order_by("organization_id", "decided_on", "pk")
        .values(
            "pk",
            "organization_id",
            "kind",
            "amount",
            "decided_on",
            "decision_no",
            "organization__established_on",
            "organization__deregistered_on",
            "organization__revoked_on",
        )
    )


def rule_warning_or_small_fine(
    *, as_of: datetime.date, org_ids: Collection[int] | None = None
) -> list[Candidate]:
    """R-CRD-02(5): a warning or a fine below ¥50,000. Only penalties of the last
    CREDIT_ABNORMAL_AUTO_REMOVAL_MONTHS months: such a listing has nothing to rectify and ends
    after that period (R-CRD-07), so an older penalty would be listed and removed at once."""
    since = add_months(as_of, -settings.CREDIT_ABNORMAL_AUTO_REMOVAL_MONTHS)
    out = []
    for p in _penalties(since=since, as_of=as_of, org_ids=org_ids):
        if not _is_small(p) or not _is_registered(p, as_of):
            continue
        out.append(
            Candidate(
                organization_id=p["organization_id"],
                action=DecisionAction.LIST,
                list_type=CreditList.ABNORMAL,
                ground=CreditGround.A5_WARNING_OR_SMALL_FINE,
                rule="R-CRD-02(5)",
                rule_key=f"list:R-CRD-02(5):{p['organization_id']}:{p['pk']}",
                explanation=f"受到行政处罚：{_penalty_text(p)}",
                evidence={"penalty_id": p["pk"], "penalties": [_penalty_evidence(p)]},
                event_on=p["decided_on"],
            )
        )
    return out


def rule_serious_penalty(
    *, as_of: datetime.date, org_ids: Collection[int] | None = None
) -> list[Candidate]:
    """R-CRD-05(2)(3)(4)(7): change registration revoked, suspension of activities, a fine of
    ¥50,000 or more, certificate or establishment registration revoked — each decided within
    the last CREDIT_PENALTY_WINDOW_YEARS years. (7) applies to organizations no longer
    registered too: the revocation is what ends their registration."""
    since = add_years(as_of, -settings.CREDIT_PENALTY_WINDOW_YEARS)
    out = []
    for p in _penalties(since=since, as_of=as_of, org_ids=org_ids):
        if p["kind"] == PenaltyKind.FINE and p["amount"] >= LARGE_FINE:
            ground = CreditGround.S4_LARGE_FINE
        elif p["kind"] in SERIOUS_PENALTY_GROUNDS:
            ground = SERIOUS_PENALTY_GROUNDS[p["kind"]]
        else:
            continue
        if ground != CreditGround.S7_CERTIFICATE_REVOKED and not _is_registered(p, as_of):
            continue
        out.append(
            Candidate(
                organization_id=p["organization_id"],
                action=DecisionAction.LIST,
                list_type=CreditList.SERIOUS,
                ground=ground,
                rule=ground.value,
                rule_key=f"list:{ground.value}:{p['organization_id']}:{p['pk']}",
                explanation=f"受到行政处罚：{_penalty_text(p)}",
                evidence={"penalty_id": p["pk"], "penalties": [_penalty_evidence(p)]},
                event_on=p["decided_on"],
            )
        )
    return out


def rule_repeated_penalties(
    *, as_of: datetime.date, org_ids: Collection[int] | None = None
) -> list[Candidate]:
    """R-CRD-05(5), D5: two or more warnings or fines below ¥50,000 within a rolling window of
    CREDIT_PENALTY_WINDOW_YEARS years (the window of a penalty decided on D runs from the day
    after D − 3 years to D). One candidate per organization, for the latest penalty that
    completes the count within the last window; a later one is a new event (R-CRD-06)."""
    years = settings.CREDIT_PENALTY_WINDOW_YEARS
    since = add_years(as_of, -2 * years)
    recent_from = add_years(as_of, -years)
    by_org: dict[int, list[dict]] = defaultdict(list)
    for p in _penalties(since=since, as_of=as_of, org_ids=org_ids):
        if _is_small(p):
            by_org[p["organization_id"]].append(p)
    out = []
    for org_id, smalls in by_org.items():
        if not _is_registered(smalls[-1], as_of):
            continue
        for index in range(len(smalls) - 1, 0, -1):
            last = smalls[index]
            if last["decided_on"] <= recent_from:
                break
            start = add_years(last["decided_on"], -years) + datetime.timedelta(days=1)
            window = [p for p in smalls[: index + 1] if p["decided_on"] >= start]
            if len(window) < 2:
                continue
            out.append(
                Candidate(
                    organization_id=org_id,
                    action=DecisionAction.LIST,
                    list_type=CreditList.SERIOUS,
                    ground=CreditGround.S5_REPEATED_PENALTIES,
                    rule="R-CRD-05(5)",
                    rule_key=f"list:R-CRD-05(5):{org_id}:{last['pk']}",
                    explanation=(
                        f"{start}至{last['decided_on']}期间受到{len(window)}次警告或罚款："
                        + "、".join(_penalty_text(p) for p in window)
                    ),
                    evidence={
                        "penalty_id": last["pk"],
                        "window": [_d(start), _d(last["decided_on"])],
                        "penalties": [_penalty_evidence(p) for p in window],
                    },
                    event_on=last["decided_on"],
                )
            )
            break
    return out


# ------------------------------------------------------------------ removal conditions


def listing_cures(
    listings: list[dict], *, on: datetime.date, nothing_to_rectify_needs_period: bool = True
) -> dict[int, str | None]:
    """For each listing (dicts with pk, organization_id, ground, decided_on, evidence): the
    words saying why it may be removed on `on` (R-CRD-07), or None. At most three queries.

    Needs rectification: (1) the year's sealed report has been filed; (3) the inspection's
    rectification verified; (6) a letter sent after the unsigned ones was signed; (2) only
    staff can verify it (None here). Nothing to rectify: listed for the auto-removal period
    (or, when `nothing_to_rectify_needs_period` is False, already satisfied — the outstanding
    obligations of R-CRD-08 for an escalated listing)."""
    result: dict[int, str | None] = {}
    report_keys = {
        (x["organization_id"], x["evidence"].get("report_year"))
        for x in listings
        if x["ground"] == CreditGround.A1_ANNUAL_REPORT and x["evidence"].get("report_year")
    }
    reports: dict[tuple[int, int], datetime.date] = {}
    if report_keys:
        q = AnnualReport.objects.filter(
            is_sealed=True,
            submitted_on__lte=on,
            organization_id__in={k[0] for k in report_keys},
            year__in={k[1] for k in report_keys},
        ).values_list("organization_id", "year", "submitted_on")
        reports = {(o, y): s for o, y, s in q}
    inspection_ids = {
        x["evidence"].get("inspection_id")
        for x in listings
        if x["ground"] == CreditGround.A3_RECTIFICATION and x["evidence"].get("inspection_id")
    }
    verified = dict(
        Inspection.objects.filter(
            pk__in=inspection_ids, rectification_verified_on__lte=on
        ).values_list("pk", "rectification_verified_on")
        if inspection_ids
        else []
    )
    letter_orgs = {
        x["organization_id"] for x in listings if x["ground"] == CreditGround.A6_UNREACHABLE
    }
    signed: dict[int, list[datetime.date]] = defaultdict(list)
    if letter_orgs:
        for org_id, sent_on in SpecialLetter.objects.filter(
            organization_id__in=letter_orgs, signed_for=True, sent_on__lte=on
        ).values_list("organization_id", "sent_on"):
            signed[org_id].append(sent_on)
    for x in listings:
        ground, ev = x["ground"], x["evidence"] or {}
        cure = None
        if ground == CreditGround.A1_ANNUAL_REPORT:
            filed = reports.get((x["organization_id"], ev.get("report_year")))
            if filed:
                cure = f"{ev['report_year']}年度工作报告已于{filed}报送"
        elif ground == CreditGround.A3_RECTIFICATION:
            done = verified.get(ev.get("inspection_id"))
            if done:
                cure = f"整改已于{done}核实完成"
        elif ground == CreditGround.A6_UNREACHABLE:
            after = ev.get("last_sent_on")
            later = [
                s for s in signed.get(x["organization_id"], []) if after and s.isoformat() > after
            ]
            if later:
                cure = f"{max(later)}寄出的专项信函已签收"
        elif ground not in NEEDS_RECTIFICATION:
            due = auto_removal_due_on(x["decided_on"])
            if not nothing_to_rectify_needs_period:
                cure = "无需整改"
            elif due <= on:
                cure = f"列入满{settings.CREDIT_ABNORMAL_AUTO_REMOVAL_MONTHS}个月（{due}期满）且无需整改"
        result[x["pk"]] = cure
    return result


_LISTING_FIELDS = ("pk", "organization_id", "ground", "decided_on", "evidence", "decision_no")


def _active_by_org(
    *, on: datetime.date, list_type: str, org_ids: Collection[int] | None
) -> dict[int, list[dict]]:
    by_org: dict[int, list[dict]] = defaultdict(list)
    rows = (
        active_listing_rows(on=on, list_type=list_type, org_ids=org_ids)
        .order_by("organization_id", "decided_on", "pk")
        .values(
            *_LISTING_FIELDS,
            "organization__established_on",
            "organization__deregistered_on",
            "organization__revoked_on",
            "organization__status",
        )
    )
    for row in rows:
        by_org[row["organization_id"]].append(row)
    return by_org


def _ids(listings: list[dict]) -> str:
    text = ",".join(str(x["pk"]) for x in listings)
    # rule_key is 200 characters: a long set of listings is named by its digest.
    return text if len(text) <= 120 else "h" + hashlib.sha1(text.encode()).hexdigest()


def rule_abnormal_removal(
    *, as_of: datetime.date, org_ids: Collection[int] | None = None
) -> list[Candidate]:
    """R-CRD-07, D5: an organization comes off the abnormal list when every active listing of
    it may end — the cause cured (ground RECTIFIED) or, for grounds with nothing to rectify,
    CREDIT_ABNORMAL_AUTO_REMOVAL_MONTHS months after listing (ground NOTHING_TO_RECTIFY).
    A removal closes all active listings of the list. Four queries."""
    by_org = _active_by_org(on=as_of, list_type=CreditList.ABNORMAL, org_ids=org_ids)
    cures = listing_cures([x for rows in by_org.values() for x in rows], on=as_of)
    out = []
    for org_id, rows in by_org.items():
        if not _is_registered(rows[0], as_of):
            continue
        if any(cures[x["pk"]] is None for x in rows):
            continue
        rectified = any(x["ground"] in NEEDS_RECTIFICATION for x in rows)
        ground = RemovalGround.RECTIFIED if rectified else RemovalGround.NOTHING_TO_RECTIFY
        out.append(
            Candidate(
                organization_id=org_id,
                action=DecisionAction.REMOVE,
                list_type=CreditList.ABNORMAL,
                ground=ground,
                rule="R-CRD-07",
                rule_key=f"remove:abnormal:{org_id}:{_ids(rows)}",
                explanation="；".join(f"{x['decision_no']}：{cures[x['pk']]}" for x in rows),
                evidence={
                    "listing_ids": [x["pk"] for x in rows],
                    "cures": {str(x["pk"]): cures[x["pk"]] for x in rows},
                },
            )
        )
    return out


def rule_escalation(
    *,
    as_of: datetime.date,
    org_ids: Collection[int] | None = None,
    removable: Collection[int] = (),
) -> list[Candidate]:
    """R-CRD-05(1), R-CRD-06, D5: on the abnormal list for CREDIT_ESCALATION_YEARS full years
    without removal → proposed for the serious list. The clock starts at the latest decision
    date among the organization's active abnormal listings (a new listing for a new event
    restarts it). Organizations whose abnormal listings may be removed (`removable`) are
    proposed for removal instead. One query."""
    by_org = _active_by_org(on=as_of, list_type=CreditList.ABNORMAL, org_ids=org_ids)
    out = []
    for org_id, rows in by_org.items():
        if org_id in removable or not _is_registered(rows[0], as_of):
            continue
        clock = max(x["decided_on"] for x in rows)
        due = escalation_due_on(clock)
        if due > as_of:
            continue
        out.append(
            Candidate(
                organization_id=org_id,
                action=DecisionAction.ESCALATE,
                list_type=CreditList.SERIOUS,
                ground=CreditGround.S1_ABNORMAL_TWO_YEARS,
                rule="R-CRD-05(1)",
                rule_key=f"escalate:{org_id}:{clock}",
                explanation=(
                    f"自{clock}起被列入活动异常名录满{settings.CREDIT_ESCALATION_YEARS}年"
                    f"（{due}期满）未移出，列入决定：" + "、".join(x["decision_no"] for x in rows)
                ),
                evidence={
                    "clock_start": _d(clock),
                    "due_on": _d(due),
                    "listing_ids": [x["pk"] for x in rows],
                    "escalated_listing_ids": [x["pk"] for x in rows],
                },
                event_on=due,
            )
        )
    return out


def rule_serious_removal(
    *,
    as_of: datetime.date,
    org_ids: Collection[int] | None = None,
    pending_events: dict[int, datetime.date] | None = None,
) -> list[Candidate]:
    """R-CRD-08, R-CRD-09 (no five-year rule): a serious listing may be reviewed for removal
    CREDIT_SERIOUS_REMOVAL_YEARS full years after the latest serious listing, when no new
    abnormal- or serious-list event happened since (no listing, no penalty, no pending listing
    candidate dated after it). Listed for R-CRD-05(7): only once deregistration is completed.
    Listed for R-CRD-05(1): also the obligations of the escalated abnormal listings fulfilled.
    Six queries."""
    pending_events = pending_events or {}
    by_org = _active_by_org(on=as_of, list_type=CreditList.SERIOUS, org_ids=org_ids)
    if not by_org:
        return []
    orgs = list(by_org)
    last_listing = defaultdict(lambda: datetime.date.min)
    for org_id, decided_on in CreditListing.objects.filter(
        organization_id__in=orgs, decided_on__lte=as_of
    ).values_list("organization_id", "decided_on"):
        last_listing[org_id] = max(last_listing[org_id], decided_on)
    last_penalty = defaultdict(lambda: datetime.date.min)
    for org_id, decided_on in Penalty.objects.filter(
        organization_id__in=orgs, decided_on__lte=as_of
    ).values_list("organization_id", "decided_on"):
        last_penalty[org_id] = max(last_penalty[org_id], decided_on)
    escalated_ids = {
        i
        for rows in by_org.values()
        for x in rows
        if x["ground"] == CreditGround.S1_ABNORMAL_TWO_YEARS
        for i in (x["evidence"] or {}).get("escalated_listing_ids", [])
    }
    escalated = list(CreditListing.objects.filter(pk__in=escalated_ids).values(*_LISTING_FIELDS))
    escalated_cures = listing_cures(escalated, on=as_of, nothing_to_rectify_needs_period=False)
    escalated_by_pk = {x["pk"]: x for x in escalated}
    out = []
    for org_id, rows in by_org.items():
        org = rows[0]
        deregistered = (
            org["organization__status"] == LifecycleStatus.DEREGISTERED
            and org["organization__deregistered_on"] is not None
            and org["organization__deregistered_on"] <= as_of
        )
        clock = max(x["decided_on"] for x in rows)
        due = serious_removal_due_on(clock)
        reasons: list[str] = []
        ok = True
        has_s7 = any(x["ground"] == CreditGround.S7_CERTIFICATE_REVOKED for x in rows)
        others = [x for x in rows if x["ground"] != CreditGround.S7_CERTIFICATE_REVOKED]
        if has_s7:
            if deregistered:
                reasons.append(f"已于{org['organization__deregistered_on']}办结注销登记")
            else:
                ok = False
        elif not _is_registered(org, as_of):
            ok = False
        if ok and others:
            newest_event = max(
                last_listing[org_id], last_penalty[org_id], pending_events.get(org_id, clock)
            )
            if due > as_of or newest_event > clock:
                ok = False
            else:
                reasons.append(
                    f"自{clock}起列入严重违法失信名单满{settings.CREDIT_SERIOUS_REMOVAL_YEARS}年"
                    f"（{due}期满）且期间未再发生列入情形"
                )
            for x in others:
                if x["ground"] != CreditGround.S1_ABNORMAL_TWO_YEARS:
                    continue
                ids = (x["evidence"] or {}).get("escalated_listing_ids", [])
                missing = [i for i in ids if escalated_cures.get(i) is None]
                if missing:
                    ok = False
                else:
                    reasons.extend(
                        f"{escalated_by_pk[i]['decision_no']}：{escalated_cures[i]}"
                        for i in ids
                        if escalated_cures[i] != "无需整改"
                    )
        if not ok:
            continue
        ground = RemovalGround.DEREGISTERED if has_s7 else RemovalGround.SERIOUS_TWO_YEARS
        out.append(
            Candidate(
                organization_id=org_id,
                action=DecisionAction.REMOVE,
                list_type=CreditList.SERIOUS,
                ground=ground,
                rule="R-CRD-08",
                rule_key=f"remove:serious:{org_id}:{_ids(rows)}",
                explanation="；".join(reasons)
                + "，可审核移出（列入决定："
                + "、".join(x["decision_no"] for x in rows)
                + "）",
                evidence={"listing_ids": [x["pk"] for x in rows], "clock_start": _d(clock)},
            )
        )
    return out


# ------------------------------------------------------------------ the rule book

ListingRule = Callable[..., list[Candidate]]

LISTING_RULES: dict[str, ListingRule] = {
    "R-CRD-02(1)": rule_missing_report,
    "R-CRD-02(3)": rule_overdue_rectification,
    "R-CRD-02(5)": rule_warning_or_small_fine,
    "R-CRD-02(6)": rule_unreachable,
    "R-CRD-05(2)(3)(4)(7)": rule_serious_penalty,
    "R-CRD-05(5)": rule_repeated_penalties,
}

# Key prefixes fully evaluated by every run besides the missing-report cycles.
COVERED_PREFIXES = (
    "list:R-CRD-02(3):",
    "list:R-CRD-02(5):",
    "list:R-CRD-02(6):",
    "list:R-CRD-05(",
    "escalate:",
    "remove:",
)


def rules_evaluate(
    *,
    as_of: datetime.date,
    org_ids: Collection[int] | None = None,
    decided_keys: Callable[[list[str]], set[str]] | None = None,
) -> list[Candidate]:
    """Every rule on `as_of`: listing candidates first (minus causes already decided, as told
    by `decided_keys`), then removals, escalations and serious removals, which depend on them."""
    listing: list[Candidate] = []
    for rule in LISTING_RULES.values():
        listing.extend(rule(as_of=as_of, org_ids=org_ids))
    if decided_keys is not None:
        done = decided_keys([c.rule_key for c in listing])
        listing = [c for c in listing if c.rule_key not in done]
    pending: dict[int, datetime.date] = {}
    for c in listing:
        if c.event_on:
            pending[c.organization_id] = max(pending.get(c.organization_id, c.event_on), c.event_on)
    removals = rule_abnormal_removal(as_of=as_of, org_ids=org_ids)
    escalations = rule_escalation(
        as_of=as_of, org_ids=org_ids, removable={c.organization_id for c in removals}
    )
    serious = rule_serious_removal(as_of=as_of, org_ids=org_ids, pending_events=pending)
    later = [*removals, *escalations, *serious]
    if decided_keys is not None:
        done = decided_keys([c.rule_key for c in later])
        later = [c for c in later if c.rule_key not in done]
    return [*listing, *later]
