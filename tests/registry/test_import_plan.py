"""Issue 14: the register import validates its rows once. The admin's commit writes the plan
its preview kept (registry.import_plan) when nothing it was drawn from has changed, and
validates the file again when something has."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from common.sheet_memo import SheetMemo
from registry.choices import LifecycleStatus, OrganizationType
from registry.models import Organization, SupervisingUnit
from registry.services import organization_transition
from tests.registry.factories import (
    OrganizationFactory,
    SupervisingUnitFactory,
    organization_sheet_row,
    xlsx_file,
)
from tests.registry.test_background_jobs import _phone_sheet, _registry_admin

pytestmark = pytest.mark.django_db


def _store(data: bytes) -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    name = _registry_admin().excel_upload_name(token)
    default_storage.save(name, ContentFile(data))
    return token, name


def _run(token: str, phase: str, actor=None):
    outcome = _registry_admin().excel_import_run(token=token, actor=actor, phase=phase)
    assert "error" not in outcome, outcome
    return outcome["result"]


def _preview(data: bytes, actor=None) -> tuple[str, str]:
    token, name = _store(data)
    result = _run(token, "preview", actor)
    assert result.is_valid, result.errors
    return token, name


def _new_row(unit: SupervisingUnit, **overrides) -> list:
    row = organization_sheet_row(
        **{
            "业务主管单位": unit.name,
            "注册资金（元）": "30000.50",
            "成立日期": datetime.date(2024, 5, 6),
            **overrides,
        }
    )
    return list(row.values())


def _phone_rows(orgs, phone: str) -> list[list]:
    from openpyxl import load_workbook

    book = load_workbook(_phone_sheet(orgs, phone))
    return [list(row) for row in book.active.iter_rows(min_row=2, values_only=True)]


def test_the_commit_writes_the_previews_plan_when_nothing_changed(staff_user):
    orgs = OrganizationFactory.create_batch(3)
    unit = SupervisingUnitFactory()
    new = _new_row(unit)
    token, name = _preview(xlsx_file([*_phone_rows(orgs, "0755-7"), new]).getvalue())
    assert SheetMemo.loads(default_storage.open(name + ".sheet", "rb").read()).plan

    result = _run(token, "commit", staff_user)

    assert result.committed and result.plan_reused
    assert (result.created, result.updated, result.errors) == (1, 3, [])
    assert Organization.objects.filter(phone="0755-7").count() == 3
    created = Organization.objects.get(uscc=new[0])
    # Every kind of value survives the kept plan: money, date, a unit by id, a category.
    assert created.registered_capital == Decimal("30000.50")
    assert created.established_on == datetime.date(2024, 5, 6)
    assert created.supervising_unit == unit and created.industry_category_id
    assert created.history.latest().history_user == staff_user


def test_a_row_written_after_the_preview_is_validated_again_against_what_is_there(staff_user):
    org, other = OrganizationFactory.create_batch(2)
    token, _ = _preview(_phone_sheet([org, other], "0755-8").getvalue())
    # Between the preview and the confirmation another clerk accepts its deregistration.
    organization_transition(organization=org, to=LifecycleStatus.DEREGISTERING)

    result = _run(token, "commit", staff_user)

    assert not result.committed and not result.plan_reused
    assert [(e.row, e.column) for e in result.errors] == [(2, "登记状态")]
    assert not Organization.objects.filter(phone="0755-8").exists()


def test_a_set_based_write_after_the_preview_also_counts_as_a_change(staff_user):
    org = OrganizationFactory(domicile="旧址")
    token, _ = _preview(_phone_sheet([org], "0755-9").getvalue())
    # Not through a service: an UPDATE by a batch job or by hand moves the row version too.
    Organization.objects.filter(pk=org.pk).update(domicile="新址")

    result = _run(token, "commit", staff_user)

    assert result.committed and not result.plan_reused
    org.refresh_from_db()
    # The file still says 旧址: validated again, the row carries it back, with the phone.
    assert (org.phone, org.domicile) == ("0755-9", "旧址")


def test_a_code_registered_after_the_preview_is_not_registered_twice(staff_user):
    unit = SupervisingUnitFactory()
    new = _new_row(unit, **{"名称": "福田区晚到协会"})
    token, _ = _preview(xlsx_file([new]).getvalue())
    # Registered by someone else meanwhile (organization_sheet_row's type: 民办非企业单位).
    OrganizationFactory(
        uscc=new[0], name="福田区晚到协会", org_type=OrganizationType.PRIVATE_NON_ENTERPRISE
    )

    result = _run(token, "commit", staff_user)

    assert not result.plan_reused
    assert result.created == 0
    assert Organization.objects.filter(uscc=new[0]).count() == 1


def test_a_unit_renamed_after_the_preview_sends_its_rows_back_to_validation(staff_user):
    unit = SupervisingUnitFactory(name="福田区教育局")
    token, _ = _preview(xlsx_file([_new_row(unit)]).getvalue())
    SupervisingUnit.objects.filter(pk=unit.pk).update(name="福田区教育局（更名）")

    result = _run(token, "commit", staff_user)

    assert not result.committed and not result.plan_reused
    assert [e.column for e in result.errors] == ["业务主管单位"]


def test_the_rules_of_change_run_again_on_the_locked_rows(staff_user):
    from oversight.inspections.choices import AuditKind
    from oversight.inspections.models import Audit
    from tests.oversight.factories import AuditFactory
    from tests.registry.test_excel_import import row_of

    org = OrganizationFactory(legal_representative="张三")
    audit = AuditFactory(
        organization=org,
        kind=AuditKind.DEPARTURE,
        subject_person="张三",
        completed_on=timezone.localdate(),
    )
    row = row_of(org, **{"法定代表人": "赵六"})
    token, _ = _preview(xlsx_file([list(row.values())]).getvalue())
    # The departure audit the preview relied on is corrected to name another person
    # (R-AUD-01): the row is unchanged and the plan kept, but the rule reads the audits
    # again and refuses.
    Audit.objects.filter(pk=audit.pk).update(subject_person="李四")

    result = _run(token, "commit", staff_user)

    assert not result.committed
    assert [e.column for e in result.errors] == ["法定代表人"]
    org.refresh_from_db()
    assert org.legal_representative == "张三"


def test_a_plan_kept_on_another_day_is_not_trusted(staff_user):
    orgs = OrganizationFactory.create_batch(2)
    token, name = _preview(_phone_sheet(orgs, "0755-10").getvalue())
    with default_storage.open(name + ".sheet", "rb") as fh:
        memo = SheetMemo.loads(fh.read())
    # The preview ran yesterday (the rules of change are dated): re-signed as this
    # deployment would have, so only the date differs.
    memo.plan["on"] = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    default_storage.delete(name + ".sheet")
    default_storage.save(name + ".sheet", ContentFile(memo.dumps()))

    result = _run(token, "commit", staff_user)

    assert result.committed and not result.plan_reused and result.updated == 2


def test_a_bulk_write_leaves_the_name_index_merge_to_a_task_after_the_commit(
    monkeypatch, django_capture_on_commit_callbacks, staff_user
):
    from django.db import connection

    from registry import bulk
    from registry.imports import organizations_import
    from registry.search import name_indexes_merge, short_name_filter
    from tests.registry.test_excel_import import row_of, sheet

    monkeypatch.setattr(bulk, "NAME_INDEX_DEFER_ROWS", 2)
    orgs = OrganizationFactory.create_batch(2)
    rows = [row_of(org, **{"名称": f"福田区晖映{i}号协会"}) for i, org in enumerate(orgs)]
    with django_capture_on_commit_callbacks() as callbacks:
        result = organizations_import(fileobj=sheet(*rows), actor=staff_user)
        assert result.committed and result.updated == 2
        with connection.cursor() as cursor:
            cursor.execute("SHOW gin_pending_list_limit")
            assert cursor.fetchone()[0] == "4MB"  # back to the default after the write
        # Not merged yet, already found: the pending list is searched with the index.
        found = short_name_filter(Organization.objects.all(), "晖映")
        assert set(found) == set(orgs)
    for callback in callbacks:
        callback()  # the merge task, run eagerly
    assert name_indexes_merge() == 0  # nothing left to merge; a second run is harmless
    assert set(short_name_filter(Organization.objects.all(), "晖映")) == set(orgs)
