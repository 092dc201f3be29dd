"""special-letters/ writes (issue 10 item 1): a department records letters and their return for
the organizations it supervises — 404 for another unit's organization or letter — and staff
need the model permission. The API calls the same services as the admin and the import."""

from __future__ import annotations

import pytest

from common.testing.api import make_department_user, make_staff_user, token_client
from oversight.credit.models import SpecialLetter
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/special-letters/"


def letter_body(org, **kw):
    return {"organization_uscc": org.uscc, "sent_on": "2024-03-01", "tracking_no": "EA1", **kw}


@pytest.fixture
def units():
    return SupervisingUnitFactory(), SupervisingUnitFactory()


def test_department_records_a_pair_and_their_returns(units):
    own, _other = units
    org = OrganizationFactory(supervising_unit=own)
    client = token_client(make_department_user(unit=own))
    first = client.post(URL, letter_body(org), format="json")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["mailing"] == 1 and body["address"] == org.domicile
    assert body["organization"]["uscc"] == org.uscc
    early = client.post(
        URL, letter_body(org, mailing=2, sent_on="2024-03-15", tracking_no="EA2"), format="json"
    )
    assert early.status_code == 400 and "sent_on" in early.json()
    second = client.post(
        URL, letter_body(org, mailing=2, sent_on="2024-03-16", tracking_no="EA2"), format="json"
    )
    assert second.status_code == 201 and second.json()["first_letter"] == body["id"]
    returned = client.post(
        f"{URL}{body['id']}/return/",
        {"returned_on": "2024-03-08", "return_reason": "moved"},
        format="json",
    )
    assert returned.status_code == 200, returned.content
    assert returned.json()["return_reason_display"] == "迁移新址不明"
    again = client.post(f"{URL}{body['id']}/signed/", format="json")
    assert again.status_code == 400
    letter = SpecialLetter.objects.get(pk=body["id"])
    assert letter.history.count() == 2


def test_other_units_organization_and_letter_answer_404(units):
    own, other = units
    foreign = OrganizationFactory(supervising_unit=other)
    client = token_client(make_department_user(unit=own))
    missing = client.post(URL, letter_body(foreign, organization_uscc="X" * 18), format="json")
    refused = client.post(URL, letter_body(foreign), format="json")
    assert refused.status_code == 404 and refused.content == missing.content
    assert not SpecialLetter.objects.exists()
    theirs = token_client(make_department_user(unit=other)).post(
        URL, letter_body(foreign), format="json"
    )
    letter_id = theirs.json()["id"]
    answer = client.post(
        f"{URL}{letter_id}/return/",
        {"returned_on": "2024-03-08", "return_reason": "moved"},
        format="json",
    )
    assert answer.status_code == 404
    assert SpecialLetter.objects.get(pk=letter_id).returned_on is None


def test_staff_need_the_model_permission(units):
    org = OrganizationFactory(supervising_unit=units[0])
    viewer = token_client(make_staff_user(perms=["oversight.view_specialletter"]))
    assert viewer.post(URL, letter_body(org), format="json").status_code == 403
    clerk = token_client(
        make_staff_user(perms=["oversight.view_specialletter", "oversight.add_specialletter"])
    )
    created = clerk.post(URL, letter_body(org), format="json")
    assert created.status_code == 201
    letter_id = created.json()["id"]
    signed = clerk.post(f"{URL}{letter_id}/signed/", format="json")
    assert signed.status_code == 403  # recording the outcome is a change
    changer = token_client(
        make_staff_user(perms=["oversight.view_specialletter", "oversight.change_specialletter"])
    )
    assert changer.post(f"{URL}{letter_id}/signed/", format="json").json()["signed_for"] is True
