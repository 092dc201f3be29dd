"""Vocabularies of the zombie cleanup: criteria of R-ZMB-01, case stages and their transitions (R-ZMB-02)."""

from django.db import models

# ------------------------------------------------------------------ zombie organizations (§5)


class ZombieCriterion(models.TextChoices):
    """R-ZMB-01 (D7): each with a configurable reference period."""

    MISSED_REPORTS = "R-ZMB-01(1)", "连续两年未参加年检（未报送年度工作报告）"
    NO_ACTIVITY_AFTER_REGISTRATION = "R-ZMB-01(2)", "取得登记证书后1年未开展活动"
    NO_BUSINESS = "R-ZMB-01(3)", "参考期内未按章程开展业务活动"
    UNREACHABLE = "R-ZMB-01(4)", "通过登记的住所、法定代表人或业务主管单位无法取得联系"
    # Not computed: designated by the bureau or the supervising unit, with a reason and the
    # actor (zombies.designation); detection never writes nor removes it.
    DESIGNATED = "R-ZMB-01(5)", "登记管理机关或业务主管单位认定的其他情形"


# The criteria detection computes, in the order of its c1…c4 columns.
DETECTED_CRITERIA = (
    ZombieCriterion.MISSED_REPORTS,
    ZombieCriterion.NO_ACTIVITY_AFTER_REGISTRATION,
    ZombieCriterion.NO_BUSINESS,
    ZombieCriterion.UNREACHABLE,
)


class FlagSource(models.TextChoices):
    DETECTED = "detected", "检测生成"
    DESIGNATED = "designated", "认定（R-ZMB-01第5项）"


class ZombieStage(models.TextChoices):
    IDENTIFIED = "identified", "已认定"
    NOTIFIED = "notified", "已告知"
    # R-ZMB-02: an organization that cannot be reached is served by a public notice (公告)
    # whose period must end before its registration is revoked.
    NOTICE = "notice", "公告送达中"
    DEREGISTERING = "deregistering", "注销办理中"
    DEREGISTERED = "deregistered", "已注销"
    REVOKED = "revoked", "已撤销登记"
    RESTORED = "restored", "已恢复正常"


ZOMBIE_OPEN_STAGES = (
    ZombieStage.IDENTIFIED,
    ZombieStage.NOTIFIED,
    ZombieStage.NOTICE,
    ZombieStage.DEREGISTERING,
)

# R-ZMB-02 as data: the stages a case may move to from each stage.
ZOMBIE_TRANSITIONS: dict[str, set[str]] = {
    ZombieStage.IDENTIFIED: {ZombieStage.NOTIFIED, ZombieStage.NOTICE, ZombieStage.RESTORED},
    ZombieStage.NOTIFIED: {
        ZombieStage.NOTICE,
        ZombieStage.DEREGISTERING,
        ZombieStage.REVOKED,
        ZombieStage.RESTORED,
    },
    ZombieStage.NOTICE: {ZombieStage.DEREGISTERING, ZombieStage.REVOKED, ZombieStage.RESTORED},
    ZombieStage.DEREGISTERING: {ZombieStage.DEREGISTERED, ZombieStage.RESTORED},
    ZombieStage.DEREGISTERED: set(),
    ZombieStage.REVOKED: set(),
    ZombieStage.RESTORED: set(),
}

# R-ZMB-02 [S65]: the publication period of a notice to an organization that cannot be
# reached, in calendar days (D18's working days are for R-INS-09, R-CRD-07 and D12 only).
# The day of publication does not count: published on D, the period ends with D + 60, and
# registration may be revoked from the day after.
ZOMBIE_NOTICE_DAYS = "ZOMBIE_NOTICE_DAYS"  # the legal period's key (common.policy), 60 by default
