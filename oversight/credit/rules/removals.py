"""Rules of removal and escalation: R-CRD-07/08 removals, R-CRD-05(1) after two full years with the R-CRD-06 restart."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from common.dates import full_months_on, full_years_on
from common.policy import period_text, policy_values
from oversight.annual_reports.models import AnnualReport
from oversight.credit.choices import (
    CreditGround,
    CreditList,
    DecisionAction,
    RemovalGround,
)
from oversight.credit.models import CreditListing, Penalty, SpecialLetter
from oversight.credit.rules.base import (
    AUTO_REMOVAL,
    ESCALATION,
    NEEDS_RECTIFICATION,
    SERIOUS_REMOVAL,
    Candidate,
    _d,
    _is_registered,
    active_listing_rows,
)
from oversight.inspections.models import Inspection
from registry.choices import LifecycleStatus

# ------------------------------------------------------------------ removal conditions


def _filed_reports(listings: list[dict], on: datetime.date) -> dict[tuple[int, int], datetime.date]:
    """R-CRD-02(1) listings: the sealed report of the listed year filed by `on`."""
    keys = {
        (x["organization_id"], x["evidence"].get("report_year"))
        for x in listings
        if x["ground"] == CreditGround.A1_ANNUAL_REPORT and x["evidence"].get("report_year")
    }
    if not keys:
        return {}
    q = AnnualReport.objects.filter(
        is_sealed=True,
        submitted_on__lte=on,
        organization_id__in={k[0] for k in keys},
        year__in={k[1] for k in keys},
    ).values_list("organization_id", "year", "submitted_on")
    return {(o, y): s for o, y, s in q}


def _verified_rectifications(listings: list[dict], on: datetime.date) -> dict[int, datetime.date]:
    """R-CRD-02(3) listings: the inspection's rectification verified by `on`."""
    ids = {
        x["evidence"].get("inspection_id")
        for x in listings
        if x["ground"] == CreditGround.A3_RECTIFICATION and x["evidence"].get("inspection_id")
    }
    if not ids:
        return {}
    return dict(
        Inspection.objects.filter(pk__in=ids, rectification_verified_on__lte=on).values_list(
            "pk", "rectification_verified_on"
        )
    )


def _signed_letters(listings: list[dict], on: datetime.date) -> dict[int, list[datetime.date]]:
    """R-CRD-02(6) listings: the special letters signed for by `on`, per organization."""
    orgs = {x["organization_id"] for x in listings if x["ground"] == CreditGround.A6_UNREACHABLE}
    signed: dict[int, list[datetime.date]] = defaultdict(list)
    if orgs:
        for org_id, sent_on in SpecialLetter.objects.filter(
            organization_id__in=orgs, signed_for=True, sent_on__lte=on
        ).values_list("organization_id", "sent_on"):
            signed[org_id].append(sent_on)
    return signed


def listing_cures(
    listings: list[dict], *, on: datetime.date, nothing_to_rectify_needs_period: bool = True
) -> dict[int, str | None]:
    """For each listing (dicts with pk, organization_id, ground, decided_on, evidence): the
    words saying why it may be removed on `on` (R-CRD-07), or None. At most four queries.

    Needs rectification: (1) the year's sealed report has been filed; (3) the inspection's
    rectification verified; (6) a letter sent after the unsigned ones was signed; (2) only
    staff can verify it (None here). Nothing to rectify: listed for the auto-removal period
    in force on `on` (or, when `nothing_to_rectify_needs_period` is False, already satisfied —
    the outstanding obligations of R-CRD-08 for an escalated listing)."""
    months = policy_values(AUTO_REMOVAL, on=on)[AUTO_REMOVAL]
    reports = _filed_reports(listings, on)
    verified = _verified_rectifications(listings, on)
    signed = _signed_letters(listings, on)
    result: dict[int, str | None] = {}
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
            due = full_months_on(x["decided_on"], months)
            if not nothing_to_rectify_needs_period:
                cure = "无需整改"
            elif due <= on:
                cure = f"列入满{period_text(months, 'month')}（{due}期满）且无需整改"
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
    periods = policy_values(AUTO_REMOVAL, on=as_of)
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
                periods=periods,
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
    periods = policy_values(ESCALATION, on=as_of)
    out = []
    for org_id, rows in by_org.items():
        if org_id in removable or not _is_registered(rows[0], as_of):
            continue
        clock = max(x["decided_on"] for x in rows)
        due = full_years_on(clock, periods[ESCALATION])
        if due > as_of:
            continue
        out.append(
            Candidate(
                organization_id=org_id,
                action=DecisionAction.ESCALATE,
                list_type=CreditList.SERIOUS,
                ground=CreditGround.S1_ABNORMAL_TWO_YEARS,
                rule="R-CRD-05(1)",
                periods=periods,
                rule_key=f"escalate:{org_id}:{clock}",
                explanation=(
                    f"自{clock}起被列入活动异常名录满{period_text(periods[ESCALATION], 'year')}"
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


def _latest_dates(model, orgs: list[int], as_of: datetime.date) -> dict[int, datetime.date]:
    """The latest decision date by `as_of` per organization (listings or penalties)."""
    latest: dict[int, datetime.date] = defaultdict(lambda: datetime.date.min)
    for org_id, decided_on in model.objects.filter(
        organization_id__in=orgs, decided_on__lte=as_of
    ).values_list("organization_id", "decided_on"):
        latest[org_id] = max(latest[org_id], decided_on)
    return latest


@dataclass
class _SeriousContext:
    """What R-CRD-08 looks at besides the serious listings themselves (five queries)."""

    as_of: datetime.date
    years: int
    last_listing: dict[int, datetime.date]
    last_penalty: dict[int, datetime.date]
    pending_events: dict[int, datetime.date]
    escalated_cures: dict[int, str | None]
    escalated_by_pk: dict[int, dict]

    @classmethod
    def load(cls, by_org: dict[int, list[dict]], as_of: datetime.date, pending_events, years):
        orgs = list(by_org)
        escalated_ids = {
            i
            for rows in by_org.values()
            for x in rows
            if x["ground"] == CreditGround.S1_ABNORMAL_TWO_YEARS
            for i in (x["evidence"] or {}).get("escalated_listing_ids", [])
        }
        escalated = list(
            CreditListing.objects.filter(pk__in=escalated_ids).values(*_LISTING_FIELDS)
        )
        return cls(
            as_of=as_of,
            years=years,
            last_listing=_latest_dates(CreditListing, orgs, as_of),
            last_penalty=_latest_dates(Penalty, orgs, as_of),
            pending_events=pending_events,
            escalated_cures=listing_cures(
                escalated, on=as_of, nothing_to_rectify_needs_period=False
            ),
            escalated_by_pk={x["pk"]: x for x in escalated},
        )


def _serious_reasons(org_id: int, rows: list[dict], ctx: _SeriousContext) -> list[str] | None:
    """Why the organization's serious listings may be removed on ctx.as_of, or None."""
    org, as_of = rows[0], ctx.as_of
    clock = max(x["decided_on"] for x in rows)
    due = full_years_on(clock, ctx.years)
    reasons: list[str] = []
    if any(x["ground"] == CreditGround.S7_CERTIFICATE_REVOKED for x in rows):
        deregistered_on = org["organization__deregistered_on"]
        if not (
            org["organization__status"] == LifecycleStatus.DEREGISTERED
            and deregistered_on is not None
            and deregistered_on <= as_of
        ):
            return None
        reasons.append(f"已于{deregistered_on}办结注销登记")
    elif not _is_registered(org, as_of):
        return None
    others = [x for x in rows if x["ground"] != CreditGround.S7_CERTIFICATE_REVOKED]
    if not others:
        return reasons
    newest_event = max(
        ctx.last_listing[org_id],
        ctx.last_penalty[org_id],
        ctx.pending_events.get(org_id, clock),
    )
    if due > as_of or newest_event > clock:
        return None
    reasons.append(
        f"自{clock}起列入严重违法失信名单满{period_text(ctx.years, 'year')}"
        f"（{due}期满）且期间未再发生列入情形"
    )
    for x in others:
        if x["ground"] != CreditGround.S1_ABNORMAL_TWO_YEARS:
            continue
        ids = (x["evidence"] or {}).get("escalated_listing_ids", [])
        if any(ctx.escalated_cures.get(i) is None for i in ids):
            return None
        reasons.extend(
            f"{ctx.escalated_by_pk[i]['decision_no']}：{ctx.escalated_cures[i]}"
            for i in ids
            if ctx.escalated_cures[i] != "无需整改"
        )
    return reasons


def rule_serious_removal(
    *,
    as_of: datetime.date,
    org_ids: Collection[int] | None = None,
    pending_events: dict[int, datetime.date] | None = None,
) -> list[Candidate]:
    """R-CRD-08, R-CRD-09 (no five-year rule): a serious listing may be reviewed for removal
    CREDIT_SERIOUS_REMOVAL_YEARS full years (the period in force on `as_of`) after the latest
    serious listing, when no new abnormal- or serious-list event happened since (no listing,
    no penalty, no pending listing candidate dated after it). Listed for R-CRD-05(7): only
    once deregistration is completed. Listed for R-CRD-05(1): also the obligations of the
    escalated abnormal listings fulfilled. Seven queries."""
    by_org = _active_by_org(on=as_of, list_type=CreditList.SERIOUS, org_ids=org_ids)
    if not by_org:
        return []
    periods = policy_values(SERIOUS_REMOVAL, on=as_of)
    ctx = _SeriousContext.load(by_org, as_of, pending_events or {}, periods[SERIOUS_REMOVAL])
    out = []
    for org_id, rows in by_org.items():
        reasons = _serious_reasons(org_id, rows, ctx)
        if reasons is None:
            continue
        has_s7 = any(x["ground"] == CreditGround.S7_CERTIFICATE_REVOKED for x in rows)
        clock = max(x["decided_on"] for x in rows)
        out.append(
            Candidate(
                organization_id=org_id,
                action=DecisionAction.REMOVE,
                list_type=CreditList.SERIOUS,
                ground=RemovalGround.DEREGISTERED if has_s7 else RemovalGround.SERIOUS_TWO_YEARS,
                rule="R-CRD-08",
                periods=periods,
                rule_key=f"remove:serious:{org_id}:{_ids(rows)}",
                explanation="；".join(reasons)
                + "，可审核移出（列入决定："
                + "、".join(x["decision_no"] for x in rows)
                + "）",
                evidence={"listing_ids": [x["pk"] for x in rows], "clock_start": _d(clock)},
            )
        )
    return out
