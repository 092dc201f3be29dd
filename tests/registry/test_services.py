"""Lifecycle, registration-change and rating rules of the register (DESIGN.md §3, D8, D11)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from registry import services
from registry.choices import LifecycleStatus, RatingRuleVersion
from registry.models import Organization
from registry.rating_rules import rating_validity
from registry.selectors import organization_counts_registered_on, organizations_registered_on
from tests.registry.factories import (
    OrganizationFactory,
    RatingFactory,
    decision_fields,
    make_uscc,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def test_deregistration_path_keeps_the_record_and_its_dates(staff_user):
    from tests.oversight.factories import AuditFactory

    org = OrganizationFactory(established_on=D(2016, 3, 1))
    AuditFactory(organization=org, completed_on=D(2021, 6, 20))  # D11
    services.organization_transition(
        organization=org, to=LifecycleStatus.DEREGISTERING, on=D(2021, 5, 1), actor=staff_user
    )
    services.organization_transition(
        organization=org,
        to=LifecycleStatus.DEREGISTERED,
        on=D(2021, 7, 1),
        actor=staff_user,
        **decision_fields(),
    )
    org.refresh_from_db()
    assert org.status == LifecycleStatus.DEREGISTERED
    assert org.deregistration_started_on == D(2021, 5, 1)
    assert org.deregistered_on == D(2021, 7, 1)
    # "registered on D" answered from records: registered while deregistering, gone after.
    assert org in organizations_registered_on(day=D(2021, 6, 30))
    assert org not in organizations_registered_on(day=D(2021, 7, 1))
    assert org not in organizations_registered_on(day=D(2016, 2, 29))
    history = list(org.history.order_by("history_date").values_list("status", "history_user"))
    assert [s for s, _ in history] == ["active", "deregistering", "deregistered"]
    assert history[-1][1] == staff_user.pk


def test_revoked_organization_cannot_come_back():
    org = OrganizationFactory()
    services.organization_transition(
        organization=org, to=LifecycleStatus.REVOKED, on=D(2022, 1, 5), **decision_fields()
    )
    for to in (LifecycleStatus.ACTIVE, LifecycleStatus.DEREGISTERING):
        with pytest.raises(ValidationError) as exc:
            services.organization_transition(organization=org, to=to, on=D(2022, 2, 1))
        assert "status" in exc.value.message_dict
    org.refresh_from_db()
    assert org.status == LifecycleStatus.REVOKED and org.revoked_on == D(2022, 1, 5)


def test_deregistered_requires_deregistering_first():
    org = OrganizationFactory()
    with pytest.raises(ValidationError):
        services.organization_transition(organization=org, to=LifecycleStatus.DEREGISTERED)


def test_withdrawn_deregistration_returns_to_active():
    org = OrganizationFactory()
    services.organization_transition(organization=org, to=LifecycleStatus.DEREGISTERING)
    services.organization_transition(organization=org, to=LifecycleStatus.ACTIVE)
    org.refresh_from_db()
    assert org.status == LifecycleStatus.ACTIVE and org.deregistration_started_on is None


def test_transition_cannot_predate_establishment():
    org = OrganizationFactory(established_on=D(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.organization_transition(
            organization=org, to=LifecycleStatus.REVOKED, on=D(2019, 12, 31), **decision_fields()
        )


def test_transition_guard_registered_by_another_app_blocks(monkeypatch):
    monkeypatch.setattr(services, "_transition_guards", [])
    services.register_transition_guard(
        lambda org, to, on: "缺少注销清算审计报告" if to == LifecycleStatus.DEREGISTERED else None
    )
    org = OrganizationFactory()
    services.organization_transition(organization=org, to=LifecycleStatus.DEREGISTERING)
    with pytest.raises(ValidationError, match="清算审计"):
        services.organization_transition(
            organization=org, to=LifecycleStatus.DEREGISTERED, **decision_fields()
        )
    org.refresh_from_db()
    assert org.status == LifecycleStatus.DEREGISTERING


def test_legal_representative_guard_blocks_change(monkeypatch):
    monkeypatch.setattr(services, "_legal_representative_guards", [])
    services.register_legal_representative_guard(lambda org, new, on: "需先提交离任审计报告")
    org = OrganizationFactory(legal_representative="张三")
    with pytest.raises(ValidationError) as exc:
        services.organization_change(organization=org, legal_representative="李四")
    assert "legal_representative" in exc.value.message_dict
    services.organization_change(organization=org, domicile="深圳市福田区新址")
    org.refresh_from_db()
    assert org.legal_representative == "张三" and org.domicile == "深圳市福田区新址"


def test_type_is_fixed_by_the_code():
    org = OrganizationFactory()
    with pytest.raises(ValidationError) as exc:
        services.organization_change(organization=org, org_type="social_group")
    assert "org_type" in exc.value.message_dict


def test_register_refuses_type_digit_mismatch():
    from registry.models import IndustryCategory

    with pytest.raises(ValidationError) as exc:
        services.organization_register(
            uscc=make_uscc("private_non_enterprise"),
            name="福田区某协会",
            org_type="social_group",
            industry_category=IndustryCategory.objects.get(code=1),
            legal_representative="王五",
            domicile="福田区",
            established_on=D(2020, 1, 1),
        )
    assert "第2位机构类别码" in exc.value.message_dict["uscc"][0]


def test_only_social_groups_can_be_industry_associations():
    org = OrganizationFactory.build(org_type="private_non_enterprise", is_industry_association=True)
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "is_industry_association" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(org_type="private_non_enterprise", is_industry_association=True)


def test_organizations_are_never_deleted():
    org = OrganizationFactory()
    with pytest.raises(ValidationError):
        org.delete()
    with pytest.raises(ValidationError):
        Organization.objects.all().delete()
    assert Organization.objects.filter(pk=org.pk).exists()


def test_counts_registered_on_by_type():
    OrganizationFactory(org_type="social_group", is_industry_association=True)
    OrganizationFactory(org_type="social_group")
    OrganizationFactory(established_on=D(2030, 1, 1))
    counts = organization_counts_registered_on(day=D(2024, 1, 1))
    assert counts == {"social_group": 2, "industry_association": 1, "total": 2}


@pytest.mark.parametrize(
    ("awarded", "version", "start", "end"),
    [
        (D(2021, 6, 10), RatingRuleVersion.ORDER_39, D(2021, 6, 10), D(2026, 6, 9)),
        (D(2026, 2, 28), RatingRuleVersion.ORDER_39, D(2026, 2, 28), D(2031, 2, 27)),
        (D(2026, 3, 1), RatingRuleVersion.REVISION_2026, D(2027, 1, 1), D(2031, 12, 31)),
        (D(2024, 2, 29), RatingRuleVersion.ORDER_39, D(2024, 2, 29), D(2029, 2, 28)),
    ],
)
def test_rating_validity_by_rule_version_d8(awarded, version, start, end):
    assert rating_validity(awarded_on=awarded) == (version, start, end)


def test_rating_stores_its_rule_version_and_expiry():
    rating = RatingFactory(awarded_on=D(2026, 5, 20), grade="4A")
    rating.refresh_from_db()
    assert rating.rule_version == RatingRuleVersion.REVISION_2026
    assert (rating.valid_from, rating.expires_on) == (D(2027, 1, 1), D(2031, 12, 31))


def test_rating_award_computes_validity_and_keeps_history(staff_user):
    org = OrganizationFactory()
    rating = services.rating_award(
        organization=org, grade="4A", awarded_on=D(2026, 3, 1), actor=staff_user
    )
    assert (rating.rule_version, rating.valid_from, rating.expires_on) == rating_validity(
        awarded_on=D(2026, 3, 1)
    )
    assert rating.rule_version == RatingRuleVersion.REVISION_2026
    row = rating.history.get()
    assert (row.history_user, row.history_change_reason) == (staff_user, "等级评估")
    old = services.rating_award(
        organization=org, grade="3A", awarded_on=D(2026, 2, 28), reason="复核改定"
    )
    assert old.rule_version == RatingRuleVersion.ORDER_39
    assert old.history.get().history_change_reason == "复核改定"


def test_rating_award_refuses_an_unknown_grade_naming_the_field():
    org = OrganizationFactory()
    with pytest.raises(ValidationError) as exc:
        services.rating_award(organization=org, grade="6A", awarded_on=D(2024, 1, 1))
    assert set(exc.value.message_dict) == {"grade"}
    assert not org.ratings.exists()
