"""Vocabularies and the grant workflow as data (DOMAIN.md §10, R-FND-02/03; Hypha's shape)."""

from __future__ import annotations

from django.db import models


class FundRoundStatus(models.TextChoices):
    DRAFT = "draft", "筹备中"
    OPEN = "open", "申报中"
    CLOSED = "closed", "申报截止"
    FINISHED = "finished", "已结束"


class GrantCategory(models.TextChoices):
    PUBLIC_SERVICE = "public_service", "基本公共服务"
    PUBLIC_WELFARE = "public_welfare", "公益服务"
    COMMUNITY = "community", "社区便民服务"
    GOVERNANCE = "governance", "社会治理创新"
    CULTIVATION = "cultivation", "社会组织培育"
    RESEARCH = "research", "课题研究"


class GrantStatus(models.TextChoices):
    SUBMITTED = "submitted", "已申报"
    PRELIMINARY_REVIEW = "preliminary_review", "初审"
    EXPERT_REVIEW = "expert_review", "专家评审"
    PUBLIC_NOTICE = "public_notice", "公示中"
    APPROVED = "approved", "已立项"
    REJECTED = "rejected", "未获资助"
    IN_PROGRESS = "in_progress", "实施中"
    COMPLETED = "completed", "已结项"
    TERMINATED = "terminated", "已终止"


# The pipeline of R-FND-03 as data: from-status → {to-status: label of the action}. The one
# service `grant_transition` reads it; the admin and API offer exactly these moves.
GRANT_TRANSITIONS: dict[str, dict[str, str]] = {
    GrantStatus.SUBMITTED: {
        GrantStatus.PRELIMINARY_REVIEW: "受理，进入初审",
        GrantStatus.REJECTED: "不予受理",
    },
    GrantStatus.PRELIMINARY_REVIEW: {
        GrantStatus.EXPERT_REVIEW: "初审通过，提交专家评审",
        GrantStatus.REJECTED: "初审不通过",
    },
    GrantStatus.EXPERT_REVIEW: {
        GrantStatus.PUBLIC_NOTICE: "评审通过，拟资助项目公示",
        GrantStatus.REJECTED: "评审不通过",
    },
    GrantStatus.PUBLIC_NOTICE: {
        GrantStatus.APPROVED: "公示期满，批准立项",
        GrantStatus.REJECTED: "公示异议成立，取消资助",
    },
    GrantStatus.APPROVED: {
        GrantStatus.IN_PROGRESS: "签订资助协议，项目实施",
        GrantStatus.TERMINATED: "终止项目",
    },
    GrantStatus.IN_PROGRESS: {
        GrantStatus.COMPLETED: "结项验收",
        GrantStatus.TERMINATED: "终止项目",
    },
    GrantStatus.REJECTED: {},
    GrantStatus.COMPLETED: {},
    GrantStatus.TERMINATED: {},
}

# Statuses whose approved amount is committed (counts against the round's budget).
FUNDED_STATUSES = (
    GrantStatus.APPROVED,
    GrantStatus.IN_PROGRESS,
    GrantStatus.COMPLETED,
    GrantStatus.TERMINATED,
)
# Statuses in which tranches may be paid.
PAYABLE_STATUSES = (GrantStatus.APPROVED, GrantStatus.IN_PROGRESS)

# D12: the public notice runs five working days (common.workdays).
PUBLIC_NOTICE_WORKING_DAYS = 5


class PaymentStatus(models.TextChoices):
    PAID = "paid", "已拨付"
    HELD = "held", "暂缓拨付"


class SupervisorOpinion(models.TextChoices):
    AGREE = "agree", "同意"
    DISAGREE = "disagree", "不同意"


class EvaluationResult(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"
