"""Enterprise sponsorship: the sponsor's USCC is checked with registry.uscc's rules, authority 9."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from funding.grants.payments import sponsorship_record
from funding.grants.validators import enterprise_uscc_errors
from tests.funding.factories import enterprise_uscc, submitted_grant
from tests.registry.factories import OrganizationFactory, make_uscc

D = datetime.date


def codes(code: str) -> list[str]:
    return [p.code for p in enterprise_uscc_errors(code)]


def test_enterprise_codes():
    good = enterprise_uscc(7)
    assert codes(good) == []
    assert codes(good[:17] + ("0" if good[17] != "0" else "1")) == ["check_character"]
    assert codes(make_uscc()) == ["authority"]  # a social organization's code (authority 5)
    body = "94440300" + "00000007X"
    from registry.uscc import uscc_check_character

    assert codes(body + uscc_check_character(body)) == ["type_digit"]
    assert codes("9144") == ["length"]


@pytest.mark.django_db
def test_sponsorship_recorded_and_bad_code_refused_on_the_field():
    project = submitted_grant()
    sponsorship = sponsorship_record(
        sponsor_name="深圳市福华科技有限公司",
        sponsor_uscc=enterprise_uscc(1).lower(),
        organization=project.organization,
        project=project,
        amount="200000",
        on=D(2021, 10, 1),
    )
    assert sponsorship.sponsor_uscc == enterprise_uscc(1)
    with pytest.raises(ValidationError) as exc:
        sponsorship_record(
            sponsor_name="某公司",
            sponsor_uscc=make_uscc(),
            organization=project.organization,
            amount="1",
            on=D(2021, 10, 1),
        )
    assert "sponsor_uscc" in exc.value.message_dict
    assert "市场监管" in exc.value.message_dict["sponsor_uscc"][0]
    with pytest.raises(ValidationError, match="不属于受资助组织"):
        sponsorship_record(
            sponsor_name="某公司",
            sponsor_uscc=enterprise_uscc(2),
            organization=OrganizationFactory(),
            project=project,
            amount="1",
            on=D(2021, 10, 1),
        )
