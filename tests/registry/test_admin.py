"""The organization admin: search, constant-cost changelist, Excel export and import views."""

from __future__ import annotations

import io
from urllib.parse import quote, urlencode

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from registry.admin import IMPORT_SESSION_KEY
from registry.choices import OrganizationType
from registry.imports import CHANGE_REASON
from registry.models import IndustryCategory, Organization
from tests.registry.factories import (
    OrganizationFactory,
    SupervisingUnitFactory,
    make_uscc,
    organization_sheet_row,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:registry_organization_changelist")
EXPORT = reverse("admin:registry_organization_export")
IMPORT = reverse("admin:registry_organization_import")
HistoricalOrganization = Organization.history.model


def _upload_name(token: str) -> str:
    return admin.site._registry[Organization].excel_upload_name(token)


def exported_names(response) -> list[str]:
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(content)).active
    return [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]


def user_with(django_user_model, *codenames: str):
    user = django_user_model.objects.create_user("dept", password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="registry", codename__in=codenames)
    )
    return user


def upload(client, buf, name="名录.xlsx"):
    buf.name = name
    return client.post(IMPORT, {"file": buf})


# ---------------------------------------------------------------------------- changelist


def test_search_by_part_of_the_name_finds_the_organization(staff_client):
    OrganizationFactory(name="深圳市福田区阳光社工服务中心")
    OrganizationFactory(name="福田区书法家协会")

    response = staff_client.get(CHANGELIST, {"q": "阳光社工"})

    assert response.status_code == 200
    assert [o.name for o in response.context["cl"].result_list] == ["深圳市福田区阳光社工服务中心"]


def test_changelist_runs_the_same_number_of_queries_for_5_and_200_organizations(staff_client):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = staff_client.get(CHANGELIST)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    OrganizationFactory.create_batch(5)
    small = count_queries()
    OrganizationFactory.create_batch(195)  # each with its own supervising unit
    large = count_queries()

    assert large == small


def test_changelist_offers_export_of_the_current_filter_and_import(staff_client):
    response = staff_client.get(CHANGELIST, {"org_type": "social_group", "q": "协会"})
    html = response.content.decode()
    assert f"{EXPORT}?org_type=social_group&amp;q=%E5%8D%8F%E4%BC%9A" in html
    assert IMPORT in html


def test_view_only_user_sees_export_but_not_import(client, django_user_model):
    client.force_login(user_with(django_user_model, "view_organization"))
    html = client.get(CHANGELIST).content.decode()
    assert EXPORT in html and IMPORT not in html


# ---------------------------------------------------------------------------- export


def test_export_is_an_xlsx_attachment_named_by_date(staff_client):
    OrganizationFactory()
    response = staff_client.get(EXPORT)
    filename = f"社会组织名录-{timezone.localdate():%Y%m%d}.xlsx"
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert f"filename*=utf-8''{quote(filename)}" in response["Content-Disposition"]
    assert len(exported_names(response)) == 1


def test_export_honours_the_changelist_filters(staff_client):
    OrganizationFactory(name="甲协会", org_type=OrganizationType.SOCIAL_GROUP)
    OrganizationFactory(name="乙中心", org_type=OrganizationType.PRIVATE_NON_ENTERPRISE)
    arts = IndustryCategory.objects.get(name="艺术")
    OrganizationFactory(
        name="丙协会", org_type=OrganizationType.SOCIAL_GROUP, industry_category=arts
    )

    assert exported_names(staff_client.get(EXPORT, {"org_type": "social_group"})) == [
        "丙协会",
        "甲协会",
    ]
    assert exported_names(
        staff_client.get(EXPORT, {"org_type": "social_group", "industry_category": arts.pk})
    ) == ["丙协会"]


def test_export_honours_the_changelist_search(staff_client):
    OrganizationFactory(name="福田区阳光社工服务中心")
    OrganizationFactory(name="福田区书法家协会")
    assert exported_names(staff_client.get(EXPORT, {"q": "书法"})) == ["福田区书法家协会"]


def test_export_by_supervising_unit_filter(staff_client):
    unit = SupervisingUnitFactory(name="区教育局")
    OrganizationFactory(name="教育类组织", supervising_unit=unit)
    OrganizationFactory(name="其他组织")
    assert exported_names(staff_client.get(EXPORT, {"supervising_unit": unit.pk})) == ["教育类组织"]


def test_export_needs_view_permission(client, django_user_model):
    OrganizationFactory()
    client.force_login(user_with(django_user_model, "add_organization"))
    assert client.get(EXPORT).status_code == 403


def test_export_with_view_permission_only(client, django_user_model):
    OrganizationFactory()
    client.force_login(user_with(django_user_model, "view_organization"))
    assert len(exported_names(client.get(EXPORT))) == 1


def test_export_requires_login(client):
    response = client.get(EXPORT)
    assert response.status_code == 302 and "/login/" in response["Location"]


# ---------------------------------------------------------------------------- import


def test_import_needs_add_and_change_permission(client, django_user_model):
    client.force_login(user_with(django_user_model, "view_organization", "change_organization"))
    assert client.get(IMPORT).status_code == 403
    assert upload(client, xlsx_file([list(organization_sheet_row().values())])).status_code == 403
    assert Organization.objects.count() == 0


def test_import_page_shows_the_upload_form(staff_client):
    response = staff_client.get(IMPORT)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html and "上传并预览" in html


def test_upload_previews_then_confirm_imports(staff_client, staff_user):
    existing = OrganizationFactory(domicile="旧地址")
    rows = [organization_sheet_row(), organization_sheet_row()]
    update = organization_sheet_row(
        **{
            "统一社会信用代码": existing.uscc,
            "名称": existing.name,
            "行业分类": existing.industry_category.name,
            "业务主管单位": existing.supervising_unit.name,
            "法定代表人": existing.legal_representative,
            "住所": "新地址",
            "联系电话": "",
            "业务范围": "",
            "注册资金（元）": 0,
            "成立日期": existing.established_on,
        }
    )
    buf = xlsx_file([list(r.values()) for r in [*rows, update]])

    preview = upload(staff_client, buf)

    assert preview.status_code == 200
    result = preview.context["result"]
    assert (result.to_create, result.to_update, result.unchanged, result.errors) == (2, 1, 0, [])
    assert "确认导入" in preview.content.decode()
    assert Organization.objects.count() == 1  # a preview writes nothing
    token = preview.context["token"]
    assert token in staff_client.session[IMPORT_SESSION_KEY]
    assert default_storage.exists(_upload_name(token))

    confirm = staff_client.post(IMPORT, {"token": token, "confirm": "确认导入"}, follow=True)

    assert confirm.redirect_chain[-1][0] == CHANGELIST
    assert "新增 2 个组织，更新 1 个" in confirm.content.decode()
    assert Organization.objects.count() == 3
    existing.refresh_from_db()
    assert existing.domicile == "新地址"
    latest = existing.history.latest()
    assert (latest.history_user_id, latest.history_change_reason) == (staff_user.pk, CHANGE_REASON)
    assert not default_storage.exists(_upload_name(token))
    assert token not in staff_client.session[IMPORT_SESSION_KEY]

    # The same token cannot be used twice.
    again = staff_client.post(IMPORT, {"token": token, "confirm": "确认导入"}, follow=True)
    assert again.redirect_chain[-1][0] == IMPORT
    assert "导入预览已失效" in again.content.decode()
    assert Organization.objects.count() == 3


def test_forged_or_foreign_tokens_are_refused(staff_client):
    for token in ["../../etc/passwd", "x" * 43, ""]:
        response = staff_client.post(IMPORT, {"token": token, "confirm": "确认导入"}, follow=True)
        assert response.status_code == 200
        assert "导入预览已失效" in response.content.decode()
    assert Organization.objects.count() == 0


def test_confirm_revalidates_against_the_register(staff_client):
    row = organization_sheet_row()
    preview = upload(staff_client, xlsx_file([list(row.values())]))
    token = preview.context["token"]
    # Someone registers the same code between preview and confirmation: the row is now an
    # update whose legal-representative change the (stand-in D11) guard refuses.
    OrganizationFactory(uscc=row["统一社会信用代码"], legal_representative="别人")
    from registry import services

    def guard(organization, new_rep, on):
        return "须先完成离任审计（R-AUD-01）。"

    services.register_legal_representative_guard(guard)
    try:
        response = staff_client.post(IMPORT, {"token": token, "confirm": "确认导入"})
    finally:
        services._legal_representative_guards.remove(guard)

    assert response.status_code == 200
    assert response.context["confirm_failed"] is True
    assert [e.column for e in response.context["result"].errors] == ["法定代表人"]
    assert Organization.objects.get().legal_representative == "别人"


def test_preview_shows_uscc_warnings_but_still_offers_confirm(staff_client):
    row = organization_sheet_row(**{"统一社会信用代码": make_uscc(division="440300")})
    response = upload(staff_client, xlsx_file([list(row.values())]))
    html = response.content.decode()
    assert "R-USCC-05" in html and "确认导入" in html


def test_preview_lists_every_error_with_row_and_column_and_offers_no_confirm(staff_client):
    rows = [organization_sheet_row() for _ in range(4)]
    rows[2]["成立日期"] = "2020-02-30"
    rows[3]["组织类型"] = "公司"

    response = upload(staff_client, xlsx_file([list(r.values()) for r in rows]))

    html = response.content.decode()
    assert response.status_code == 200
    assert [(e.row, e.column) for e in response.context["result"].errors] == [
        (4, "成立日期"),
        (5, "组织类型"),
    ]
    assert "<td>4</td><td>成立日期</td>" in html and "<td>5</td><td>组织类型</td>" in html
    assert "确认导入" not in html and "token" not in response.context
    assert Organization.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("名录.txt", "随便写的文字".encode(), "仅支持 Excel 工作簿（.xlsx）"),
        ("名录.csv", "统一社会信用代码,名称\n".encode("gbk"), "仅支持 Excel 工作簿（.xlsx）"),
        ("名录.xlsx", "统一社会信用代码,名称\n".encode("gbk"), "不是有效的 Excel"),
        ("名录.xlsx", b"", "上传的文件是空的"),
    ],
)
def test_unreadable_uploads_get_a_clear_message_not_a_500(staff_client, name, content, fragment):
    response = upload(staff_client, io.BytesIO(content), name=name)
    assert response.status_code == 200
    assert fragment in response.content.decode()
    assert "result" not in response.context
    assert Organization.objects.count() == 0


def test_wrong_headers_are_reported_on_the_form(staff_client):
    response = upload(staff_client, xlsx_file([["a", "b"]], headers=["单位", "名称"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "无法识别的表头：“单位”" in html and "缺少必需的列" in html


def test_formula_upload_is_reported(staff_client):
    from openpyxl import load_workbook as load

    buf = xlsx_file([list(organization_sheet_row().values())])
    wb = load(buf)
    wb.active["B2"] = "=A2"
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)

    response = upload(staff_client, out)

    errors = response.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [(2, "名称")]
    assert "公式" in response.content.decode()


def test_export_then_import_through_the_admin_changes_nothing(staff_client):
    OrganizationFactory.create_batch(12)
    OrganizationFactory(org_type=OrganizationType.SOCIAL_GROUP, is_industry_association=True)
    history = HistoricalOrganization.objects.count()
    content = b"".join(staff_client.get(EXPORT).streaming_content)

    preview = upload(staff_client, io.BytesIO(content))

    result = preview.context["result"]
    assert (result.to_create, result.to_update, result.unchanged, result.errors) == (0, 0, 13, [])
    assert "token" not in preview.context  # nothing to confirm
    assert "完全一致" in preview.content.decode()
    assert HistoricalOrganization.objects.count() == history


def test_row_links_of_a_searched_list_keep_its_filters_as_django_would(staff_client):
    """The row links carry `_changelist_filters` (common.admin_changelist) exactly as Django's
    per-row `add_preserved_filters` writes them, and editing returns to the filtered list."""
    from django.contrib.admin.templatetags.admin_urls import add_preserved_filters

    org = OrganizationFactory(name="春晖助学促进会", org_type=OrganizationType.SOCIAL_GROUP)
    page = staff_client.get(CHANGELIST, {"q": "春晖", "org_type": "social_group"})
    page = page.content.decode()
    change = reverse("admin:registry_organization_change", args=[org.pk])
    filters = urlencode({"q": "春晖", "org_type": "social_group"})
    preserved = urlencode({"_changelist_filters": filters})
    django_url = add_preserved_filters(
        {"preserved_filters": preserved, "opts": Organization._meta}, change
    )
    assert f'href="{django_url}"' in page
    unfiltered = staff_client.get(CHANGELIST).content.decode()
    assert f'href="{change}"' in unfiltered


def test_the_changelist_page_reads_units_and_categories_after_its_rows(staff_client):
    """The page's own query joins nothing (a search of 10,000 matches would join them all
    before keeping 100); units and categories come after it, one query each, and show."""
    orgs = OrganizationFactory.create_batch(3, supervising_unit=SupervisingUnitFactory())
    with CaptureQueriesContext(connection) as ctx:
        page = staff_client.get(CHANGELIST).content.decode()
    rows = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT")
        and 'FROM "registry_organization"' in q["sql"]
        and '"registry_organization"."legal_representative"' in q["sql"]
    ]
    assert rows and all("JOIN" not in sql for sql in rows)
    for org in orgs:
        assert org.supervising_unit.name in page and org.industry_category.name in page


@pytest.mark.parametrize("name", ["春晖助学促进会", 'A&B <"协会">'])
def test_row_checkboxes_are_the_element_django_renders(staff_client, name):
    """The register's row checkbox (common.admin_changelist) is written directly, byte for
    byte the element Django's widget renders, escaping included; the page carries it."""
    org = OrganizationFactory(name=name)
    model_admin = admin.site._registry[Organization]
    assert model_admin.action_checkbox(org) == admin.ModelAdmin.action_checkbox(model_admin, org)
    page = staff_client.get(CHANGELIST).content.decode()
    assert model_admin.action_checkbox(org) in page


def test_a_list_beyond_the_exact_count_limit_shows_the_planners_estimate(staff_client, settings):
    """Within ADMIN_EXACT_COUNT_LIMIT the total is counted; beyond it (here: any list) the
    planner's estimate is shown, marked 约, and no COUNT(*) runs for it (PostgreSQL)."""
    OrganizationFactory.create_batch(3, org_type=OrganizationType.SOCIAL_GROUP)
    page = staff_client.get(CHANGELIST, {"q": "协会"}).content.decode()
    assert "约 " not in page
    settings.ADMIN_EXACT_COUNT_LIMIT = 0
    with CaptureQueriesContext(connection) as ctx:
        response = staff_client.get(CHANGELIST)
    page = response.content.decode()
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"].upper()]
    if connection.vendor == "postgresql":
        assert '<p class="paginator">' in page and "约 " in page
        assert counts == []
    else:  # no planner estimate: counted as before
        assert "约 " not in page
    assert page.count("/change/") >= 3  # the rows themselves are shown


def test_an_empty_scope_is_counted_as_nothing_without_asking_the_planner():
    """A caller whose scope is empty gets `.none()`, which has no SQL to EXPLAIN."""
    from common.admin_changelist import EstimatedCountPaginator
    from common.planner import planner_row_estimate

    nothing = Organization.objects.none().order_by("pk")
    assert EstimatedCountPaginator(nothing, 100).count == 0
    if connection.vendor == "postgresql":
        assert planner_row_estimate(nothing) == 0
