"""`seed_demo`'s credit lists: the seed letter's 223 organizations listed since 2021, every
decision taken by two clerks through the services, removals, the public page, idempotence.
Seeded once for the module (two runs), rolled back after."""

from __future__ import annotations

import datetime
import io
import re
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q

from oversight.credit.choices import (
    CreditGround,
    CreditList,
    DecisionAction,
    PenaltyKind,
    ProposalStatus,
    RemovalGround,
)
from oversight.credit.demo import CLERKS, LETTER_ON, TARGET
from oversight.credit.models import CreditListing, CreditProposal, CreditRemoval, Penalty
from oversight.credit.rules.penalties import LARGE_FINE
from oversight.credit.selectors import active_listings

pytestmark = pytest.mark.django_db

SINCE = datetime.date(2021, 1, 1)
LAST_DAY = datetime.date(2022, 12, 31)
URL = "/public/credit-lists/"
# Grounds the rules cannot see: only these are decided without a proposal.
MANUAL_GROUNDS = {
    CreditGround.A2_PARTY_ORGANIZATION,
    CreditGround.A4_CHARITY_FUNDRAISING,
    CreditGround.A7_OTHER,
    CreditGround.S6_JUDGMENT_DEFAULTER,
    CreditGround.S8_OTHER,
}


def counts() -> dict[str, object]:
    return {
        "listings": CreditListing.objects.count(),
        "removals": CreditRemoval.objects.count(),
        "proposals": Counter(CreditProposal.objects.values_list("status", flat=True)),
        "penalties": Penalty.objects.count(),
        "clerks": get_user_model().objects.filter(username__in=[c[0] for c in CLERKS]).count(),
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed twice inside one transaction for the whole module, undone at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        first_out = io.StringIO()
        call_command("seed_demo", stdout=first_out)
        first = counts()
        second_out = io.StringIO()
        call_command("seed_demo", stdout=second_out)
        yield {
            "first": first,
            "second": counts(),
            "first_out": first_out.getvalue(),
            "second_out": second_out.getvalue(),
        }
        transaction.set_rollback(True)


def listed_since_2021():
    """Listed from 2021 up to the seed letter's date (the lists go on growing after it)."""
    return CreditListing.objects.filter(decided_on__gte=SINCE, decided_on__lte=LETTER_ON)


def test_223_organizations_listed_since_2021_on_both_lists(seeded):
    orgs = set(listed_since_2021().values_list("organization_id", flat=True))
    assert len(orgs) == TARGET == 223
    # Revocations reach the serious list (R-CRD-05(7)), quoting the register's decision.
    revoked = CreditListing.objects.filter(ground=CreditGround.S7_CERTIFICATE_REVOKED)
    assert revoked.filter(decided_on__lte=LETTER_ON).exists()
    assert all("撤字" in str(x.evidence) for x in revoked)
    per_list = {
        list_type: set(
            listed_since_2021()
            .filter(list_type=list_type)
            .values_list("organization_id", flat=True)
        )
        for list_type in CreditList.values
    }
    assert per_list[CreditList.ABNORMAL] and per_list[CreditList.SERIOUS]
    assert per_list[CreditList.ABNORMAL] | per_list[CreditList.SERIOUS] == orgs
    grounds = set(CreditListing.objects.values_list("ground", flat=True))
    assert grounds >= {
        CreditGround.A1_ANNUAL_REPORT,
        CreditGround.A5_WARNING_OR_SMALL_FINE,
        CreditGround.A6_UNREACHABLE,
        CreditGround.S5_REPEATED_PENALTIES,
        CreditGround.S6_JUDGMENT_DEFAULTER,
        CreditGround.S7_CERTIFICATE_REVOKED,
    }
    # The step reports the figure it reached.
    assert "自2021年起至2022-07-28列入 223 家" in seeded["first_out"]


def test_every_decision_is_dated_2021_to_2022(seeded):
    for model in (CreditListing, CreditRemoval):
        days = model.objects.values_list("decided_on", flat=True)
        assert min(days) >= SINCE and max(days) <= LAST_DAY, model
        # The services' own timestamps carry the demo's dates, not the day of the seed.
        assert {d.year for d in model.objects.values_list("created_at", flat=True)} <= {
            2021,
            2022,
        }
    stamps = CreditProposal.objects.exclude(status=ProposalStatus.SUGGESTED)
    for field in ("created_at", "proposed_at", "decided_at"):
        years = {d.year for d in stamps.exclude(**{field: None}).values_list(field, flat=True)}
        assert years <= {2021, 2022}, field
    assert not Penalty.objects.filter(Q(decided_on__lt=SINCE) | Q(decided_on__gt=LAST_DAY))


def test_every_listing_has_its_record_and_four_eyes(seeded):
    proposer, approver = (get_user_model().objects.get(username=c[0]) for c in CLERKS)
    for user in (proposer, approver):
        assert user.is_staff and not user.has_usable_password()
    listings = CreditListing.objects.select_related("organization")
    numbers = re.compile(r"^福民信〔(2021|2022)〕\d{4}号(之[二三四五六七八九十])?$")
    manual = 0
    for listing in listings:
        assert numbers.match(listing.decision_no), listing.decision_no
        assert str(listing.decided_on.year) in listing.decision_no
        assert listing.authority and listing.facts and listing.review_due_on
        assert listing.proposed_by_id and listing.approved_by_id
        assert listing.proposed_by_id != listing.approved_by_id
        assert listing.organization_name
        proposal = CreditProposal.objects.filter(listing=listing).first()
        if proposal is None:
            # A direct decision (credit_listing_create), on a ground the rules cannot see.
            assert listing.ground in MANUAL_GROUNDS
            manual += 1
            continue
        assert proposal.status == ProposalStatus.APPROVED
        assert proposal.proposed_by_id == listing.proposed_by_id == proposer.pk
        assert proposal.decided_by_id == listing.approved_by_id == approver.pk
        assert proposal.decided_at.date() == listing.decided_on
        assert listing.evidence["proposal_id"] == proposal.pk
        assert listing.evidence["rule_key"] == proposal.rule_key
    assert 1 <= manual <= 2
    assert CreditListing.objects.values("decision_no").distinct().count() == listings.count()


def test_removals_rectified_and_after_six_months(seeded):
    removals = CreditRemoval.objects.prefetch_related("listings")
    grounds = Counter(removals.values_list("ground", flat=True))
    assert grounds[RemovalGround.RECTIFIED] >= 10
    assert grounds[RemovalGround.NOTHING_TO_RECTIFY] >= 3
    for removal in removals:
        assert removal.proposed_by_id != removal.approved_by_id
        assert removal.proposal.status == ProposalStatus.APPROVED
        closed = list(removal.listings.all())
        assert closed
        for listing in closed:
            assert listing.organization_id == removal.organization_id
            assert listing.list_type == removal.list_type
            assert listing.decided_on <= removal.decided_on
            if removal.ground == RemovalGround.NOTHING_TO_RECTIFY:
                # R-CRD-07: six months after listing, nothing to rectify.
                assert listing.ground == CreditGround.A5_WARNING_OR_SMALL_FINE
                assert listing.review_due_on <= removal.decided_on
    # Rectified after the report was filed: the report came in after the listing.
    rectified = removals.filter(ground=RemovalGround.RECTIFIED)
    assert any("年度工作报告已于" in r.facts for r in rectified)


def test_penalties_are_warnings_and_small_fines_behind_their_listings(seeded):
    penalties = Penalty.objects.all()
    assert penalties.count() >= 10
    assert set(penalties.values_list("kind", flat=True)) <= {PenaltyKind.WARNING, PenaltyKind.FINE}
    assert not penalties.filter(kind=PenaltyKind.FINE, amount__gte=LARGE_FINE).exists()
    assert not penalties.filter(Q(decision_no="") | Q(legal_basis="")).exists()
    # Two warnings within three years: the serious list (R-CRD-05(5)).
    for listing in CreditListing.objects.filter(ground=CreditGround.S5_REPEATED_PENALTIES):
        assert len(listing.evidence["penalties"]) >= 2


def test_suggestions_are_decided_or_queued(seeded):
    proposals = CreditProposal.objects.all()
    statuses = Counter(proposals.values_list("status", flat=True))
    approved = proposals.filter(status=ProposalStatus.APPROVED)
    assert not approved.filter(listing__isnull=True, removal__isnull=True).exists()
    assert not approved.filter(action=DecisionAction.LIST, listing__isnull=True).exists()
    assert not approved.filter(action=DecisionAction.REMOVE, removal__isnull=True).exists()
    assert CreditRemoval.objects.count() == approved.filter(removal__isnull=False).count()
    # Rejections carry their reason; what is still open at the end of 2022 waits on approval.
    rejected = proposals.filter(status=ProposalStatus.REJECTED)
    assert rejected.exists() and not rejected.filter(rejection_reason="").exists()
    assert statuses[ProposalStatus.PROPOSED] >= 1
    assert not proposals.filter(as_of__gt=LAST_DAY).exists()


def test_public_page_shows_the_active_listings(seeded, client):
    active = active_listings()
    serious = active.filter(list_type=CreditList.SERIOUS)
    abnormal = active.filter(list_type=CreditList.ABNORMAL)
    assert serious.exists() and abnormal.count() > 100
    html = client.get(URL).content.decode()
    assert f"活动异常名录（{abnormal.count()}）" in html
    assert f"严重违法失信名单（{serious.count()}）" in html
    for listing in serious:
        assert listing.decision_no in html
    newest = abnormal.order_by("-decided_on", "-pk")[:50]
    assert all(x.decision_no in html for x in newest)
    # A removed organization, searched by its code, is no longer on the abnormal list.
    removed = CreditRemoval.objects.filter(list_type=CreditList.ABNORMAL)
    gone = next(
        r for r in removed if not abnormal.filter(organization_id=r.organization_id).exists()
    )
    html = client.get(URL, {"q": gone.organization.uscc, "list": "abnormal"}).content.decode()
    assert "没有符合" in html


def test_second_run_changes_no_counts(seeded):
    assert seeded["first"] == seeded["second"]
    assert seeded["first"]["listings"] > TARGET
    assert "信用名录已存在" in seeded["second_out"]
