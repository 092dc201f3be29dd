"""Admin of the credit lists: the proposal actions (提议, 批准 four eyes, 驳回) and the dry-run
page, which writes nothing. Decisions are read-only in the admin."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model

from oversight.annual_reports.services import annual_report_cycle_get
from oversight.credit.choices import ProposalStatus
from oversight.credit.models import CreditListing, CreditProposal
from oversight.credit.runs import credit_rules_run
from tests.registry.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
CHANGELIST = "/admin/oversight/creditproposal/"


@pytest.fixture
def proposal():
    annual_report_cycle_get(year=2023)
    OrganizationFactory(established_on=D(2018, 1, 1))
    credit_rules_run(as_of=D(2024, 6, 1))
    return CreditProposal.objects.get()


def superuser(name):
    return get_user_model().objects.create_superuser(name, f"{name}@example.com", "pw")


def post_action(client, action, proposal, **data):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [proposal.pk], **data}, follow=True
    )


def test_propose_then_approve_by_another_clerk(client, proposal):
    client.force_login(superuser("a"))
    post_action(client, "propose", proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    response = post_action(client, "approve", proposal, apply="1", decided_on="2024-06-03")
    assert "双人审核" in response.content.decode()
    assert CreditListing.objects.count() == 0
    client.force_login(superuser("b"))
    page = post_action(client, "approve", proposal)
    assert "决定日期" in page.content.decode()
    post_action(client, "approve", proposal, apply="1", decided_on="2024-06-03")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.listing.decision_no == "福民信〔2024〕0001号"


def test_reject_with_reason(client, proposal):
    client.force_login(superuser("a"))
    post_action(client, "reject", proposal, apply="1", reason="经核实已报送纸质报告")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert proposal.rejection_reason == "经核实已报送纸质报告"


def test_dry_run_page_writes_nothing(client):
    annual_report_cycle_get(year=2023)
    org = OrganizationFactory(established_on=D(2018, 1, 1))
    client.force_login(superuser("a"))
    assert "规则试运行" in client.get(CHANGELIST).content.decode()
    response = client.get(CHANGELIST + "dry-run/", {"as_of": "2024-06-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert org.uscc in html and "未在2024-05-31前报送2023年度工作报告" in html
    assert CreditProposal.objects.count() == 0


def test_decisions_are_read_only_in_the_admin(client, proposal):
    client.force_login(superuser("a"))
    assert client.get("/admin/oversight/creditlisting/add/").status_code == 403
    assert client.get("/admin/oversight/creditlisting/").status_code == 200
