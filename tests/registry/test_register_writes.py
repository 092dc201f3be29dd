"""Every write to the register goes through its services (issue 16 item 2): the admin, the
API and the Excel import refuse the same forbidden 变更登记 with the service's own words, and
the import applies the rules set-based through registry.bulk."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.testing.api import make_staff_user, token_client
from registry import services
from registry.bulk import organizations_bulk_check, organizations_bulk_write
from registry.choices import OrganizationType
from registry.imports import organizations_import
from registry.models import Organization
from tests.registry.factories import (
    OrganizationFactory,
    SupervisingUnitFactory,
    organization_sheet_row,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

TYPE_REFUSAL = "组织类型写在统一社会信用代码第2位，登记后不能更改。"

# (field, sheet column, new value, a fragment of the service's refusal)
FORBIDDEN = [
    pytest.param("org_type", "组织类型", OrganizationType.FOUNDATION, "登记后不能更改", id="type"),
    # The real D11 guard oversight registers: no departure audit of 张三 exists.
    pytest.param("legal_representative", "法定代表人", "赵六", "R-AUD-01", id="d11"),
]


def _sheet_value(field: str, value: str) -> str:
    return OrganizationType(value).label if field == "org_type" else value


def row_of(org: Organization, **overrides) -> dict:
    return organization_sheet_row(
        org_type=org.org_type,
        **{
            "统一社会信用代码": org.uscc,
            "名称": org.name,
            "行业分类": org.industry_category.name,
            "业务主管单位": org.supervising_unit.name,
            "法定代表人": org.legal_representative,
            "住所": org.domicile,
            "联系电话": org.phone,
            "业务范围": org.business_scope,
            "注册资金（元）": org.registered_capital,
            "成立日期": org.established_on,
            **overrides,
        },
    )


def change_form_data(client, org: Organization, **overrides) -> dict:
    """What the admin's change page would post back, with `overrides` typed in."""
    page = client.get(reverse("admin:registry_organization_change", args=[org.pk]))
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = overrides.get(name, form.initial.get(name))
        if field.disabled or value is None or value is False:
            continue
        data[name] = value.isoformat() if isinstance(value, datetime.date) else value
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
    return data


def service_refusal(org: Organization, field: str, value: str) -> str:
    with pytest.raises(ValidationError) as exc:
        services.organization_change(organization=org, **{field: value})
    return exc.value.message_dict[field][0]


@pytest.mark.parametrize(("field", "column", "value", "fragment"), FORBIDDEN)
def test_admin_api_and_import_refuse_the_same_change_as_the_service(
    staff_client, field, column, value, fragment
):
    org = OrganizationFactory(legal_representative="张三")
    before = Organization.objects.values().get(pk=org.pk)
    refusal = service_refusal(org, field, value)
    assert fragment in refusal

    page = staff_client.post(
        reverse("admin:registry_organization_change", args=[org.pk]),
        change_form_data(staff_client, org, **{field: value}),
    )
    assert page.status_code == 200  # the form again, not a redirect
    assert page.context["adminform"].form.errors[field] == [refusal]

    api = token_client(
        make_staff_user(perms=["registry.view_organization", "registry.change_organization"])
    )
    for method in (api.patch, api.put):
        response = method(f"/api/v1/organizations/{org.uscc}/", {field: value}, format="json")
        assert response.status_code == 405  # the API never writes the register

    result = organizations_import(
        fileobj=xlsx_file([list(row_of(org, **{column: _sheet_value(field, value)}).values())])
    )
    assert refusal in [e.message for e in result.errors if e.column == column]
    assert not result.committed

    assert Organization.objects.values().get(pk=org.pk) == before


def test_the_uscc_is_refused_by_the_service_and_ignored_by_the_admin(staff_client):
    org = OrganizationFactory()
    other = OrganizationFactory.build(supervising_unit=SupervisingUnitFactory()).uscc
    with pytest.raises(ValidationError) as exc:
        services.organization_change(organization=org, uscc=other)
    assert "不能通过变更登记修改" in exc.value.message_dict["uscc"][0]

    data = change_form_data(staff_client, org, domicile="深圳市福田区新址1号")
    data["uscc"] = other  # a forged post to a disabled field
    response = staff_client.post(reverse("admin:registry_organization_change", args=[org.pk]), data)

    assert response.status_code == 302
    org.refresh_from_db()
    assert org.uscc != other and org.domicile == "深圳市福田区新址1号"
    assert Organization.objects.filter(uscc=other).count() == 0


def test_the_admin_saves_through_the_service_so_a_rule_it_missed_still_applies(staff_user):
    org = OrganizationFactory(legal_representative="张三")
    refuse = lambda organization, new_rep, on: "须先完成离任审计（R-AUD-01）。"  # noqa: E731
    # The rule arrives between the form's check and the save (e.g. an audit withdrawn
    # meanwhile): only the service's own check under its row lock can catch it.
    form_ok = services._legal_representative_guards.copy()
    services._legal_representative_guards.clear()
    try:
        model_admin = admin.site._registry[Organization]
        request = RequestFactory().post("/")
        request.user = staff_user
        form_class = model_admin.get_form(request, org, change=True)
        data = {
            k: (v.pk if hasattr(v, "pk") else v)
            for k, v in form_class(instance=org).initial.items()
            if v is not None and v is not False
        }
        data["legal_representative"] = "赵六"
        form = form_class(data, instance=org)
        assert form.is_valid(), form.errors
        services.register_legal_representative_guard(refuse)
        with pytest.raises(ValidationError) as exc:
            model_admin.save_model(request, form.save(commit=False), form, change=True)
    finally:
        services._legal_representative_guards[:] = form_ok
    assert "R-AUD-01" in exc.value.message_dict["legal_representative"][0]
    org.refresh_from_db()
    assert org.legal_representative == "张三"


def test_the_admin_registers_and_changes_through_the_services_with_history(
    staff_client, staff_user
):
    org = OrganizationFactory()
    response = staff_client.post(
        reverse("admin:registry_organization_change", args=[org.pk]),
        change_form_data(staff_client, org, domicile="深圳市福田区新址2号"),
    )
    assert response.status_code == 302
    latest = org.history.latest()
    assert (latest.domicile, latest.history_change_reason, latest.history_user_id) == (
        "深圳市福田区新址2号",
        "变更登记",
        staff_user.pk,
    )


# ---------------------------------------------------------------------------- set-based


@pytest.fixture
def counting_bulk_guard(monkeypatch):
    """Stand-in D11 guard with a bulk form (the only guard while the test runs)."""
    calls = []

    def guard(organization, new_rep, on):
        raise AssertionError("a bulk write must use the bulk form, not ask row by row")

    def bulk(pairs, on):
        calls.append(len(pairs))
        refusals = {
            i: "须先完成离任审计（R-AUD-01）。"
            for i, (org, rep) in enumerate(pairs)
            if rep == "拒绝"
        }
        list(Organization.objects.filter(pk__in=[o.pk for o, _ in pairs]))  # one query
        return refusals

    monkeypatch.setattr(services, "_legal_representative_guards", [])
    monkeypatch.setattr(services, "_legal_representative_bulk_guards", {})
    services.register_legal_representative_guard(guard, bulk=bulk)
    return calls


def test_the_import_asks_a_bulk_guard_once_whatever_the_row_count(counting_bulk_guard):
    def queries_for(n: int) -> int:
        orgs = OrganizationFactory.create_batch(n, legal_representative="张三")
        rows = [list(row_of(o, **{"法定代表人": f"新代表{o.pk}"}).values()) for o in orgs]
        with CaptureQueriesContext(connection) as ctx:
            result = organizations_import(fileobj=xlsx_file(rows))
        assert result.errors == [] and result.updated == n
        return len(ctx.captured_queries)

    assert queries_for(40) == queries_for(4)
    assert counting_bulk_guard == [40, 4]


def test_bulk_write_refuses_all_and_reports_each_refused_key(counting_bulk_guard, staff_user):
    orgs = OrganizationFactory.create_batch(3, legal_representative="张三")
    outcome = organizations_bulk_write(
        changes=[
            ("a", orgs[0], {"legal_representative": "李四"}),
            ("b", orgs[1], {"legal_representative": "拒绝"}),
            ("c", orgs[2], {"org_type": OrganizationType.SOCIAL_GROUP, "uscc": "X"}),
        ],
        registrations=[
            (
                "d",
                {
                    **_fields_of(
                        OrganizationFactory.build(supervising_unit=SupervisingUnitFactory())
                    ),
                    "status": "revoked",
                },
            )
        ],
        actor=staff_user,
        reason="测试",
    )
    assert not outcome.written
    assert set(outcome.errors) == {"b", "c", "d"}
    assert set(outcome.errors["c"].message_dict) == {"org_type", "uscc"}
    assert "status" in outcome.errors["d"].message_dict
    assert set(Organization.objects.values_list("legal_representative", flat=True)) == {"张三"}


def test_bulk_write_writes_history_in_bulk_under_the_reason(counting_bulk_guard, staff_user):
    org = OrganizationFactory(legal_representative="张三")
    new = OrganizationFactory.build(supervising_unit=SupervisingUnitFactory())
    outcome = organizations_bulk_write(
        changes=[(1, org, {"legal_representative": "李四"})],
        registrations=[(2, _fields_of(new))],
        actor=staff_user,
        reason="批量测试",
    )
    assert outcome.written and not outcome.errors
    created = Organization.objects.get(uscc=new.uscc)
    for record in (org.history.latest(), created.history.latest()):
        assert (record.history_change_reason, record.history_user_id) == ("批量测试", staff_user.pk)
    assert org.history.latest().legal_representative == "李四"
    assert organizations_bulk_check(changes=[(1, org, {"name": ""})]).errors[1].message_dict["name"]


def _fields_of(org: Organization) -> dict:
    return {
        "uscc": org.uscc,
        **{f: getattr(org, f) for f in services.REGISTRATION_FIELDS},
    }


def test_a_bulk_change_validates_the_fields_it_sets_and_the_cross_field_rules():
    # registry.bulk checks only the fields a change sets (the stored ones passed the same
    # validators when written), but still every validator of those and the model's clean().
    org = OrganizationFactory()
    Organization.objects.filter(pk=org.pk).update(domicile="")  # a stored value now invalid
    org.refresh_from_db()
    foundation = OrganizationFactory(org_type=OrganizationType.FOUNDATION)
    outcome = organizations_bulk_check(
        changes=[
            ("ok", org, {"phone": "0755-12345678"}),
            ("long", OrganizationFactory(), {"phone": "1" * 200}),
            ("trade", foundation, {"is_industry_association": True}),
        ]
    )
    assert set(outcome.errors) == {"long", "trade"}
    assert "phone" in outcome.errors["long"].message_dict
    # clean(): only a 社会团体 can be an industry association (R-ORG-02)
    assert "R-ORG-02" in str(outcome.errors["trade"].message_dict["is_industry_association"])
    assert [o.pk for o in outcome.updates] == [org.pk]
