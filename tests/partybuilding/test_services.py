"""Rules of party organizations, coverage and instructors (R-PTY-01/02/03), named after them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from partybuilding.choices import Formation, PartyOrganizationLevel
from partybuilding.models import PartyOrganization, PartyOrganizationCoverage
from partybuilding.rules import CoverageRow, coverage_problems
from partybuilding.services import (
    coverage_add,
    coverage_end,
    instructor_assign,
    member_count_record,
    party_organization_change,
    party_organization_dissolve,
    volunteer_activity_record,
)
from tests.registry.factories import OrganizationFactory

from .factories import (
    APPROVED,
    InstructorFactory,
    make_party_organization,
    volunteer_domain,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def messages(exc: ValidationError) -> str:
    return " ".join(m for ms in exc.message_dict.values() for m in ms)


class TestRPty01:
    def test_single_branch_needs_three_full_members(self):
        with pytest.raises(ValidationError) as exc:
            make_party_organization(full_members=2, probationary_members=0)
        assert "full_members" in exc.value.message_dict
        assert "R-PTY-01" in messages(exc.value)
        assert PartyOrganization.objects.count() == 0

    def test_three_full_members_are_enough(self):
        po = make_party_organization(full_members=3, probationary_members=0)
        assert po.coverages.count() == 1

    @pytest.mark.parametrize(
        ("full", "prob", "level"),
        [
            (48, 3, PartyOrganizationLevel.BRANCH),  # 51 members: a general branch
            (40, 0, PartyOrganizationLevel.GENERAL_BRANCH),  # 40: a branch
            (90, 10, PartyOrganizationLevel.GENERAL_BRANCH),  # 100: a committee
            (60, 0, PartyOrganizationLevel.COMMITTEE),
        ],
    )
    def test_level_follows_size(self, full, prob, level):
        with pytest.raises(ValidationError) as exc:
            make_party_organization(full_members=full, probationary_members=prob, level=level)
        assert "level" in exc.value.message_dict
        assert "R-PTY-01" in messages(exc.value)

    @pytest.mark.parametrize(
        ("full", "prob", "level"),
        [
            (45, 5, PartyOrganizationLevel.BRANCH),
            (50, 1, PartyOrganizationLevel.GENERAL_BRANCH),
            (95, 4, PartyOrganizationLevel.GENERAL_BRANCH),
            (95, 5, PartyOrganizationLevel.COMMITTEE),
        ],
    )
    def test_level_boundaries_accepted(self, full, prob, level):
        assert make_party_organization(full_members=full, probationary_members=prob, level=level)

    def test_branch_committee_only_from_seven_full_members(self):
        with pytest.raises(ValidationError) as exc:
            make_party_organization(full_members=6, has_branch_committee=True)
        assert "has_branch_committee" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            make_party_organization(full_members=7, has_branch_committee=False)
        assert "R-PTY-01" in messages(exc.value)
        assert make_party_organization(full_members=7, has_branch_committee=True)

    def test_single_branch_covers_exactly_one_organization(self):
        orgs = [OrganizationFactory(), OrganizationFactory()]
        with pytest.raises(ValidationError) as exc:
            make_party_organization(organizations=orgs, formation=Formation.SINGLE)
        assert "联合组建" in messages(exc.value)
        assert PartyOrganization.objects.count() == 0


class TestRPty02:
    def test_joint_branch_needs_two_organizations(self):
        with pytest.raises(ValidationError) as exc:
            make_party_organization(
                organizations=[OrganizationFactory()], formation=Formation.JOINT
            )
        assert "R-PTY-02" in messages(exc.value)

    def test_joint_branch_takes_in_and_lets_go(self):
        po = make_party_organization(formation=Formation.JOINT)
        newcomer = OrganizationFactory()
        cov = coverage_add(party_organization=po, organization=newcomer, joined_on=D(2021, 3, 1))
        coverage_end(coverage=cov, left_on=D(2021, 9, 1))
        cov.refresh_from_db()
        assert cov.left_on == D(2021, 9, 1)

    def test_organization_cannot_be_in_two_party_organizations_at_once(self):
        org = OrganizationFactory()
        make_party_organization(organizations=[org])
        with pytest.raises(ValidationError) as exc:
            make_party_organization(
                organizations=[org, OrganizationFactory()],
                formation=Formation.JOINT,
                approved_on=D(2021, 1, 1),
            )
        assert "只能属于一个党组织" in messages(exc.value)

    def test_may_join_another_after_leaving(self):
        org = OrganizationFactory()
        first = make_party_organization(
            organizations=[org, OrganizationFactory()], formation=Formation.JOINT
        )
        coverage_end(coverage=first.coverages.get(organization=org), left_on=D(2021, 1, 1))
        second = make_party_organization(organizations=[org], approved_on=D(2021, 1, 1))
        assert second.coverages.get().organization == org

    def test_single_branch_cannot_take_a_second_organization(self):
        po = make_party_organization()
        with pytest.raises(ValidationError) as exc:
            coverage_add(
                party_organization=po, organization=OrganizationFactory(), joined_on=D(2021, 1, 1)
            )
        assert "R-PTY-01" in messages(exc.value)

    def test_joined_before_approval_refused(self):
        po = make_party_organization(formation=Formation.JOINT)
        with pytest.raises(ValidationError):
            coverage_add(
                party_organization=po, organization=OrganizationFactory(), joined_on=D(2019, 1, 1)
            )


class TestDissolution:
    def test_dissolution_is_dated_and_closes_coverage(self):
        po = make_party_organization(formation=Formation.JOINT)
        party_organization_dissolve(
            party_organization=po, on=D(2022, 1, 1), doc_no="福社党〔2022〕1号"
        )
        po.refresh_from_db()
        assert po.dissolved_on == D(2022, 1, 1)
        assert set(po.coverages.values_list("left_on", flat=True)) == {D(2022, 1, 1)}

    def test_dissolution_needs_document_number(self):
        po = make_party_organization()
        with pytest.raises(ValidationError) as exc:
            party_organization_dissolve(party_organization=po, on=D(2022, 1, 1), doc_no=" ")
        assert "dissolution_doc_no" in exc.value.message_dict

    def test_never_deleted(self):
        po = make_party_organization()
        with pytest.raises(ValidationError):
            po.delete()
        with pytest.raises(ValidationError):
            po.coverages.get().delete()
        assert PartyOrganizationCoverage.objects.count() == 1

    def test_change_keeps_rules_and_history(self):
        po = make_party_organization(full_members=5)
        with pytest.raises(ValidationError):
            party_organization_change(party_organization=po, full_members=2)
        party_organization_change(party_organization=po, full_members=8, has_branch_committee=True)
        assert po.history.count() == 2
        with pytest.raises(ValidationError):
            party_organization_change(party_organization=po, formation=Formation.JOINT)


class TestRPty03:
    def test_instructor_only_for_organizations_without_party_organization(self):
        org = OrganizationFactory()
        make_party_organization(organizations=[org])
        with pytest.raises(ValidationError) as exc:
            instructor_assign(
                instructor=InstructorFactory(), organization=org, started_on=D(2021, 1, 1)
            )
        assert "R-PTY-03" in messages(exc.value)
        # before the branch was approved, an instructor could serve it
        assert instructor_assign(
            instructor=InstructorFactory(), organization=org, started_on=D(2020, 1, 1)
        )

    def test_overlapping_assignment_refused(self):
        org, person = OrganizationFactory(), InstructorFactory()
        instructor_assign(instructor=person, organization=org, started_on=D(2021, 1, 1))
        with pytest.raises(ValidationError):
            instructor_assign(instructor=person, organization=org, started_on=D(2021, 6, 1))


def test_member_count_resend_replaces_same_day_and_source():
    org = OrganizationFactory()
    member_count_record(organization=org, as_of=APPROVED, full_members=2)
    member_count_record(organization=org, as_of=APPROVED, full_members=4)
    assert list(org.party_member_counts.values_list("full_members", flat=True)) == [4]


def test_volunteer_activity_needs_an_organization():
    with pytest.raises(ValidationError):
        volunteer_activity_record(
            title="社区核酸检测志愿服务",
            domain=volunteer_domain(),
            held_on=D(2022, 3, 1),
            organizations=[],
            participants=10,
            hours=30,
        )


def test_coverage_problems_pure():
    rows = [CoverageRow(1, D(2020, 1, 1)), CoverageRow(2, D(2020, 1, 1))]
    assert (
        coverage_problems(
            formation=Formation.JOINT, approved_on=D(2020, 1, 1), dissolved_on=None, rows=rows
        )
        == []
    )
    found = coverage_problems(
        formation=Formation.SINGLE, approved_on=D(2020, 1, 1), dissolved_on=None, rows=rows
    )
    assert found and all("R-PTY-0" in p.message for p in found)
