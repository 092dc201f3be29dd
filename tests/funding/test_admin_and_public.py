"""The clerk's walk through the admin (issue 12), and the public catalog page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from funding.catalog.models import CatalogEdition
from funding.catalog.services import catalog_edition_create, catalog_edition_publish
from funding.grants.choices import GrantStatus, PaymentStatus
from funding.grants.models import GrantPayment, GrantProject
from tests.funding.factories import ExpertFactory, FundRoundFactory, submitted_grant
from tests.registry.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
CHANGELIST = "admin:funding_grantproject_changelist"


def act(client, action: str, project, **data):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [project.pk], "apply": "1", **data},
        follow=True,
    )


def test_clerk_moves_an_application_to_approval_and_sees_the_second_tranche_held(
    staff_client, listed
):
    fund_round = FundRoundFactory(number=11)
    project = submitted_grant(fund_round=fund_round)
    act(staff_client, "to_preliminary_review", project, on="2021-09-22")
    act(staff_client, "to_expert_review", project, on="2021-09-24")
    from funding.grants.services import grant_review_record

    for _ in range(3):
        grant_review_record(project=project, expert=ExpertFactory(), score=88, on=D(2021, 9, 28))
    act(staff_client, "to_public_notice", project, on="2021-09-29", approved_amount="90000")
    early = act(staff_client, "to_approved", project, on="2021-10-12")
    assert "期满后方可立项" in early.content.decode()
    act(staff_client, "to_approved", project, on="2021-10-13", document_no="福社建〔2021〕11号")
    project.refresh_from_db()
    assert project.status == GrantStatus.APPROVED

    act(staff_client, "pay_tranche", project, amount="45000", on="2021-11-01")
    listed.list(project.organization, D(2022, 3, 1))
    act(staff_client, "pay_tranche", project, amount="45000", on="2022-03-10")
    second = GrantPayment.objects.get(project=project, sequence=2)
    assert second.status == PaymentStatus.HELD
    page = staff_client.get(reverse("admin:funding_grantpayment_changelist"), {"status": "held"})
    assert "列入活动异常名录（2022-03-01）" in page.content.decode()
    refused = act(staff_client, "to_approved", project, on="2021-10-14")
    assert "不能转为" in refused.content.decode()


def test_admin_pages_render(staff_client):
    submitted_grant()
    for name in (
        "funding_fundround",
        "funding_grantproject",
        "funding_grantpayment",
        "funding_expert",
        "funding_sponsorship",
        "funding_grantcompletionreport",
        "funding_catalogedition",
        "funding_catalogentry",
        "funding_ratinground",
        "funding_ratingapplication",
        "funding_ratingexpiryreminder",
        "funding_servicerecord",
    ):
        assert staff_client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    project = GrantProject.objects.get()
    assert (
        staff_client.get(
            reverse("admin:funding_grantproject_change", args=[project.pk])
        ).status_code
        == 200
    )
    assert staff_client.get(reverse("admin:funding_grantproject_add")).status_code == 200


def test_admin_add_application_refuses_a_listed_organization(staff_client, listed):
    fund_round = FundRoundFactory()
    org = OrganizationFactory()
    listed.list(org, D(2021, 8, 1))
    response = staff_client.post(
        reverse("admin:funding_grantproject_add"),
        {
            "round": fund_round.pk,
            "organization": org.pk,
            "title": "项目",
            "category": "community",
            "requested_amount": "1000",
            "submitted_on": "2021-09-02",
        },
    )
    assert response.status_code == 200
    assert "列入活动异常名录（2021-08-01）" in response.content.decode()
    assert not GrantProject.objects.exists()


def test_publish_from_admin_and_find_it_on_the_public_page(staff_client, client):
    org = OrganizationFactory(established_on=D(2015, 1, 1), name="福田区阳光社工服务中心")
    OrganizationFactory(established_on=D(2015, 1, 1), name="福田区另一家中心")
    edition = catalog_edition_create(
        number=8, year=2022, title="2022年目录", application_date=D(2022, 6, 30)
    )
    staff_client.post(
        reverse("admin:funding_catalogedition_changelist"),
        {"action": "publish", "_selected_action": [edition.pk], "apply": "1", "on": "2022-07-28"},
    )
    assert CatalogEdition.objects.get(pk=edition.pk).status == "published"
    page = client.get("/public/catalog/", {"q": "阳光"})
    body = page.content.decode()
    assert page.status_code == 200
    assert org.uscc in body and "福田区另一家中心" not in body and "现行" in body
    assert client.get("/public/catalog/", {"edition": "99"}).status_code == 404
    export = staff_client.get(reverse("admin:funding_catalogedition_entries", args=[edition.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith(
        "application/vnd.openxml"
    )


def test_public_page_shows_earlier_editions():
    from django.test import Client

    OrganizationFactory(established_on=D(2015, 1, 1))
    for number in (1, 2):
        e = catalog_edition_create(
            number=number,
            year=2020 + number,
            title=f"第{number}次",
            application_date=D(2022, 6, 30),
        )
        catalog_edition_publish(edition=e, on=D(2022, 7, number))
    body = Client().get("/public/catalog/", {"edition": "1"}).content.decode()
    assert "已被新版替代" in body and "第2次（2022-07-02发布）·现行" in body
