"""Vocabularies of the credit lists: lists, standing, legal grounds, removal grounds, penalties, decisions."""

from django.db import models

# ------------------------------------------------------------------ credit lists (DOMAIN.md §3)


class CreditList(models.TextChoices):
    ABNORMAL = "abnormal", "活动异常名录"
    SERIOUS = "serious", "严重违法失信名单"


class CreditStanding(models.TextChoices):
    """Derived from active listings, never stored (DESIGN.md §3)."""

    NONE = "none", "正常"
    ABNORMAL = "abnormal", "活动异常"
    SERIOUS = "serious", "严重违法失信"


class CreditGround(models.TextChoices):
    """Legal grounds of listing (R-CRD-02 items 1–7, R-CRD-05 items 1–8)."""

    A1_ANNUAL_REPORT = "R-CRD-02(1)", "未按照规定时限和要求报送年度工作报告"
    A2_PARTY_ORGANIZATION = "R-CRD-02(2)", "未按照有关规定设立党组织"
    A3_RECTIFICATION = "R-CRD-02(3)", "抽查或检查中责令整改逾期未完成整改"
    A4_CHARITY_FUNDRAISING = "R-CRD-02(4)", "具有公开募捐资格的慈善组织存在违规情形"
    A5_WARNING_OR_SMALL_FINE = "R-CRD-02(5)", "受到警告或者不满5万元罚款处罚"
    A6_UNREACHABLE = "R-CRD-02(6)", "通过登记的住所无法与社会组织取得联系"
    A7_OTHER = "R-CRD-02(7)", "法律、行政法规规定应当列入的其他情形"
    # The period is a legal period (common.policy); the decision's facts state its value.
    S1_ABNORMAL_TWO_YEARS = "R-CRD-05(1)", "被列入活动异常名录满规定期限"
    S2_FRAUDULENT_CHANGE = "R-CRD-05(2)", "弄虚作假办理变更登记被撤销变更登记"
    S3_SUSPENSION = "R-CRD-05(3)", "受到限期停止活动行政处罚"
    S4_LARGE_FINE = "R-CRD-05(4)", "受到5万元以上罚款处罚"
    S5_REPEATED_PENALTIES = "R-CRD-05(5)", "规定期间内2次以上受到警告或者不满5万元罚款处罚"
    S6_JUDGMENT_DEFAULTER = "R-CRD-05(6)", "被人民法院依法列为失信被执行人"
    S7_CERTIFICATE_REVOKED = "R-CRD-05(7)", "被登记管理机关吊销登记证书或者撤销成立登记"
    S8_OTHER = "R-CRD-05(8)", "法律、行政法规规定应当列入的其他情形"


ABNORMAL_GROUNDS = tuple(g for g in CreditGround if g.value.startswith("R-CRD-02"))
SERIOUS_GROUNDS = tuple(g for g in CreditGround if g.value.startswith("R-CRD-05"))


class RemovalGround(models.TextChoices):
    """Grounds of removal (R-CRD-07/08/10) and of moving to the serious list (转列)."""

    RECTIFIED = "R-CRD-07-rectified", "已履行相关义务或完成整改（R-CRD-07）"
    # Stored values name the ground, not the period: the period is policy (issue 16).
    NOTHING_TO_RECTIFY = "R-CRD-07-period", "列入期满且无需整改，依职权移出（R-CRD-07）"
    SERIOUS_TWO_YEARS = (
        "R-CRD-08-period",
        "列入严重违法失信名单期满且期间未再发生列入情形（R-CRD-08）",
    )
    DEREGISTERED = "R-CRD-08-deregistered", "已办结注销登记（R-CRD-08）"
    ESCALATED = "R-CRD-05(1)-escalated", "转入严重违法失信名单（R-CRD-05第1项）"
    CORRECTED = "R-CRD-10", "信用信息有误予以更正（R-CRD-10）"


class PenaltyKind(models.TextChoices):
    WARNING = "warning", "警告"
    FINE = "fine", "罚款"
    SUSPENSION = "suspension", "限期停止活动"
    CERTIFICATE_REVOKED = "certificate_revoked", "吊销登记证书"
    REGISTRATION_REVOKED = "registration_revoked", "撤销成立登记"
    CHANGE_REVOKED = "change_revoked", "撤销变更登记"


class LetterMailing(models.IntegerChoices):
    """专项信函的寄送次序: R-CRD-03 needs two mailings to the registered address (D6)."""

    FIRST = 1, "第一次"
    SECOND = 2, "第二次"


class LetterReturnReason(models.TextChoices):
    """退回原因 as the postal service's return slip (退改批条) states it."""

    NO_SUCH_UNIT = "no_such_unit", "原址查无此单位"
    MOVED = "moved", "迁移新址不明"
    ADDRESS_UNCLEAR = "address_unclear", "地址不详"
    REFUSED = "refused", "拒收"
    UNCLAIMED = "unclaimed", "逾期无人领取"
    OTHER = "other", "其他"


class DecisionAction(models.TextChoices):
    LIST = "list", "列入"
    REMOVE = "remove", "移出"
    ESCALATE = "escalate", "转列"


class ProposalStatus(models.TextChoices):
    """Four eyes (DESIGN.md §4.4): rules suggest, one clerk proposes, another approves."""

    SUGGESTED = "suggested", "规则建议（待提议）"
    PROPOSED = "proposed", "已提议（待审批）"
    APPROVED = "approved", "已批准生效"
    REJECTED = "rejected", "已驳回"
    OBSOLETE = "obsolete", "已失效"


class RemovalApplicationStatus(models.TextChoices):
    """移出申请 (R-CRD-07): pending until the authority removes the organization or refuses."""

    PENDING = "pending", "待决定"
    REMOVED = "removed", "已移出"
    REFUSED = "refused", "不予移出"
