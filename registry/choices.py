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
# deregistered organization never comes back (DESIGN.md §3); the record stays forever.
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
    LifecycleStatus.REVOKED: {},
}


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
