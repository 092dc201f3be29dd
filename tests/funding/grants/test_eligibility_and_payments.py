"""Live eligibility at submission, approval and every payment (R-FND-04, R-CRD-13, D12)."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from funding.grants.choices import GrantStatus, PaymentStatus
from funding.grants.models import GrantPayment, GrantProject
from funding.grants.payments import grant_payment_release, grant_payment_request
from funding.grants.services import grant_transition
from registry.services import organization_transition
from tests.funding.factories import grant_through, pay, submitted_grant
from tests.registry.factories import OrganizationFactory

D = datetime.date


@pytest.mark.django_db
def test_listed_organization_cannot_apply(listed):
    org = OrganizationFactory()
    listed.list(org, D(2021, 8, 1))
    with pytest.raises(ValidationError) as exc:
        submitted_grant(organization=org)
    assert "列入活动异常名录（2021-08-01）" in str(exc.value)


@pytest.mark.django_db
def test_deregistering_organization_cannot_apply():
    org = OrganizationFactory()
    organization_transition(organization=org, to="deregistering", on=D(2021, 8, 1))
    with pytest.raises(ValidationError, match="注销办理中"):
        submitted_grant(organization=org)


@pytest.mark.django_db
def test_listing_during_the_notice_blocks_approval(listed):
    project = grant_through(submitted_grant(), GrantStatus.PUBLIC_NOTICE)
    listed.list(project.organization, D(2021, 10, 11))
    with pytest.raises(ValidationError, match="不符合立项条件"):
        grant_transition(project=project, to=GrantStatus.APPROVED, on=D(2021, 10, 13))


@pytest.mark.django_db
def test_payment_held_after_listing_and_released_after_removal(listed):
    project = grant_through(submitted_grant(), GrantStatus.IN_PROGRESS)
    first = pay(project, "40000", D(2021, 11, 1))
    assert first.status == PaymentStatus.PAID and first.paid_on == D(2021, 11, 1)

    listed.list(project.organization, D(2022, 3, 1))
    second = pay(project, "30000", D(2022, 3, 15))
    assert second.status == PaymentStatus.HELD
    assert second.held_reason == "列入活动异常名录（2022-03-01）"
    # A held tranche reserves its amount: only 10,000 remain.
    with pytest.raises(ValidationError, match=r"尚可拨付10000\.00元"):
        pay(project, "10000.01", D(2022, 3, 16))

    with pytest.raises(ValidationError, match="仍不能拨付"):
        grant_payment_release(payment=second, on=D(2022, 5, 31))
    listed.remove(project.organization, D(2022, 6, 1))
    released = grant_payment_release(payment=second, on=D(2022, 6, 1))
    assert (released.status, released.paid_on) == (PaymentStatus.PAID, D(2022, 6, 1))
    assert released.history.count() == 2  # held, then released


@pytest.mark.django_db
def test_tranches_never_exceed_the_approved_amount():
    project = grant_through(submitted_grant(), GrantStatus.APPROVED)
    pay(project, "79999.99", D(2021, 11, 1))
    with pytest.raises(ValidationError, match="超过资助金额"):
        pay(project, "0.02", D(2021, 11, 2))
    assert pay(project, "0.01", D(2021, 11, 2)).sequence == 2
    total = sum(p.amount for p in GrantPayment.objects.filter(project=project))
    assert total == project.approved_amount == Decimal("80000.00")


@pytest.mark.django_db
def test_no_payment_before_approval_or_after_completion_states():
    project = submitted_grant()
    with pytest.raises(ValidationError, match="不能拨付"):
        grant_payment_request(project=project, amount="1", on=D(2021, 11, 1))


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_payments_cannot_both_exceed_the_bound():
    project = grant_through(submitted_grant(), GrantStatus.IN_PROGRESS)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def request():
        close_old_connections()  # each thread opens its own PostgreSQL connection
        try:
            barrier.wait()
            grant_payment_request(
                project=GrantProject.objects.get(pk=project.pk), amount="50000", on=D(2021, 11, 1)
            )
            outcomes.append("paid")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["paid", "refused"]
    assert GrantPayment.objects.filter(project=project).count() == 1
