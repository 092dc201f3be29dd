"""Controlled vocabularies and the lifecycle transition table of the register."""

from django.db import models


class OrganizationType(models.TextChoices):
    SOCIAL_GROUP = "social_group", "社会团体"
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise", "民办非企业单位"
    FOUNDATION = "foundation", "基金会"


class LifecycleStatus(models.TextChoices):
    ACTIVE = "active", "正常"
    DEREGISTERING = "deregistering", "注销办理中"
    DEREGISTERED = "deregistered", "已注销"
    REVOKED = "revoked", "撤销登记"


# Statuses in which an organization counts as registered (DESIGN.md §3).
REGISTERED_STATUSES = (LifecycleStatus.ACTIVE, LifecycleStatus.DEREGISTERING)

# The lifecycle as data: from-status → {to-status: label of the action}. A revoked or
# deregistered organization never comes back (DESIGN.md §3); the record stays forever. A
# revoked one can still complete 注销登记 after its liquidation (D13, R-CRD-08).
LIFECYCLE_TRANSITIONS: dict[str, dict[str, str]] = {
    LifecycleStatus.ACTIVE: {
        LifecycleStatus.DEREGISTERING: "受理注销",
        LifecycleStatus.REVOKED: "撤销登记",
    },
    LifecycleStatus.DEREGISTERING: {
        LifecycleStatus.DEREGISTERED: "核准注销",
        LifecycleStatus.ACTIVE: "撤回注销申请",
        LifecycleStatus.REVOKED: "撤销登记",
    },
    LifecycleStatus.DEREGISTERED: {},
    LifecycleStatus.REVOKED: {
        LifecycleStatus.DEREGISTERED: "核准注销",
    },
}


class LifecycleDecisionKind(models.TextChoices):
    """What a lifecycle decision decided; one kind per transition of the table above."""

    DEREGISTRATION_STARTED = "deregistration_started", "受理注销"
    DEREGISTRATION_WITHDRAWN = "deregistration_withdrawn", "撤回注销申请"
    DEREGISTRATION = "deregistration", "核准注销"
    REVOCATION = "revocation", "撤销登记"


# The kind each target status records.
DECISION_KIND_FOR_STATUS: dict[str, str] = {
    LifecycleStatus.DEREGISTERING: LifecycleDecisionKind.DEREGISTRATION_STARTED,
    LifecycleStatus.ACTIVE: LifecycleDecisionKind.DEREGISTRATION_WITHDRAWN,
    LifecycleStatus.DEREGISTERED: LifecycleDecisionKind.DEREGISTRATION,
    LifecycleStatus.REVOKED: LifecycleDecisionKind.REVOCATION,
}

# Decisions that change legal status: each carries a document number, an authority and
# evidence or a statement of facts (R-XC-03, R-CRD-11).
LEGAL_STATUS_DECISIONS = (LifecycleDecisionKind.DEREGISTRATION, LifecycleDecisionKind.REVOCATION)


class SupervisingUnitKind(models.TextChoices):
    DISTRICT_DEPARTMENT = "district_department", "区直部门"
    STREET_OFFICE = "street_office", "街道办事处"
    OTHER = "other", "其他"


class RatingGrade(models.TextChoices):
    A1 = "1A", "1A"
    A2 = "2A", "2A"
    A3 = "3A", "3A"
    A4 = "4A", "4A"
    A5 = "5A", "5A"


class RatingRuleVersion(models.TextChoices):
    """Which evaluation rules were in force at the award (R-EVL-11, D8)."""

    ORDER_39 = "order_39", "民政部令第39号（2011）"
    REVISION_2026 = "revision_2026", "2026年修订（2026-03-01起）"
