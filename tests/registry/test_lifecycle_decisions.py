"""Lifecycle decisions (R-XC-03, R-CRD-11): 撤销登记 and 核准注销 carry a document number, an
authority, a date and evidence, are written with the transition and are append-only; a
revoked organization can still complete 注销登记 (D13)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, IntegrityError, connection, transaction

from registry import services
from registry.choices import LifecycleDecisionKind, LifecycleStatus
from registry.models import LifecycleDecision, Organization
from registry.selectors import lifecycle_decisions, organizations_registered_on, revocations
from tests.oversight.factories import AuditFactory
from tests.registry.factories import OrganizationFactory, decision_fields

D = datetime.date
pytestmark = pytest.mark.django_db


REVOKED_ON = D(2022, 5, 10)


def revoke(org, on=REVOKED_ON, **kw):
    return services.organization_transition(
        organization=org, to=LifecycleStatus.REVOKED, on=on, **{**decision_fields(), **kw}
    )


@pytest.mark.parametrize(
    ("to", "before"),
    [
        (LifecycleStatus.REVOKED, None),
        (LifecycleStatus.DEREGISTERED, LifecycleStatus.DEREGISTERING),
    ],
)
def test_legal_status_change_names_every_missing_field_and_changes_nothing(to, before):
    org = OrganizationFactory()
    if before:
        services.organization_transition(organization=org, to=before, on=D(2022, 1, 3))
    count = LifecycleDecision.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.organization_transition(
            organization=org, to=to, on=D(2022, 3, 1), document_no=" ", authority=""
        )
    errors = exc.value.message_dict
    assert set(errors) == {"document_no", "authority", "facts"}
    assert "决定文号" in errors["document_no"][0] and "R-XC-03" in errors["document_no"][0]
    assert "决定机关" in errors["authority"][0]
    assert "证据材料" in errors["facts"][0]
    org.refresh_from_db()
    assert org.status == (before or LifecycleStatus.ACTIVE)
    assert LifecycleDecision.objects.count() == count


def test_revocation_records_its_decision_in_the_same_transaction(staff_user):
    org = OrganizationFactory(name="福田区某某服务中心")
    fields = decision_fields(document_no="深福民撤字〔2022〕7号", facts="未按规定报送年度报告。")
    services.organization_transition(
        organization=org, to=LifecycleStatus.REVOKED, on=D(2022, 5, 10), actor=staff_user, **fields
    )
    decision = LifecycleDecision.objects.get(organization=org)
    assert decision.kind == LifecycleDecisionKind.REVOCATION
    assert (decision.from_status, decision.to_status) == ("active", "revoked")
    assert decision.decided_on == D(2022, 5, 10)
    assert decision.document_no == "深福民撤字〔2022〕7号"
    assert decision.authority == fields["authority"]
    assert decision.facts == "未按规定报送年度报告。"
    assert (decision.organization_uscc, decision.organization_name) == (org.uscc, org.name)
    assert decision.actor == staff_user
    # The record keeps the name the organization had when decided.
    Organization.objects.filter(pk=org.pk).update(name="改名后的名称")
    decision.refresh_from_db()
    assert decision.organization_name == "福田区某某服务中心"


def test_a_refused_transition_leaves_no_decision(monkeypatch):
    monkeypatch.setattr(services, "_transition_guards", [lambda org, to, on: "不予撤销"])
    org = OrganizationFactory()
    with pytest.raises(ValidationError, match="不予撤销"):
        revoke(org)
    assert not LifecycleDecision.objects.filter(organization=org).exists()


def test_evidence_file_alone_is_enough(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    org = OrganizationFactory()
    scan = SimpleUploadedFile("撤销决定书.pdf", b"%PDF-1.4 decision", "application/pdf")
    revoke(org, facts="", evidence=scan)
    decision = LifecycleDecision.objects.get(organization=org)
    assert decision.facts == ""
    assert decision.evidence.name.startswith("lifecycle/")
    assert decision.evidence.read() == b"%PDF-1.4 decision"


def test_steps_that_keep_legal_status_need_no_document_but_are_recorded():
    org = OrganizationFactory()
    services.organization_transition(
        organization=org, to=LifecycleStatus.DEREGISTERING, on=D(2022, 1, 3)
    )
    services.organization_transition(organization=org, to=LifecycleStatus.ACTIVE, on=D(2022, 2, 1))
    kinds = list(
        lifecycle_decisions(organizations=[org.pk]).values_list("kind", "decided_on", "document_no")
    )
    assert kinds == [
        (LifecycleDecisionKind.DEREGISTRATION_WITHDRAWN, D(2022, 2, 1), ""),
        (LifecycleDecisionKind.DEREGISTRATION_STARTED, D(2022, 1, 3), ""),
    ]


def test_database_refuses_to_create_an_undocumented_revocation():
    org = OrganizationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        LifecycleDecision.objects.create(
            organization=org,
            organization_uscc=org.uscc,
            organization_name=org.name,
            kind=LifecycleDecisionKind.REVOCATION,
            from_status="active",
            to_status="revoked",
            decided_on=D(2022, 1, 1),
            authority="深圳市福田区民政局",
            facts="事实",
        )


def test_decisions_are_append_only_even_below_the_orm():
    org = OrganizationFactory()
    revoke(org)
    decision = LifecycleDecision.objects.get(organization=org)
    with pytest.raises(ValidationError):
        decision.delete()
    with pytest.raises(ValidationError):
        LifecycleDecision.objects.filter(pk=decision.pk).delete()
    for sql in (
        "UPDATE registry_lifecycledecision SET document_no = 'x' WHERE id = %s",
        "DELETE FROM registry_lifecycledecision WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="只能新增"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [decision.pk])
    decision.refresh_from_db()
    assert decision.document_no.startswith("深福民")


def test_revocations_selector_reads_decisions_as_of_a_day():
    first, second, other = OrganizationFactory.create_batch(3)
    revoke(first, on=D(2022, 3, 1))
    revoke(second, on=D(2022, 3, 2))
    services.organization_transition(
        organization=other, to=LifecycleStatus.DEREGISTERING, on=D(2022, 3, 1)
    )
    assert list(revocations(on=D(2022, 2, 28))) == []
    assert [d.organization for d in revocations(on=D(2022, 3, 1))] == [first]
    assert [d.organization for d in revocations(on=D(2022, 3, 2))] == [second, first]
    assert [d.organization for d in revocations(since=D(2022, 3, 2))] == [second]


def test_revoked_organization_completes_deregistration_after_its_liquidation_d13():
    org = OrganizationFactory()
    revoke(org, on=D(2022, 5, 10))
    AuditFactory(organization=org, commissioned_on=D(2022, 5, 20), completed_on=D(2022, 6, 20))
    services.organization_transition(
        organization=org, to=LifecycleStatus.DEREGISTERED, on=D(2022, 7, 1), **decision_fields()
    )
    org.refresh_from_db()
    assert org.status == LifecycleStatus.DEREGISTERED
    assert (org.revoked_on, org.deregistered_on) == (D(2022, 5, 10), D(2022, 7, 1))
    assert org not in organizations_registered_on(day=D(2022, 6, 1))
    decision = lifecycle_decisions(kinds=[LifecycleDecisionKind.DEREGISTRATION]).get()
    assert (decision.from_status, decision.to_status) == ("revoked", "deregistered")
    # The revocation stays on record for R-CRD-05(7).
    assert [d.organization for d in revocations(on=D(2022, 7, 1))] == [org]


def test_revoked_organization_deregisters_only_with_the_d11_audit():
    org = OrganizationFactory()
    revoke(org, on=D(2022, 5, 10))
    with pytest.raises(ValidationError, match="R-AUD-04"):
        services.organization_transition(
            organization=org, to=LifecycleStatus.DEREGISTERED, on=D(2022, 7, 1), **decision_fields()
        )
    org.refresh_from_db()
    assert org.status == LifecycleStatus.REVOKED and org.deregistered_on is None


def test_decision_cannot_predate_the_one_it_builds_on():
    org = OrganizationFactory()
    revoke(org, on=D(2022, 5, 10))
    AuditFactory(organization=org, completed_on=D(2022, 5, 10))
    with pytest.raises(ValidationError, match="2022-05-10"):
        services.organization_transition(
            organization=org, to=LifecycleStatus.DEREGISTERED, on=D(2022, 5, 9), **decision_fields()
        )
    services.organization_transition(
        organization=org, to=LifecycleStatus.DEREGISTERED, on=D(2022, 5, 10), **decision_fields()
    )


def test_revoked_with_a_deregistration_date_is_refused_by_the_database():
    org = OrganizationFactory()
    revoke(org)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=org.pk).update(deregistered_on=D(2022, 6, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=org.pk).update(status="active")
