"""API credit-listings/ and special-letters/: generic scope tests (a department sees only its
organizations' records, 404 otherwise) and the flattened removal with the `active` filter.
Recording letters through the API: test_intake_api.py."""

from __future__ import annotations

import datetime

import pytest

from common.testing.api import ScopedAPITestCase, make_staff_user, token_client
from oversight.credit.choices import CreditGround, CreditList, RemovalGround
from oversight.credit.models import CreditListing, SpecialLetter
from oversight.credit.services import credit_removal_create
from tests.oversight.factories import SpecialLetterFactory, make_clerks, make_listing
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

D = datetime.date


class TestCreditListingAPI(ScopedAPITestCase):
    model = CreditListing
    basename = "credit-listing"
    lookup_field = "id"

    def create_unit(self):
        return SupervisingUnitFactory()

    def create_object(self, *, unit):
        org = OrganizationFactory(supervising_unit=unit)
        return make_listing(org, CreditGround.A5_WARNING_OR_SMALL_FINE, D(2023, 1, 1))


class TestSpecialLetterAPI(ScopedAPITestCase):
    model = SpecialLetter
    basename = "special-letter"
    lookup_field = "id"
    # POST special-letters/, …/return/ and …/signed/: tests/oversight/credit/test_intake_api.py
    extra_covered_routes = ("special-letter-record-return", "special-letter-record-signed")

    def create_unit(self):
        return SupervisingUnitFactory()

    def create_object(self, *, unit):
        return SpecialLetterFactory(organization=OrganizationFactory(supervising_unit=unit))


@pytest.mark.django_db
def test_removal_is_flattened_and_active_filter_works():
    removed_org, listed_org = OrganizationFactory(), OrganizationFactory()
    removed = make_listing(removed_org, CreditGround.A5_WARNING_OR_SMALL_FINE, D(2023, 1, 1))
    listed = make_listing(listed_org, CreditGround.A2_PARTY_ORGANIZATION, D(2023, 1, 1))
    a, b = make_clerks()
    removal = credit_removal_create(
        organization=removed_org,
        list_type=CreditList.ABNORMAL,
        ground=RemovalGround.NOTHING_TO_RECTIFY,
        facts="列入满6个月",
        decided_on=D(2023, 7, 1),
        proposed_by=a,
        approved_by=b,
    )
    client = token_client(make_staff_user(perms=["oversight.view_creditlisting"]))
    url = "/api/v1/credit-listings/"
    body = client.get(f"{url}{removed.pk}/").json()
    assert body["active"] is False
    assert body["removed_on"] == "2023-07-01"
    assert body["removal_ground"] == RemovalGround.NOTHING_TO_RECTIFY
    assert body["removal_decision_no"] == removal.decision_no
    assert body["ground_display"] == "受到警告或者不满5万元罚款处罚"
    active = client.get(url, {"active": "true"}).json()["results"]
    assert [row["id"] for row in active] == [listed.pk]
    inactive = client.get(url, {"active": "false"}).json()["results"]
    assert [row["id"] for row in inactive] == [removed.pk]
    by_uscc = client.get(url, {"organization_uscc": listed_org.uscc}).json()["results"]
    assert [row["id"] for row in by_uscc] == [listed.pk]
