"""Lifecycle actions in the organization admin: a date is asked, then the whole selection
moves, or nothing does (DESIGN.md §3; all-or-nothing multi-row operations)."""

from __future__ import annotations

import datetime

import pytest

from registry.choices import LifecycleStatus
from registry.services import organization_transition
from tests.registry.factories import OrganizationFactory

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
    assert "生效日期" in page.content.decode() and org.name in page.content.decode()
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
    organization_transition(organization=revoked, to=LifecycleStatus.REVOKED)
    page = act(
        staff_client, "transition_to_revoked", [fine, revoked], apply="1", on="2024-03-01"
    ).content.decode()
    assert "全部未作变更" in page and revoked.name in page
    fine.refresh_from_db()
    assert fine.status == LifecycleStatus.ACTIVE
