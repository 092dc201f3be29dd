"""Admin of party building: the summary page's links land on exactly the rows each figure
counts; entry screens refuse what the rules refuse; imports tell row and reason."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from partybuilding import exports as x
from partybuilding.choices import Formation
from partybuilding.models import PartyOrganization
from partybuilding.selectors import party_coverage
from partybuilding.services import member_count_record
from tests.registry.factories import OrganizationFactory

from .factories import (
    APPROVED,
    district_committee,
    make_assignment,
    make_party_organization,
    street_body,
)
from .test_excel import po_row, sheet

pytestmark = pytest.mark.django_db

ON = datetime.date(2022, 6, 30)


@pytest.fixture
def world():
    make_party_organization()
    make_party_organization(superior_body=street_body(2), approved_on=datetime.date(2022, 2, 1))
    make_party_organization(formation=Formation.JOINT)
    make_assignment()
    member_count_record(organization=OrganizationFactory(), as_of=APPROVED, full_members=1)


def test_summary_links_land_on_the_counted_rows(staff_client, world):
    response = staff_client.get(
        reverse("admin:partybuilding_partyorganization_summary"), {"as_of": "2022-06-30"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    expected = {f.key: f.value for f in party_coverage(day=ON).figures()}
    links = dict(
        re.findall(r'<tr class="figure-([\w-]+)"><td>[^<]*</td><td><a href="([^"]+)">', html)
    )
    assert len(links) == len(expected)
    for key, value in expected.items():
        if key.endswith("_rate") or key == "party_organizations_direct_members":
            continue  # a rate or a sum links to the rows of its numerator
        url = links[_slug(key)]
        page = staff_client.get(url.replace("&amp;", "&"))
        assert page.status_code == 200, key
        assert page.context["cl"].result_count == value, key


def _slug(key: str) -> str:
    from django.utils.text import slugify

    return slugify(key)


def test_summary_bad_date_says_so(staff_client):
    response = staff_client.get(
        reverse("admin:partybuilding_partyorganization_summary"), {"as_of": "2022-02-30"}
    )
    assert response.status_code == 200
    assert "统计日期格式不正确" in response.content.decode()


def test_party_organization_cannot_be_deleted(staff_client, world):
    po = PartyOrganization.objects.first()
    url = reverse("admin:partybuilding_partyorganization_delete", args=[po.pk])
    assert staff_client.get(url).status_code == 403


def _add_form(org, **over) -> dict:
    data = {
        "name": "中共测试支部委员会",
        "level": "branch",
        "formation": "single",
        "superior_body": district_committee().pk,
        "secretary": "王",
        "full_members": 5,
        "probationary_members": 0,
        "approved_on": "2021-07-01",
        "approval_doc_no": "",
        "coverages-TOTAL_FORMS": 1,
        "coverages-INITIAL_FORMS": 0,
        "coverages-0-organization": org.pk,
        "coverages-0-joined_on": "2021-07-01",
        "coverages-0-left_on": "",
    }
    data.update(over)
    return data


def test_admin_add_checks_formation_rules(staff_client):
    org = OrganizationFactory()
    url = reverse("admin:partybuilding_partyorganization_add")
    refused = staff_client.post(url, _add_form(org, formation="joint"))
    assert refused.status_code == 200
    assert "R-PTY-02" in refused.content.decode()
    too_few = staff_client.post(url, _add_form(org, full_members=2))
    assert "R-PTY-01" in too_few.content.decode()
    assert PartyOrganization.objects.count() == 0
    ok = staff_client.post(url, _add_form(org))
    assert ok.status_code == 302
    assert PartyOrganization.objects.get().coverages.get().organization == org


def test_admin_import_one_bad_row(staff_client):
    a, b = OrganizationFactory(), OrganizationFactory()
    rows = [po_row([a]), po_row([b], **{x.PO_FORMATION: "联合组建"})]
    upload = sheet(x.PARTY_ORGANIZATION_HEADERS, rows)
    upload.name = "党组织.xlsx"
    response = staff_client.post(
        reverse("admin:partybuilding_partyorganization_import"), {"file": upload}
    )
    html = response.content.decode()
    assert 'id="import-errors"' in html
    assert "<td>3</td>" in html and "R-PTY-02" in html
    assert 'name="confirm"' not in html
    assert PartyOrganization.objects.count() == 0


def test_coverage_list_filter_rejects_bad_date(staff_client, world):
    url = reverse("admin:partybuilding_coverageorganization_changelist")
    response = staff_client.get(url, {"as_of": "not-a-date", "figure": "covered"})
    assert response.status_code == 302  # the admin's "invalid filter" redirect (?e=1)


@pytest.mark.parametrize(
    "model",
    [
        "superiorbody",
        "volunteerdomain",
        "partyorganization",
        "coverageorganization",
        "partyorganizationcoverage",
        "partymembercount",
        "instructor",
        "instructorassignment",
        "volunteeractivity",
        "demonstrationpoint",
    ],
)
def test_every_changelist_renders(staff_client, world, model):
    response = staff_client.get(reverse(f"admin:partybuilding_{model}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 0


def test_assignment_form_refuses_covered_organization(staff_client, world):
    from .factories import InstructorFactory

    covered = PartyOrganization.objects.first().coverages.first().organization
    response = staff_client.post(
        reverse("admin:partybuilding_instructorassignment_add"),
        {
            "instructor": InstructorFactory().pk,
            "organization": covered.pk,
            "started_on": "2022-01-01",
        },
    )
    assert response.status_code == 200
    assert "R-PTY-03" in response.content.decode()


def test_dissolve_action_is_dated_and_all_or_nothing(staff_client, world):
    ids = list(PartyOrganization.objects.values_list("pk", flat=True))
    url = reverse("admin:partybuilding_partyorganization_changelist")
    data = {
        "action": "dissolve_selected",
        "_selected_action": ids,
        "apply": "1",
        "on": "2022-07-01",
        "doc_no": "福社党〔2022〕9号",
    }
    staff_client.post(url, data)
    assert PartyOrganization.objects.filter(dissolved_on=datetime.date(2022, 7, 1)).count() == len(
        ids
    )
    again = staff_client.post(url, {**data, "on": "2022-08-01"}, follow=True)
    assert "全部未作变更" in again.content.decode()
