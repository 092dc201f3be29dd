"""On the demo data, the overview reproduces the seed letter's figures (issue 13), each one
computed by the service. The credit and zombie figures the demo reaches in July 2022 are
tested on the letter's date, 2022-07-28."""

from __future__ import annotations

import datetime

import pytest

from reports.selectors import figure_values, situation_overview

D = datetime.date
LETTER = D(2022, 6, 30)
LETTER_SENT = D(2022, 7, 28)
YEAR_END = D(2022, 12, 31)

pytestmark = pytest.mark.django_db

SEED_LETTER = [
    (LETTER, "organizations", 765),
    (LETTER, "organizations.private_non_enterprise", 473),
    (LETTER, "organizations.social_group", 292),
    (LETTER, "organizations.industry_association", 22),
    (LETTER, "organizations.categories_in_use", 15),
    (LETTER, "party.with_members", 383),
    (LETTER, "party.organizations", 157),
    (LETTER, "party.organizations.single", 142),
    (LETTER, "party.organizations.joint", 15),
    (LETTER, "party.organizations.other", 109),
    (LETTER, "party.organizations.direct", 48),
    (LETTER, "party.organizations.direct_members", 296),
    (LETTER, "draws.annual_report_audit.2021.population", 811),
    (LETTER, "draws.annual_report_audit.2021.sample", 81),
    (LETTER, "draws.annual_report_audit.2022.population", 766),
    (LETTER, "draws.annual_report_audit.2022.sample", 77),
    (LETTER, "draws.special_inspection.2021.sample", 30),
    (LETTER, "draws.special_inspection.2022.sample", 33),
    (LETTER, "audits.departure_liquidation.2021", 94),
    (LETTER, "joint_inspections.organizations.2021", 11),
    (LETTER, "zombies.cases", 101),
    (LETTER, "funding.rounds", 11),
    (LETTER, "funding.projects", 775),
    (LETTER_SENT, "catalog.editions", 8),
    # Reached by the credit and zombie demos in July 2022, by the letter's date (issue 13).
    (LETTER_SENT, "credit.listed_since", 223),
    (LETTER_SENT, "zombies.deregistered_or_deregistering", 69),
]


@pytest.fixture(scope="module")
def values(demo_db, django_db_blocker):
    with django_db_blocker.unblock():
        return {
            day: figure_values(situation_overview(as_of=day))
            for day in {LETTER, LETTER_SENT, YEAR_END}
        }


@pytest.mark.parametrize(("day", "key", "expected"), SEED_LETTER, ids=lambda v: str(v))
def test_seed_letter_figure(values, day, key, expected):
    assert values[day][key] == expected


def test_approved_total_is_about_121_million(values):
    assert round(values[LETTER]["funding.approved_total"] / 10_000, 2) == 1.21  # 亿元


def test_figures_before_the_letter_date_are_not_yet_reached(values):
    # The register's day precedes the July 2022 credit and zombie decisions of the demo.
    assert values[LETTER]["credit.listed_since"] < 223
    assert values[LETTER]["zombies.deregistered_or_deregistering"] < 69
