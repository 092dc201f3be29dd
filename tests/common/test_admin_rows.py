"""A changelist page's rows from a column plan (common.admin_rows) are Django's own
(admin_list.results), cell for cell, over every kind of column a ModelAdmin can list."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils.safestring import SafeString

from common.admin_rows import changelist_results
from oversight.models import CreditProposal
from registry.choices import OrganizationType
from registry.models import Organization
from tests.registry.factories import OrganizationFactory, make_varied_register

pytestmark = pytest.mark.django_db


def _changelist(model_admin, user, **params):
    opts = model_admin.model._meta
    path = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    request = RequestFactory().get(path, params)
    request.user = user
    request.resolver_match = resolve(path)  # whence the row links learn the list's filters
    cl = model_admin.get_changelist_instance(request)
    cl.formset = None  # as changelist_view sets it when nothing is editable
    return cl


def _assert_rows_are_djangos(cl) -> list[list[str]]:
    """What change_list_results.html writes of each row is the same, and marked safe."""
    ours = changelist_results(cl)
    theirs = [[str(cell) for cell in row] for row in admin_list.results(cl)]
    assert ["".join(row) for row in ours] == ["".join(row) for row in theirs]
    assert all(isinstance(item, SafeString) for row in ours for item in row)
    assert theirs, "the list must show rows to compare"
    return theirs


def _varied_register() -> None:
    make_varied_register()
    OrganizationFactory(
        name='A&B <"春晖">协会',
        org_type=OrganizationType.SOCIAL_GROUP,
        is_industry_association=True,
        legal_representative="   ",
        established_on=datetime.date(2001, 2, 3),
    )
    OrganizationFactory(name="春晖助学促进会", legal_representative="")


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "春晖"}, {"q": "会", "org_type__exact": "social_group", "o": "-2.8"}],
    ids=["all", "searched", "filtered-and-sorted"],
)
def test_the_registers_rows_are_djangos(staff_user, params):
    """The register's changelist: link with the list's filters kept, choices, a boolean,
    related rows present and missing, blank text, dates."""
    _varied_register()
    cl = _changelist(admin.site._registry[Organization], staff_user, **params)
    rows = _assert_rows_are_djangos(cl)
    if params.get("q"):
        assert "_changelist_filters=" in rows[0][1]


def test_the_credit_proposals_rows_are_djangos(staff_user):
    """The credit proposals' changelist links a related organization, not a plain field."""
    org = OrganizationFactory(name="<b>春晖</b>服务中心")
    for status, by in (("suggested", None), ("proposed", staff_user)):
        CreditProposal.objects.create(
            organization=org,
            action="list",
            list_type="abnormal",
            ground="R-CRD-02(1)",
            rule_key=f"k-{status}",
            explanation="未按时报送年度报告 & 未整改",
            as_of=datetime.date(2026, 6, 30),
            status=status,
            proposed_by=by,
        )
    _assert_rows_are_djangos(_changelist(admin.site._registry[CreditProposal], staff_user))


def registered_this_century(obj) -> bool:
    return obj.established_on.year >= 2001


class _EveryKindOfColumn(admin.ModelAdmin):
    list_display = [
        "uscc",
        "id",
        "__str__",
        registered_this_century,
        "is_group",
        "unit_code",
        "founded",
        "blank",
        "is_industry_association",
        "registered_capital",
        "deregistered_on",
        "supervising_unit",
        "status",
    ]

    @admin.display(boolean=True, description="社会团体")
    def is_group(self, obj) -> bool:
        return obj.org_type == OrganizationType.SOCIAL_GROUP

    @admin.display(empty_value="（无）", description="主管单位代码")
    def unit_code(self, obj):
        return obj.supervising_unit.code if obj.supervising_unit else None

    @admin.display(description="成立")
    def founded(self, obj):
        return obj.established_on

    @admin.display(description="空白")
    def blank(self, obj):
        return "  "


@pytest.mark.parametrize(
    "links", [(), ("uscc",), ("founded", "status"), None], ids=["first", "one", "two", "none"]
)
def test_every_kind_of_column_renders_as_django_does(staff_user, links):
    """Methods (boolean, own empty marker, dates, blank text), functions, the id, __str__,
    decimals, missing dates and related rows; links on the first, named or no columns."""
    _varied_register()
    model_admin = _EveryKindOfColumn(Organization, admin.site)
    model_admin.list_display_links = links
    _assert_rows_are_djangos(_changelist(model_admin, staff_user))


def test_a_popup_keeps_djangos_rendering(staff_user):
    _varied_register()
    cl = _changelist(admin.site._registry[Organization], staff_user, _popup="1", _to_field="id")
    assert cl.is_popup
    _assert_rows_are_djangos(cl)


def test_the_registers_page_shows_the_planned_rows(staff_client, staff_user):
    """The register's changelist page renders its rows through the plan (the template tag
    register_result_list), every cell of every row in place."""
    _varied_register()
    response = staff_client.get("/admin/registry/organization/")
    assert "admin/register_change_list.html" in [t.name for t in response.templates]
    page = response.content.decode()
    cl = _changelist(admin.site._registry[Organization], staff_user)
    for row in changelist_results(cl):
        assert "<tr>" + "".join(row) + "</tr>" in page


def test_row_links_are_the_change_pages_with_the_lists_filters(staff_user, client):
    """The register reverses its change URL once a page (common.admin_changelist): each
    row's link is still the URL Django reverses for that row, and it opens the row."""
    from django.contrib.admin.views.main import ChangeList

    _varied_register()
    cl = _changelist(admin.site._registry[Organization], staff_user, q="春晖")
    client.force_login(staff_user)
    for org in cl.result_list:
        url = cl.url_for_result(org)
        assert url == f"{ChangeList.url_for_result(cl, org)}?{cl.row_link_query}"
        assert client.get(url).context["original"] == org
