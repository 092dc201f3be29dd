"""Factories and helpers of funding records; workflow states are reached through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from funding.grants.choices import FundRoundStatus, GrantCategory, GrantStatus
from funding.grants.models import Expert, FundRound
from funding.grants.payments import grant_payment_request
from funding.grants.services import (
    grant_review_record,
    grant_submit,
    grant_transition,
    min_expert_reviews,
)
from registry.uscc import uscc_check_character
from tests.registry.factories import OrganizationFactory


class FundRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundRound

    number = factory.Sequence(lambda n: n + 1)
    year = 2021
    title = factory.LazyAttribute(lambda o: f"福田区社会建设专项资金第{o.number}期")
    opens_on = datetime.date(2021, 9, 1)
    closes_on = datetime.date(2021, 9, 20)
    budget = Decimal("10000000.00")
    status = FundRoundStatus.OPEN


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    code = factory.Sequence(lambda n: f"ZJ{n:04d}")
    name = factory.Sequence(lambda n: f"专家{n}")
    unit = "深圳大学"


def enterprise_uscc(serial: int = 1) -> str:
    """A valid enterprise code (authority 9, type 1) with the check character computed."""
    first17 = "91440300" + f"{serial:08d}" + "X"
    return first17 + uscc_check_character(first17)


def submitted_grant(*, organization=None, fund_round=None, requested="100000.00", on=None):
    fund_round = fund_round or FundRoundFactory()
    return grant_submit(
        fund_round=fund_round,
        organization=organization or OrganizationFactory(),
        title="社区长者关爱服务项目",
        category=GrantCategory.COMMUNITY,
        requested_amount=requested,
        on=on or fund_round.opens_on,
    )


def grant_through(project, to: str, *, amount="80000.00", notice_on=datetime.date(2021, 9, 29)):
    """Move `project` along the happy path up to status `to`, by the one service."""
    path = [
        GrantStatus.PRELIMINARY_REVIEW,
        GrantStatus.EXPERT_REVIEW,
        GrantStatus.PUBLIC_NOTICE,
        GrantStatus.APPROVED,
        GrantStatus.IN_PROGRESS,
    ]
    for step in path[: path.index(to) + 1]:
        if step == GrantStatus.PUBLIC_NOTICE:
            for _ in range(min_expert_reviews()):
                grant_review_record(project=project, expert=ExpertFactory(), score=85, on=notice_on)
            project = grant_transition(
                project=project, to=step, on=notice_on, approved_amount=amount
            )
        elif step == GrantStatus.APPROVED:
            project = grant_transition(
                project=project, to=step, on=project.notice_ends_on + datetime.timedelta(days=1)
            )
        else:
            project = grant_transition(project=project, to=step, on=notice_on)
    return project


def pay(project, amount, on):
    return grant_payment_request(project=project, amount=amount, on=on)
