"""Service records: 家次 and 场次 per kind and period."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from funding.services_records.selectors import service_record_counts
from funding.services_records.services import service_record_create
from tests.registry.factories import OrganizationFactory

D = datetime.date


@pytest.mark.django_db
def test_households_and_sessions_per_kind_and_period():
    a, b, c = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    for org in (a, b, c):
        service_record_create(
            organization=org, kind="annual_report_training", on=D(2022, 3, 1), session="2022-NB-01"
        )
    service_record_create(
        organization=a, kind="annual_report_training", on=D(2022, 4, 1), session="2022-NB-02"
    )
    service_record_create(organization=a, kind="finance_hr", on=D(2021, 4, 1), session="2021-CW-01")
    counts = service_record_counts(start=D(2022, 1, 1), end=D(2022, 12, 31))
    assert counts["annual_report_training"] == {"households": 4, "sessions": 2}
    assert counts["finance_hr"] == {"households": 0, "sessions": 0}
    assert service_record_counts()["finance_hr"] == {"households": 1, "sessions": 1}
    with pytest.raises(ValidationError, match="同一场次只记录一次"):
        service_record_create(
            organization=a, kind="annual_report_training", on=D(2022, 3, 1), session="2022-NB-01"
        )
