"""Factories of party building; party organizations go through the service (rules apply)."""

from __future__ import annotations

import datetime

import factory

from partybuilding.choices import Formation, MemberCountSource, PartyOrganizationLevel
from partybuilding.models import (
    Instructor,
    PartyMemberCount,
    SuperiorBody,
    VolunteerDomain,
)
from partybuilding.reference import (
    DISTRICT_COMMITTEE_CODE,
    STREET_BODY_CODES,
    reference_data_ensure,
)
from partybuilding.services import instructor_assign, party_organization_create
from tests.registry.factories import OrganizationFactory

APPROVED = datetime.date(2020, 7, 1)


# A transactional test before this one may have flushed the rows the migrations seeded.


def district_committee() -> SuperiorBody:
    reference_data_ensure()
    return SuperiorBody.objects.get(code=DISTRICT_COMMITTEE_CODE)


def street_body(index: int = 0) -> SuperiorBody:
    reference_data_ensure()
    return SuperiorBody.objects.get(code=STREET_BODY_CODES[index])


def make_party_organization(
    *,
    organizations=None,
    formation: str = Formation.SINGLE,
    approved_on: datetime.date = APPROVED,
    superior_body: SuperiorBody | None = None,
    full_members: int = 5,
    probationary_members: int = 1,
    name: str | None = None,
    unit=None,
    **extra,
):
    """A valid party organization through party_organization_create."""
    if organizations is None:
        n = 1 if formation == Formation.SINGLE else 2
        kwargs = {"supervising_unit": unit} if unit is not None else {}
        organizations = [OrganizationFactory(**kwargs) for _ in range(n)]
    total = full_members + probationary_members
    level = extra.pop(
        "level",
        PartyOrganizationLevel.COMMITTEE
        if total >= 100
        else PartyOrganizationLevel.GENERAL_BRANCH
        if total > 50
        else PartyOrganizationLevel.BRANCH,
    )
    has_committee = extra.pop(
        "has_branch_committee", level == PartyOrganizationLevel.BRANCH and full_members >= 7
    )
    return party_organization_create(
        name=name or f"中共{organizations[0].name}支部委员会",
        level=level,
        formation=formation,
        superior_body=superior_body or district_committee(),
        approved_on=approved_on,
        full_members=full_members,
        probationary_members=probationary_members,
        has_branch_committee=has_committee,
        organizations=organizations,
        secretary="王书记",
        **extra,
    )


class InstructorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instructor

    name = factory.Sequence(lambda n: f"指导员{n}")
    employer = "福田区社会组织党委"


def make_assignment(*, organization=None, started_on=APPROVED, ended_on=None, instructor=None):
    return instructor_assign(
        instructor=instructor or InstructorFactory(),
        organization=organization or OrganizationFactory(),
        started_on=started_on,
        ended_on=ended_on,
    )


class PartyMemberCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyMemberCount

    organization = factory.SubFactory(OrganizationFactory)
    as_of = APPROVED
    full_members = 3
    probationary_members = 0
    source = MemberCountSource.SURVEY


def volunteer_domain(name: str = "疫情防控") -> VolunteerDomain:
    return VolunteerDomain.objects.get(name=name)
