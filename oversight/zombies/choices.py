"""Vocabularies of the zombie cleanup: criteria of R-ZMB-01, case stages and their transitions (R-ZMB-02)."""

from django.db import models

# ------------------------------------------------------------------ zombie organizations (§5)


class ZombieCriterion(models.TextChoices):
    """R-ZMB-01 (D7): each with a configurable reference period."""

    MISSED_REPORTS = "R-ZMB-01(1)", "连续两年未参加年检（未报送年度工作报告）"
    NO_ACTIVITY_AFTER_REGISTRATION = "R-ZMB-01(2)", "取得登记证书后1年未开展活动"
    NO_BUSINESS = "R-ZMB-01(3)", "参考期内未按章程开展业务活动"
    UNREACHABLE = "R-ZMB-01(4)", "通过登记的住所、法定代表人或业务主管单位无法取得联系"


class ZombieStage(models.TextChoices):
    IDENTIFIED = "identified", "已认定"
    NOTIFIED = "notified", "已告知"
    DEREGISTERING = "deregistering", "注销办理中"
    DEREGISTERED = "deregistered", "已注销"
    REVOKED = "revoked", "已撤销登记"
    RESTORED = "restored", "已恢复正常"


ZOMBIE_OPEN_STAGES = (ZombieStage.IDENTIFIED, ZombieStage.NOTIFIED, ZombieStage.DEREGISTERING)

# R-ZMB-02 as data: the stages a case may move to from each stage.
ZOMBIE_TRANSITIONS: dict[str, set[str]] = {
    ZombieStage.IDENTIFIED: {ZombieStage.NOTIFIED, ZombieStage.RESTORED},
    ZombieStage.NOTIFIED: {ZombieStage.DEREGISTERING, ZombieStage.REVOKED, ZombieStage.RESTORED},
    ZombieStage.DEREGISTERING: {ZombieStage.DEREGISTERED, ZombieStage.RESTORED},
    ZombieStage.DEREGISTERED: set(),
    ZombieStage.REVOKED: set(),
    ZombieStage.RESTORED: set(),
}
