"""Party building (DOMAIN.md §8, DESIGN.md §5): party organizations and the organizations they
cover, member counts, instructors (work coverage), volunteer service and demonstration points.

Nothing here is deleted: a party organization is dissolved on a date, a coverage or an
assignment ends on a date, so every figure can be answered for any past day.
Date convention (as registry's `registered_on`): a record counts on day D when it started on
or before D and its end date, if any, is after D.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from common.change_tracking import ChangeTracked
from common.scoping import ScopedQuerySet
from registry.models import Organization

from .choices import (
    BRANCH_COMMITTEE_MIN_FULL_MEMBERS,
    MIN_FULL_MEMBERS,
    Formation,
    MemberCountSource,
    PartyOrganizationLevel,
    SuperiorBodyKind,
    level_for_members,
)

NEVER_DELETED = "党建记录不删除：党组织请办理撤销（记录撤销日期和文号），覆盖或指派请填写结束日期。"


class KeptRecord(models.Model):
    """A record that is ended by a date, never deleted."""

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise ValidationError(NEVER_DELETED)


def active_on_q(day: datetime.date, start: str, end: str) -> Q:
    """Rows that started on or before `day` and had not ended by it."""
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": day}))


class SuperiorBody(models.Model):
    """上级党组织: the body that manages a party organization (R-PTY-07), an editable table."""

    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类别", max_length=32, choices=SuperiorBodyKind.choices)
    is_active = models.BooleanField("有效", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "上级党组织"
        verbose_name_plural = "上级党组织"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PartyOrganizationQuerySet(ScopedQuerySet):
    def active_on(self, day: datetime.date) -> PartyOrganizationQuerySet:
        """Approved on or before `day` and not dissolved by it."""
        return self.filter(active_on_q(day, "approved_on", "dissolved_on"))


class PartyOrganization(ChangeTracked, KeptRecord):
    """社会组织党组织: a party committee, general branch or branch (R-PTY-01/02)."""

    name = models.CharField("党组织名称", max_length=200, db_index=True)
    level = models.CharField("党组织类别", max_length=20, choices=PartyOrganizationLevel.choices)
    formation = models.CharField("组建方式", max_length=10, choices=Formation.choices)
    superior_body = models.ForeignKey(
        SuperiorBody,
        verbose_name="上级党组织",
        on_delete=models.PROTECT,
        related_name="party_organizations",
    )
    approved_on = models.DateField("批准成立日期")
    approval_doc_no = models.CharField("批复文号", max_length=100, blank=True)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    dissolution_doc_no = models.CharField("撤销文号", max_length=100, blank=True)
    secretary = models.CharField("书记", max_length=50, blank=True)
    has_branch_committee = models.BooleanField(
        "设支部委员会", default=False, help_text="正式党员7名以上的党支部设支部委员会（R-PTY-01）。"
    )
    full_members = models.PositiveIntegerField("正式党员数")
    probationary_members = models.PositiveIntegerField("预备党员数", default=0)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = PartyOrganizationQuerySet.as_manager()
    # A department sees a party organization that covers one of its organizations (EXISTS).
    scope_unit_path = "coverages__organization__supervising_unit"

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["approved_on", "dissolved_on"], name="partybuilding_po_dates"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(dissolved_on__gt=models.F("approved_on")),
                name="%(app_label)s_%(class)s_dissolved_after_approval",
                violation_error_message="撤销日期必须晚于批准成立日期。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def total_members(self) -> int:
        return (self.full_members or 0) + (self.probationary_members or 0)

    def clean(self) -> None:
        super().clean()
        errors = party_organization_member_errors(
            level=self.level,
            full_members=self.full_members,
            probationary_members=self.probationary_members,
            has_branch_committee=self.has_branch_committee,
        )
        if self.dissolved_on and not self.dissolution_doc_no:
            errors.setdefault("dissolution_doc_no", []).append("撤销党组织须填写撤销文号。")
        if errors:
            raise ValidationError(errors)


def party_organization_member_errors(
    *,
    level: str,
    full_members: int | None,
    probationary_members: int | None,
    has_branch_committee: bool,
) -> dict[str, list[str]]:
    """R-PTY-01 checks of one party organization's own fields, by field (pure)."""
    if full_members is None or not level:
        return {}
    errors: dict[str, list[str]] = {}
    total = full_members + (probationary_members or 0)
    if full_members < MIN_FULL_MEMBERS:
        errors["full_members"] = [
            f"正式党员{full_members}名，少于{MIN_FULL_MEMBERS}名，不能成立党组织；"
            "可与邻近社会组织联合组建（R-PTY-01、R-PTY-02）。"
        ]
    expected = level_for_members(total)
    if level != expected:
        errors["level"] = [
            f"党员{total}名（正式{full_members}名、预备{probationary_members or 0}名）应设"
            f"“{PartyOrganizationLevel(expected).label}”，不是“{PartyOrganizationLevel(level).label}”"
            "：50名以下设党支部，50至100名设党总支，100名以上设党委（R-PTY-01）。"
        ]
    if level == PartyOrganizationLevel.BRANCH:
        if has_branch_committee and full_members < BRANCH_COMMITTEE_MIN_FULL_MEMBERS:
            errors["has_branch_committee"] = [
                f"正式党员{full_members}名，不足{BRANCH_COMMITTEE_MIN_FULL_MEMBERS}名的党支部"
                "不设支部委员会，只设书记（R-PTY-01）。"
            ]
        if not has_branch_committee and full_members >= BRANCH_COMMITTEE_MIN_FULL_MEMBERS:
            errors["has_branch_committee"] = [
                f"正式党员{full_members}名，{BRANCH_COMMITTEE_MIN_FULL_MEMBERS}名以上的党支部"
                "应设支部委员会（R-PTY-01）。"
            ]
    elif has_branch_committee:
        errors["has_branch_committee"] = ["只有党支部填写“设支部委员会”（R-PTY-01）。"]
    return errors


class PartyOrganizationCoverage(KeptRecord):
    """党组织覆盖: an organization belongs to a party organization from one date to another."""

    party_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name="党组织",
        on_delete=models.PROTECT,
        related_name="coverages",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="社会组织",
        on_delete=models.PROTECT,
        related_name="party_coverages",
    )
    joined_on = models.DateField("纳入日期")
    left_on = models.DateField("退出日期", null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_unit_path = "organization__supervising_unit"

    class Meta:
        verbose_name = "党组织覆盖的社会组织"
        verbose_name_plural = "党组织覆盖的社会组织"
        ordering = ["party_organization", "joined_on", "id"]
        indexes = [
            models.Index(
                fields=["organization", "joined_on", "left_on"], name="partybuilding_cov_org"
            ),
            models.Index(fields=["party_organization", "joined_on"], name="partybuilding_cov_po"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gt=models.F("joined_on")),
                name="%(app_label)s_%(class)s_left_after_joined",
                violation_error_message="退出日期必须晚于纳入日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party_organization} · {self.organization}"


class PartyMemberCount(models.Model):
    """党员人数: full and probationary members of one organization as reported on a date."""

    organization = models.ForeignKey(
        Organization,
        verbose_name="社会组织",
        on_delete=models.PROTECT,
        related_name="party_member_counts",
    )
    as_of = models.DateField("统计日期")
    full_members = models.PositiveIntegerField("正式党员数")
    probationary_members = models.PositiveIntegerField("预备党员数", default=0)
    source = models.CharField("来源", max_length=32, choices=MemberCountSource.choices)
    note = models.CharField("备注", max_length=200, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_unit_path = "organization__supervising_unit"

    class Meta:
        verbose_name = "党员人数"
        verbose_name_plural = "党员人数"
        ordering = ["organization", "-as_of"]
        indexes = [
            models.Index(fields=["organization", "as_of"], name="partybuilding_pmc_org_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "as_of", "source"],
                name="%(app_label)s_%(class)s_one_per_day_and_source",
                violation_error_message="同一组织同一日期同一来源只能有一条党员人数记录。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}（{self.as_of}）正式党员{self.full_members}名"

    def delete(self, *args, **kwargs):
        raise ValidationError("党员人数记录不删除：数字有变化请按新的统计日期另行登记。")


class Instructor(models.Model):
    """党建工作指导员: gives work coverage to organizations without a party organization (R-PTY-03)."""

    name = models.CharField("姓名", max_length=50)
    employer = models.CharField("工作单位", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    is_active = models.BooleanField("在岗", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "党建工作指导员"
        verbose_name_plural = "党建工作指导员"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.employer}）" if self.employer else self.name

    def delete(self, *args, **kwargs):
        raise ValidationError("指导员记录不删除：不再任职请取消“在岗”并结束其指派。")


class InstructorAssignment(KeptRecord):
    """指导员指派: an instructor serves an organization from one date to another (工作覆盖)."""

    instructor = models.ForeignKey(
        Instructor,
        verbose_name="党建工作指导员",
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="社会组织",
        on_delete=models.PROTECT,
        related_name="party_instructor_assignments",
    )
    started_on = models.DateField("指派日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_unit_path = "organization__supervising_unit"

    class Meta:
        verbose_name = "指导员指派"
        verbose_name_plural = "指导员指派"
        ordering = ["-started_on", "id"]
        indexes = [
            models.Index(
                fields=["organization", "started_on", "ended_on"], name="partybuilding_ia_org"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("started_on")),
                name="%(app_label)s_%(class)s_ended_after_started",
                violation_error_message="结束日期必须晚于指派日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instructor.name} → {self.organization}"


class VolunteerDomain(models.Model):
    """志愿服务领域: an editable table (疫情防控, 公益慈善, …)."""

    name = models.CharField("名称", max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("有效", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "志愿服务领域"
        verbose_name_plural = "志愿服务领域"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class VolunteerActivity(models.Model):
    """党员志愿服务活动: one activity, the organizations involved, participants and hours."""

    title = models.CharField("活动名称", max_length=200)
    domain = models.ForeignKey(
        VolunteerDomain,
        verbose_name="服务领域",
        on_delete=models.PROTECT,
        related_name="activities",
    )
    held_on = models.DateField("活动日期")
    organizations = models.ManyToManyField(
        Organization, verbose_name="参与的社会组织", related_name="party_volunteer_activities"
    )
    participants = models.PositiveIntegerField("参与党员人数", validators=[MinValueValidator(1)])
    hours = models.DecimalField(
        "服务时长（小时）", max_digits=9, decimal_places=1, validators=[MinValueValidator(0)]
    )
    description = models.TextField("活动内容", blank=True)
    history = HistoricalRecords(m2m_fields=[organizations])

    objects = ScopedQuerySet.as_manager()
    scope_unit_path = "organizations__supervising_unit"

    class Meta:
        verbose_name = "党员志愿服务活动"
        verbose_name_plural = "党员志愿服务活动"
        ordering = ["-held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class DemonstrationPoint(KeptRecord):
    """党建示范点: an organization designated as a demonstration point for a period."""

    organization = models.ForeignKey(
        Organization,
        verbose_name="社会组织",
        on_delete=models.PROTECT,
        related_name="party_demonstration_points",
    )
    title = models.CharField("示范点名称", max_length=200)
    designated_on = models.DateField("命名日期")
    designation_doc_no = models.CharField("命名文号", max_length=100, blank=True)
    ended_on = models.DateField("摘牌日期", null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_unit_path = "organization__supervising_unit"

    class Meta:
        verbose_name = "党建示范点"
        verbose_name_plural = "党建示范点"
        ordering = ["-designated_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("designated_on")),
                name="%(app_label)s_%(class)s_ended_after_designated",
                violation_error_message="摘牌日期必须晚于命名日期。",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CoverageOrganization(Organization):
    """The register seen from party building: the admin list behind each coverage figure."""

    class Meta:
        proxy = True
        verbose_name = "党建覆盖情况"
        verbose_name_plural = "党建覆盖情况"
        default_permissions = ("view",)
