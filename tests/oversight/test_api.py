"""API of supervision: generic scope tests for the four resources, the department's opinion on
an annual report, draw scope through its inspections, and the nonce kept until execution."""

from __future__ import annotations

import datetime
import hashlib
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.testing.api import (
    ScopedAPITestCase,
    make_department_user,
    make_staff_user,
    token_client,
)
from oversight.annual_reports.choices import AnnualReportStatus
from oversight.annual_reports.models import AnnualReport
from oversight.annual_reports.services import annual_report_record_opinion, annual_report_submit
from oversight.inspections.choices import DrawKind, DrawStatus, InspectionStatus
from oversight.inspections.draw_services import inspection_draw_create, inspection_draw_execute
from oversight.inspections.models import Audit, Inspection, InspectionAssignment, InspectionDraw
from oversight.inspections.services import inspection_transition, inspection_verify_rectification
from tests.oversight.factories import AuditFactory, InspectorFactory
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

D = datetime.date
_rounds = itertools.count(1)


def make_report(*, organization, year: int = 2023, **kw) -> AnnualReport:
    return annual_report_submit(
        organization=organization, year=year, submitted_on=D(year + 1, 3, 1), **kw
    )


def make_executed_draw(*, organizations, inspectors) -> InspectionDraw:
    """An executed draw that selected exactly `organizations`, written row by row: the generic
    tests need draws whose selection they choose (the service draws from the whole register).
    Rows are inserted while the draw is `created`, as the service does, then it is executed."""
    codes = sorted(o.uscc for o in organizations)
    nonce = hashlib.sha256(str(next(_rounds)).encode()).digest()
    draw = InspectionDraw.objects.create(
        kind=DrawKind.SPECIAL_INSPECTION,
        year=2023,
        round=next(_rounds),
        ratio=Decimal("1"),
        population_rule="测试名录",
        population_as_of=D(2023, 6, 1),
        population_size=len(codes),
        sample_size=len(codes),
        population_text="\n".join(codes),
        population_hash=hashlib.sha256("\n".join(codes).encode()).hexdigest(),
        roster_text="\n".join(i.code for i in inspectors),
        roster_hash="0" * 64,
        conflicts_hash="0" * 64,
        nonce=nonce,
        nonce_hash=hashlib.sha256(b"socialorg-draw/1:commit:" + nonce).hexdigest(),
    )
    for position, org in enumerate(organizations, start=1):
        inspection = Inspection.objects.create(draw=draw, organization=org, position=position)
        InspectionAssignment.objects.bulk_create(
            InspectionAssignment(inspection=inspection, inspector=inspector, position=i)
            for i, inspector in enumerate(inspectors, start=1)
        )
    draw.status = DrawStatus.EXECUTED
    draw.seed = "1" * 64
    draw.executed_at = timezone.now()
    draw.save()
    return draw


@pytest.fixture
def inspectors(db):
    return [InspectorFactory(), InspectorFactory()]


# ------------------------------------------------------------------ generic scope tests


class TestAnnualReportAPI(ScopedAPITestCase):
    model = AnnualReport
    basename = "annual-report"
    lookup_field = "id"
    # The opinion action has its own tests below (own/other department, staff permission).
    extra_covered_routes = ("annual-report-opinion",)

    def create_unit(self):
        return SupervisingUnitFactory()

    def create_object(self, *, unit):
        return make_report(organization=OrganizationFactory(supervising_unit=unit))


class TestInspectionDrawAPI(ScopedAPITestCase):
    model = InspectionDraw
    basename = "inspection-draw"
    lookup_field = "id"

    def create_unit(self):
        return SupervisingUnitFactory()

    def create_object(self, *, unit):
        if not hasattr(self, "_inspectors"):
            self._inspectors = [InspectorFactory(), InspectorFactory()]
        # Two organizations of the unit in one draw: the draw must still be listed once.
        orgs = OrganizationFactory.create_batch(2, supervising_unit=unit)
        return make_executed_draw(organizations=orgs, inspectors=self._inspectors)


class TestInspectionAPI(ScopedAPITestCase):
    model = Inspection
    basename = "inspection"
    lookup_field = "id"

    def create_unit(self):
        return SupervisingUnitFactory()

    def create_object(self, *, unit):
        if not hasattr(self, "_inspectors"):
            self._inspectors = [InspectorFactory(), InspectorFactory()]
        org = OrganizationFactory(supervising_unit=unit)
        draw = make_executed_draw(organizations=[org], inspectors=self._inspectors)
        return draw.inspections.get()


class TestAuditAPI(ScopedAPITestCase):
    model = Audit
    basename = "audit"
    lookup_field = "id"

    def create_unit(self):
        return SupervisingUnitFactory()

    def create_object(self, *, unit):
        return AuditFactory(organization=OrganizationFactory(supervising_unit=unit))


# ------------------------------------------------------------------ annual-report opinion


def opinion_url(report) -> str:
    return f"/api/v1/annual-reports/{report.pk}/opinion/"


@pytest.fixture
def unit_a(db):
    return SupervisingUnitFactory(code="JYJ", name="区教育局")


@pytest.fixture
def unit_b(db):
    return SupervisingUnitFactory(code="WJJ", name="区卫生健康局")


@pytest.mark.django_db
def test_department_records_its_opinion_on_its_own_report(unit_a):
    report = make_report(organization=OrganizationFactory(supervising_unit=unit_a))
    user = make_department_user(unit=unit_a)
    response = token_client(user).post(
        opinion_url(report), {"opinion": "agree", "remarks": "材料齐全"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == AnnualReportStatus.AWAITING_REVIEW
    assert body["status_display"] == "待登记管理机关审查"
    assert body["supervisor_opinion"] == "agree" and body["supervisor_opinion_display"] == "同意"
    assert body["organization"] == {
        "uscc": report.organization.uscc,
        "name": report.organization.name,
    }
    report.refresh_from_db()
    assert report.status == AnnualReportStatus.AWAITING_REVIEW
    assert report.supervisor_opinion_by == user and report.supervisor_remarks == "材料齐全"


@pytest.mark.django_db
def test_opinion_on_another_departments_report_is_404_and_changes_nothing(unit_a, unit_b):
    report = make_report(organization=OrganizationFactory(supervising_unit=unit_b))
    client = token_client(make_department_user(unit=unit_a))
    response = client.post(opinion_url(report), {"opinion": "agree"}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}
    report.refresh_from_db()
    assert report.status == AnnualReportStatus.AWAITING_OPINION
    assert report.supervisor_opinion == ""


@pytest.mark.django_db
def test_second_opinion_is_400_naming_the_status(unit_a):
    report = make_report(organization=OrganizationFactory(supervising_unit=unit_a))
    client = token_client(make_department_user(unit=unit_a))
    assert client.post(opinion_url(report), {"opinion": "agree"}, format="json").status_code == 200
    response = client.post(
        opinion_url(report), {"opinion": "disagree", "remarks": "改主意"}, format="json"
    )
    assert response.status_code == 400
    assert "待登记管理机关审查" in response.json()["opinion"][0]
    report.refresh_from_db()
    assert report.supervisor_opinion == "agree"


@pytest.mark.django_db
def test_disagreement_without_remarks_is_400_keyed_remarks(unit_a):
    report = make_report(organization=OrganizationFactory(supervising_unit=unit_a))
    client = token_client(make_department_user(unit=unit_a))
    response = client.post(opinion_url(report), {"opinion": "disagree"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["remarks"]
    report.refresh_from_db()
    assert report.status == AnnualReportStatus.AWAITING_OPINION


@pytest.mark.django_db
def test_opinion_must_be_agree_or_disagree(unit_a):
    report = make_report(organization=OrganizationFactory(supervising_unit=unit_a))
    client = token_client(make_department_user(unit=unit_a))
    response = client.post(opinion_url(report), {"opinion": "maybe"}, format="json")
    assert response.status_code == 400 and "opinion" in response.json()


@pytest.mark.django_db
def test_staff_needs_change_permission_to_record_an_opinion(unit_a):
    report = make_report(organization=OrganizationFactory(supervising_unit=unit_a))
    viewer = token_client(make_staff_user(perms=["oversight.view_annualreport"]))
    assert viewer.post(opinion_url(report), {"opinion": "agree"}, format="json").status_code == 403
    report.refresh_from_db()
    assert report.status == AnnualReportStatus.AWAITING_OPINION
    editor = token_client(
        make_staff_user(perms=["oversight.view_annualreport", "oversight.change_annualreport"])
    )
    assert editor.post(opinion_url(report), {"opinion": "agree"}, format="json").status_code == 200


@pytest.mark.django_db
def test_annual_report_filters(unit_a, unit_b):
    org_a = OrganizationFactory(supervising_unit=unit_a)
    r2022 = make_report(organization=org_a, year=2022)
    r2023 = make_report(organization=org_a, year=2023)
    other = make_report(organization=OrganizationFactory(supervising_unit=unit_b), year=2023)
    annual_report_record_opinion(report=r2023, opinion="agree")
    client = token_client(make_staff_user(perms=["oversight.view_annualreport"]))

    def ids(**params):
        response = client.get("/api/v1/annual-reports/", params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(year=2023) == {r2023.pk, other.pk}
    assert ids(status="awaiting_review") == {r2023.pk}
    assert ids(organization_uscc=org_a.uscc) == {r2022.pk, r2023.pk}
    assert ids(supervising_unit_code="WJJ") == {other.pk}
    assert ids(submitted_before="2023-12-31") == {r2022.pk}
    assert ids(submitted_after="2024-01-01") == {r2023.pk, other.pk}


# ------------------------------------------------------------------ draws and inspections


@pytest.fixture
def shared_draw(unit_a, unit_b, inspectors):
    """A draw made by the services (ratio 1) that selected two organizations of unit A and
    one of unit B; a third unit has none in it."""
    orgs_a = OrganizationFactory.create_batch(2, supervising_unit=unit_a)
    org_b = OrganizationFactory(supervising_unit=unit_b)
    draw, _ = inspection_draw_create(
        kind=DrawKind.ANNUAL_REPORT_AUDIT, year=2023, ratio=Decimal("1"), as_of=D(2024, 6, 1)
    )
    draw, _ = inspection_draw_execute(draw_id=draw.pk)
    return draw, orgs_a, org_b


@pytest.mark.django_db
def test_department_sees_only_its_own_inspections_of_a_shared_draw(shared_draw, unit_a, unit_b):
    draw, orgs_a, org_b = shared_draw
    client = token_client(make_department_user(unit=unit_a))
    response = client.get("/api/v1/inspections/", {"draw": draw.pk})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {row["organization"]["uscc"] for row in rows} == {o.uscc for o in orgs_a}
    other = draw.inspections.get(organization=org_b)
    assert client.get(f"/api/v1/inspections/{other.pk}/").status_code == 404
    # Unit B sees its one inspection of the same draw, with its inspectors in order.
    client_b = token_client(make_department_user(unit=unit_b))
    body = client_b.get(f"/api/v1/inspections/{other.pk}/").json()
    expected = list(
        other.assignments.order_by("position").values_list("inspector__code", flat=True)
    )
    assert [i["code"] for i in body["inspectors"]] == expected and len(expected) == 2
    assert body["draw"] == {
        "id": draw.pk,
        "kind": "annual_report_audit",
        "kind_display": "年度报告抽查",
        "year": 2023,
        "round": 1,
    }
    assert body["status"] == InspectionStatus.PENDING


@pytest.mark.django_db
def test_department_sees_a_draw_once_and_only_when_one_of_its_organizations_was_drawn(
    shared_draw, unit_a
):
    draw, _orgs_a, _org_b = shared_draw
    client = token_client(make_department_user(unit=unit_a))
    listing = client.get("/api/v1/inspection-draws/").json()
    assert listing["count"] == 1 and [d["id"] for d in listing["results"]] == [draw.pk]
    assert client.get(f"/api/v1/inspection-draws/{draw.pk}/").status_code == 200
    outsider = token_client(make_department_user(unit=SupervisingUnitFactory()))
    assert outsider.get(f"/api/v1/inspection-draws/{draw.pk}/").status_code == 404
    assert outsider.get("/api/v1/inspection-draws/").json()["count"] == 0


@pytest.mark.django_db
def test_nonce_is_absent_until_the_draw_is_executed(unit_a, inspectors):
    OrganizationFactory.create_batch(3, supervising_unit=unit_a)
    draw, _ = inspection_draw_create(
        kind=DrawKind.ANNUAL_REPORT_AUDIT,
        year=2023,
        ratio=Decimal("1"),
        as_of=D(2024, 6, 1),
        public_value_source="某彩票 2024100 期开奖号码",
        public_value_known_at=datetime.datetime(2024, 6, 1, 21, 30, tzinfo=datetime.UTC),
    )
    client = token_client(make_staff_user(perms=["oversight.view_inspectiondraw"]))
    url = f"/api/v1/inspection-draws/{draw.pk}/"
    before = client.get(url).json()
    assert before["status"] == "created"
    assert (
        before["nonce_hash"]
        == hashlib.sha256(
            b"socialorg-draw/1:commit:"
            + bytes(draw.nonce)
            + b"\x1f"
            + "某彩票 2024100 期开奖号码\n2024-06-02T05:30+08:00".encode()
        ).hexdigest()
    )
    assert before["population_size"] == 3 and before["sample_size"] == 3
    for hidden in ("nonce", "public_value", "seed", "executed_at"):
        assert hidden not in before
    assert bytes(draw.nonce).hex() not in client.get(url).content.decode()
    assert bytes(draw.nonce).hex() not in client.get("/api/v1/inspection-draws/").content.decode()

    inspection_draw_execute(draw_id=draw.pk, public_value="03 17 22")
    draw.refresh_from_db()
    after = client.get(url).json()
    assert after["status"] == "executed"
    assert after["nonce"] == bytes(draw.nonce).hex()
    assert (
        hashlib.sha256(
            b"socialorg-draw/1:commit:"
            + bytes.fromhex(after["nonce"])
            + b"\x1f"
            + "某彩票 2024100 期开奖号码\n2024-06-02T05:30+08:00".encode()
        ).hexdigest()
        == after["nonce_hash"]
    )
    assert after["public_value"] == "03 17 22" and after["seed"] == draw.seed
    assert after["executed_at"]


@pytest.mark.django_db
def test_draw_list_never_carries_the_frozen_texts(shared_draw):
    draw, *_ = shared_draw
    client = token_client(make_staff_user(perms=["oversight.view_inspectiondraw"]))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/inspection-draws/")
    row = response.json()["results"][0]
    assert row["id"] == draw.pk and row["population_hash"] == draw.population_hash
    assert not {"population_text", "roster_text", "conflicts_text", "strata_text"} & set(row)
    page_sql = [q["sql"] for q in ctx.captured_queries if "oversight_inspectiondraw" in q["sql"]]
    assert page_sql and not any("population_text" in sql for sql in page_sql)


@pytest.mark.django_db
def test_inspection_filters_including_overdue_rectification(unit_a, inspectors):
    orgs = OrganizationFactory.create_batch(3, supervising_unit=unit_a)
    draw = make_executed_draw(organizations=orgs, inspectors=inspectors)
    overdue, verified, pending = (draw.inspections.get(organization=o) for o in orgs)
    today = timezone.localdate()
    for inspection in (overdue, verified):
        inspection_transition(
            inspection=inspection, to="in_progress", on=today - datetime.timedelta(days=60)
        )
        inspection_transition(
            inspection=inspection,
            to="completed",
            on=today - datetime.timedelta(days=50),
            outcome="rectification_required",
            rectification_deadline=today - datetime.timedelta(days=10),
        )
    inspection_verify_rectification(inspection=verified, on=today - datetime.timedelta(days=20))
    client = token_client(make_department_user(unit=unit_a))

    def ids(**params):
        response = client.get("/api/v1/inspections/", params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(overdue_rectification="true") == {overdue.pk}
    assert ids(overdue_rectification="false") == {verified.pk, pending.pk}
    assert ids(status="pending") == {pending.pk}
    assert ids(outcome="rectification_required") == {overdue.pk, verified.pk}
    assert ids(draw=draw.pk, organization_uscc=orgs[0].uscc) == {overdue.pk}
    assert ids(year=2022) == set()


# ------------------------------------------------------------------ audits


@pytest.mark.django_db
def test_audit_shape_and_completed_filter(unit_a):
    org = OrganizationFactory(supervising_unit=unit_a)
    done = AuditFactory(organization=org, subject_person="李四", conclusion="账实相符")
    open_ = AuditFactory(organization=org, completed_on=None, report_no="")
    client = token_client(make_department_user(unit=unit_a))
    body = client.get(f"/api/v1/audits/{done.pk}/").json()
    assert body["organization"] == {"uscc": org.uscc, "name": org.name}
    assert body["kind_display"] == "注销清算审计" and body["subject_person"] == "李四"
    assert body["report_no"] == done.report_no and body["report_file"] is None

    def ids(**params):
        return {row["id"] for row in client.get("/api/v1/audits/", params).json()["results"]}

    assert ids(completed="true") == {done.pk}
    assert ids(completed="false") == {open_.pk}
    assert ids(kind="departure") == set()
