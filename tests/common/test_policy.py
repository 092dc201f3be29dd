"""common.policy: legal periods are versioned rows, the value in force on a date decides, and
staff change a period in the admin with history (issue 16 item 3)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from common.policy import (
    DEFAULTS,
    EPOCH,
    LegalPeriod,
    legal_period_add,
    period_text,
    policy_label,
    policy_value,
    policy_values,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_migration_seeds_every_period_with_its_default():
    rows = {p.key: p for p in LegalPeriod.objects.filter(effective_from=EPOCH)}
    assert set(rows) == set(DEFAULTS)
    for key, default in DEFAULTS.items():
        assert (rows[key].value, rows[key].unit, rows[key].rule) == (
            default.value,
            default.unit,
            default.rule,
        )


def test_the_periods_are_no_longer_settings():
    """A web process and a worker with different environments cannot decide differently."""
    for key in DEFAULTS:
        if key != "INSPECTION_PUBLICATION_WORKING_DAYS":  # read by the inspection admin
            assert not hasattr(settings, key), key


def test_the_value_in_force_on_a_date():
    period = legal_period_add(key="CREDIT_ESCALATION_YEARS", value=3, effective_from=D(2025, 1, 1))
    assert (period.unit, period.rule) == ("year", "R-CRD-05(1)")  # from the key
    assert policy_value("CREDIT_ESCALATION_YEARS", on=D(2024, 12, 31)) == 2
    assert policy_value("CREDIT_ESCALATION_YEARS", on=D(2025, 1, 1)) == 3
    assert policy_values(
        "CREDIT_ESCALATION_YEARS", "CREDIT_PENALTY_WINDOW_YEARS", on=D(2025, 6, 1)
    ) == {"CREDIT_ESCALATION_YEARS": 3, "CREDIT_PENALTY_WINDOW_YEARS": 3}
    assert policy_label("CREDIT_ESCALATION_YEARS", on=D(2025, 6, 1)) == "3年"


def test_a_date_before_every_row_falls_back_to_the_default():
    assert policy_value("CREDIT_UNREACHABLE_MIN_INTERVAL_DAYS", on=D(1999, 1, 1)) == 15


def test_an_unknown_key_is_refused():
    with pytest.raises(KeyError, match="未定义的法定期限"):
        policy_value("NO_SUCH_PERIOD", on=D(2024, 1, 1))


def test_one_value_per_key_and_day_and_positive():
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalPeriod.objects.create(
            key="CREDIT_ESCALATION_YEARS", value=4, unit="year", effective_from=EPOCH
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalPeriod.objects.create(
            key="CREDIT_ESCALATION_YEARS", value=0, unit="year", effective_from=D(2030, 1, 1)
        )


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (2, "year", "2年"),
        (6, "month", "6个月"),
        (15, "day", "15日"),
        (20, "working_day", "20个工作日"),
    ],
)
def test_labels_are_rendered_from_the_values(value, unit, text):
    assert period_text(value, unit) == text


def test_staff_add_a_period_in_the_admin_with_history(admin_client):
    url = reverse("admin:common_legalperiod_add")
    response = admin_client.post(
        url,
        {
            "key": "CREDIT_ABNORMAL_AUTO_REMOVAL_MONTHS",
            "value": "9",
            "effective_from": "2026-07-01",
            "note": "地方规定调整",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = LegalPeriod.objects.get(
        key="CREDIT_ABNORMAL_AUTO_REMOVAL_MONTHS", effective_from=D(2026, 7, 1)
    )
    # unit, citation and name follow the key
    assert (row.unit, row.rule) == ("month", "R-CRD-07")
    assert row.label == DEFAULTS["CREDIT_ABNORMAL_AUTO_REMOVAL_MONTHS"].label
    assert row.history.count() == 1
    assert policy_label("CREDIT_ABNORMAL_AUTO_REMOVAL_MONTHS", on=D(2026, 7, 1)) == "9个月"
    listing = admin_client.get(reverse("admin:common_legalperiod_changelist"))
    assert "9个月" in listing.content.decode()
