"""Lifecycle actions in the organization admin: a date is asked, then the whole selection
moves, or nothing does (DESIGN.md §3; all-or-nothing multi-row operations)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from registry.choices import LifecycleStatus
from registry.models import LifecycleDecision
from registry.services import organization_transition
from tests.registry.factories import OrganizationFactory, decision_fields

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/registry/organization/"


def act(client, action, orgs, **data):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [o.pk for o in orgs], **data},
        follow=True,
    )


def test_action_asks_for_the_date_first(staff_client):
    org = OrganizationFactory()
    page = act(staff_client, "transition_to_deregistering", [org])
    assert "决定日期" in page.content.decode() and org.name in page.content.decode()
    org.refresh_from_db()
    assert org.status == LifecycleStatus.ACTIVE


def test_selection_moves_together(staff_client):
    orgs = OrganizationFactory.create_batch(2)
    page = act(staff_client, "transition_to_deregistering", orgs, apply="1", on="2024-03-01")
    assert "已对 2 条记录受理注销" in page.content.decode()
    for org in orgs:
        org.refresh_from_db()
        assert org.status == LifecycleStatus.DEREGISTERING
        assert org.deregistration_started_on == datetime.date(2024, 3, 1)


def test_one_refusal_leaves_every_organization_unchanged(staff_client):
    fine = OrganizationFactory()
    revoked = OrganizationFactory()
    organization_transition(organization=revoked, to=LifecycleStatus.REVOKED, **decision_fields())
    page = act(
        staff_client,
        "transition_to_revoked",
        [fine, revoked],
        apply="1",
        on="2024-03-01",
        **decision_fields(),
    ).content.decode()
    assert "全部未作变更" in page and revoked.name in page
    fine.refresh_from_db()
    assert fine.status == LifecycleStatus.ACTIVE


def test_revocation_asks_for_its_document_and_refuses_without_it(staff_client):
    org = OrganizationFactory()
    page = act(staff_client, "transition_to_revoked", [org]).content.decode()
    for label in ("决定文号", "决定机关", "事实与理由", "证据材料"):
        assert label in page
    page = act(
        staff_client, "transition_to_revoked", [org], apply="1", on="2024-03-01", authority="局"
    ).content.decode()
    assert 'id="id_document_no_error"' in page and 'id="id_facts_error"' in page
    assert 'id="id_authority_error"' not in page
    org.refresh_from_db()
    assert org.status == LifecycleStatus.ACTIVE
    assert not LifecycleDecision.objects.exists()


def test_revocation_action_records_the_decision_with_its_evidence(
    staff_client, staff_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    orgs = OrganizationFactory.create_batch(2)
    page = act(
        staff_client,
        "transition_to_revoked",
        orgs,
        apply="1",
        on="2024-03-01",
        document_no="深福民撤字〔2024〕3号",
        authority="深圳市福田区民政局",
        evidence=SimpleUploadedFile("决定书.pdf", b"%PDF decision", "application/pdf"),
    ).content.decode()
    assert "已对 2 条记录撤销登记" in page
    decisions = LifecycleDecision.objects.filter(organization__in=orgs)
    assert decisions.count() == 2
    for decision in decisions:
        assert decision.document_no == "深福民撤字〔2024〕3号"
        assert decision.decided_on == datetime.date(2024, 3, 1)
        assert decision.actor == staff_user
        assert decision.evidence.read() == b"%PDF decision"


def test_decisions_are_shown_read_only(staff_client):
    org = OrganizationFactory()
    organization_transition(organization=org, to=LifecycleStatus.REVOKED, **decision_fields())
    decision = LifecycleDecision.objects.get()
    page = staff_client.get(f"{CHANGELIST}{org.pk}/change/").content.decode()
    assert decision.document_no in page
    assert staff_client.get("/admin/registry/lifecycledecision/").status_code == 200
    assert staff_client.get("/admin/registry/lifecycledecision/add/").status_code == 403
    url = f"/admin/registry/lifecycledecision/{decision.pk}/delete/"
    assert staff_client.post(url, {"post": "yes"}).status_code == 403
    assert LifecycleDecision.objects.filter(pk=decision.pk).exists()
