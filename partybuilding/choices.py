"""Vocabularies of party building (DOMAIN.md §8)."""

from django.db import models


class PartyOrganizationLevel(models.TextChoices):
    """R-PTY-01: the level follows the number of members."""

    COMMITTEE = "committee", "党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"


class Formation(models.TextChoices):
    """R-PTY-01/02: one organization (单独组建) or several (联合组建)."""

    SINGLE = "single", "单独组建"
    JOINT = "joint", "联合组建"


class SuperiorBodyKind(models.TextChoices):
    """R-PTY-07: who manages the party organization."""

    DISTRICT_COMMITTEE = "district_committee", "区社会组织党委（直管）"
    STREET = "street", "街道党工委"
    WORK_COMMITTEE = "work_committee", "行业（工作）党委"
    OTHER = "other", "其他"


class MemberCountSource(models.TextChoices):
    """Where a member count comes from (R-PTY-06, R-ANN-05)."""

    PARTY_ORGANIZATION = "party_organization", "党组织报送"
    ANNUAL_REPORT = "annual_report", "年度工作报告党建部分"
    SURVEY = "survey", "摸底排查"


# R-PTY-01 thresholds. Total members (full + probationary) decide the level; full members
# decide whether a branch may be set up at all and whether it elects a committee.
MIN_FULL_MEMBERS = 3
BRANCH_MAX_MEMBERS = 50
COMMITTEE_MIN_MEMBERS = 100
BRANCH_COMMITTEE_MIN_FULL_MEMBERS = 7


def level_for_members(total: int) -> str:
    """R-PTY-01: ≤ 50 members a branch, 51–99 a general branch, 100 or more a committee."""
    if total >= COMMITTEE_MIN_MEMBERS:
        return PartyOrganizationLevel.COMMITTEE
    if total > BRANCH_MAX_MEMBERS:
        return PartyOrganizationLevel.GENERAL_BRANCH
    return PartyOrganizationLevel.BRANCH
