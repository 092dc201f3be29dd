"""Admin of the credit intake: penalties and special letters are added (and letters given their
outcome) through the services, with the services' refusals on the form; Excel upload with
preview, confirm and a template; nothing is deleted."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from oversight.credit.imports import PENALTY_COLUMNS
from oversight.credit.models import Penalty, SpecialLetter
from tests.oversight.factories import PenaltyFactory
from tests.registry.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
PENALTIES = "/admin/oversight/penalty/"
LETTERS = "/admin/oversight/specialletter/"
PDF = b"%PDF-1.4\n%scan\n"


def penalty_form(org, **kw):
    return {
        "organization": org.pk,
        "kind": "fine",
        "amount": "3000",
        "decided_on": "2024-03-01",
        "decision_no": "福民罚〔2024〕7号",
        "authority": "深圳市福田区民政局",
        "facts": "违规收费",
        "legal_basis": "《社会团体登记管理条例》第三十条",
        **kw,
    }


def test_add_penalty_with_its_decision_scan(staff_client, staff_user):
    org = OrganizationFactory()
    form = penalty_form(org, evidence=SimpleUploadedFile("决定书.pdf", PDF))
    response = staff_client.post(f"{PENALTIES}add/", form, follow=True)
    assert response.status_code == 200
    p = Penalty.objects.get()
    assert (p.amount, p.authority) == (3000, "深圳市福田区民政局")
    assert p.evidence.name.startswith("credit/penalties/") and p.evidence.read() == PDF
    assert p.history.get().history_user == staff_user
    download = staff_client.get(f"{PENALTIES}{p.pk}/download/evidence/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_add_penalty_refused_with_the_service_words(staff_client):
    org = OrganizationFactory()
    response = staff_client.post(f"{PENALTIES}add/", penalty_form(org, amount="0"))
    assert response.status_code == 200
    assert "罚款须填写金额" in response.content.decode()
    PenaltyFactory(decision_no="福民罚〔2024〕7号")
    response = staff_client.post(f"{PENALTIES}add/", penalty_form(org))
    assert "已登记，文号不能重复" in response.content.decode()
    assert Penalty.objects.count() == 1


def test_penalty_correction_is_history_kept_and_nothing_is_deleted(staff_client):
    p = PenaltyFactory(kind="fine", amount=1000)
    form = penalty_form(p.organization, decision_no=p.decision_no, amount="1500")
    staff_client.post(f"{PENALTIES}{p.pk}/change/", form, follow=True)
    p.refresh_from_db()
    assert p.amount == 1500
    assert p.history.first().history_change_reason == "更正行政处罚记录"
    assert staff_client.get(f"{PENALTIES}{p.pk}/delete/").status_code == 403


def test_letter_added_then_returned_in_the_admin(staff_client):
    org = OrganizationFactory()
    staff_client.post(
        f"{LETTERS}add/",
        {"organization": org.pk, "mailing": 1, "sent_on": "2024-03-01", "tracking_no": "EA1"},
    )
    letter = SpecialLetter.objects.get()
    assert letter.address == org.domicile
    early = staff_client.post(
        f"{LETTERS}add/",
        {"organization": org.pk, "mailing": 2, "sent_on": "2024-03-10", "tracking_no": "EA2"},
    )
    assert "15日后" in early.content.decode()
    staff_client.post(
        f"{LETTERS}{letter.pk}/change/",
        {
            "returned_on": "2024-03-08",
            "return_reason": "moved",
            "return_evidence": SimpleUploadedFile("退件.jpg", b"\xff\xd8\xff\xe0jpeg"),
        },
    )
    letter.refresh_from_db()
    assert letter.returned_on == D(2024, 3, 8) and letter.return_reason == "moved"
    assert letter.return_evidence.name.startswith("credit/letters/")
    assert SpecialLetter.objects.count() == 1


def test_import_preview_confirm_and_template(staff_client):
    org = OrganizationFactory()
    template = staff_client.get(f"{PENALTIES}import/template/")
    assert template.status_code == 200
    wb = load_workbook(io.BytesIO(template.content))
    assert [c.value for c in wb.worksheets[0][1]] == [c.header for c in PENALTY_COLUMNS]
    assert "下载导入模板" in staff_client.get(f"{PENALTIES}import/").content.decode()

    sheet = Workbook()
    sheet.active.append([c.header for c in PENALTY_COLUMNS])
    sheet.active.append([org.uscc, "警告", None, "2024-03-01", "福民罚〔2024〕9号", "福田区民政局"])
    buf = io.BytesIO()
    sheet.save(buf)
    buf.seek(0)
    buf.name = "处罚.xlsx"
    preview = staff_client.post(f"{PENALTIES}import/", {"file": buf})
    assert preview.context["result"].to_create == 1 and not Penalty.objects.exists()
    staff_client.post(
        f"{PENALTIES}import/", {"token": preview.context["token"], "confirm": "确认导入"}
    )
    assert Penalty.objects.get().decision_no == "福民罚〔2024〕9号"
