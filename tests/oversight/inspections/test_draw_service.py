"""The draw as a service on the real database: commit, reveal, immutability, verification,
idempotency and concurrency (DESIGN.md §4.2, R-INS-02/04/08/10)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError

from oversight.inspections.choices import DrawKind, DrawStatus, DrawStratification
from oversight.inspections.draw_services import inspection_draw_create, inspection_draw_execute
from oversight.inspections.models import Inspection, InspectionAssignment, InspectionDraw
from oversight.inspections.services import inspection_transition
from registry.models import Organization
from tests.oversight.factories import InspectorConflictFactory, InspectorFactory
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

D = datetime.date
AS_OF = D(2022, 6, 1)
KNOWN_AT = datetime.datetime(2022, 6, 1, 21, 30, tzinfo=datetime.UTC)


@pytest.fixture
def register(db):
    unit = SupervisingUnitFactory(code="FT-JYJ", name="区教育局")
    orgs = [OrganizationFactory(supervising_unit=unit) for _ in range(20)]
    orgs += [OrganizationFactory(org_type="social_group") for _ in range(5)]
    OrganizationFactory(established_on=D(2023, 1, 1))  # not yet registered on AS_OF
    inspectors = [InspectorFactory() for _ in range(6)]
    return {"unit": unit, "orgs": orgs, "inspectors": inspectors}


def create(**kw):
    defaults = {"kind": DrawKind.ANNUAL_REPORT_AUDIT, "year": 2021, "as_of": AS_OF}
    draw, _ = inspection_draw_create(**{**defaults, **kw})
    return draw


def independent_selection(nonce: bytes, public_value: str, codes: list[str], k: int) -> list[str]:
    seed = hashlib.sha256(nonce + public_value.encode()).digest()
    ranked = sorted(
        sorted(codes),
        key=lambda u: (
            int.from_bytes(hmac.new(seed, u.encode("ascii"), "sha256").digest(), "big"),
            u,
        ),
    )
    return ranked[:k]


def test_commit_freezes_and_hashes_the_population(register):
    draw = create()
    codes = sorted(o.uscc for o in register["orgs"])
    assert draw.population_size == 25 and draw.sample_size == 3  # 25 × 0.10 = 2.5 → 3
    assert draw.population_text == "\n".join(codes)
    assert draw.population_hash == hashlib.sha256("\n".join(codes).encode()).hexdigest()
    assert draw.roster_text == "\n".join(sorted(i.code for i in register["inspectors"]))
    assert (
        draw.nonce_hash
        == hashlib.sha256(b"socialorg-draw/1:commit:" + bytes(draw.nonce)).hexdigest()
    )
    assert draw.status == DrawStatus.CREATED and draw.seed == ""
    assert not draw.inspections.exists()


def test_ratio_below_three_percent_warns_r_ins_02(register):
    draw = create(ratio=Decimal("0.02"))
    assert "3%" in draw.ratio_warning and draw.sample_size == 1


def test_execute_selects_like_an_independent_implementation(register):
    draw = create(public_value_source="某彩票 2022001 期开奖号码", public_value_known_at=KNOWN_AT)
    draw, executed = inspection_draw_execute(draw_id=draw.pk, public_value="03 17 22")
    assert executed and draw.status == DrawStatus.EXECUTED
    expected = independent_selection(
        bytes(draw.nonce), "03 17 22", draw.population_text.split("\n"), draw.sample_size
    )
    stored = list(
        draw.inspections.order_by("position").values_list("organization__uscc", flat=True)
    )
    assert stored == expected
    for inspection in draw.inspections.all():
        assert inspection.assignments.count() == 2  # R-INS-04


def test_declared_public_value_is_required_to_execute(register):
    draw = create(public_value_source="某彩票 2022001 期开奖号码", public_value_known_at=KNOWN_AT)
    with pytest.raises(ValidationError, match="公开随机值"):
        inspection_draw_execute(draw_id=draw.pk, public_value="")
    draw.refresh_from_db()
    assert draw.status == DrawStatus.CREATED


def test_conflicted_inspectors_are_never_assigned(register):
    org = register["orgs"][0]
    conflicted = register["inspectors"][:3]
    for inspector in conflicted:
        InspectorConflictFactory(inspector=inspector, organization=org)
    unit_conflicted = register["inspectors"][3]
    InspectorConflictFactory(
        inspector=unit_conflicted, organization=None, supervising_unit=register["unit"]
    )
    draw = create(ratio=Decimal("1"))
    inspection_draw_execute(draw_id=draw.pk)
    assigned = set(
        InspectionAssignment.objects.filter(inspection__organization=org).values_list(
            "inspector__code", flat=True
        )
    )
    assert assigned and assigned.isdisjoint({i.code for i in conflicted} | {unit_conflicted.code})
    unit_orgs = InspectionAssignment.objects.filter(
        inspection__organization__supervising_unit=register["unit"]
    )
    assert not unit_orgs.filter(inspector=unit_conflicted).exists()


def test_ended_conflict_no_longer_excludes(register):
    org = register["orgs"][0]
    for inspector in register["inspectors"][:5]:
        InspectorConflictFactory(inspector=inspector, organization=org, ended_on=D(2022, 1, 1))
    draw = create()
    assert draw.conflicts_text == ""


def test_fewer_than_two_eligible_inspectors_refuses_the_draw(register):
    org = register["orgs"][0]
    for inspector in register["inspectors"][:5]:
        InspectorConflictFactory(inspector=inspector, organization=org)
    with pytest.raises(ValidationError, match="R-INS-04"):
        create()
    assert not InspectionDraw.objects.exists()


def test_load_bound_holds(register):
    draw = create(ratio=Decimal("1"))
    inspection_draw_execute(draw_id=draw.pk)
    loads = {}
    for code in InspectionAssignment.objects.values_list("inspector__code", flat=True):
        loads[code] = loads.get(code, 0) + 1
    bound = -(-2 * draw.sample_size // len(register["inspectors"])) + 1
    assert max(loads.values()) <= bound


def test_stratified_draw_allocates_by_largest_remainder(register):
    draw = create(stratify_by=DrawStratification.TYPE, ratio=Decimal("0.5"))
    inspection_draw_execute(draw_id=draw.pk)
    by_stratum = dict(
        Inspection.objects.filter(draw=draw)
        .values_list("stratum")
        .annotate(n=__import__("django.db.models", fromlist=["Count"]).Count("id"))
    )
    # N=25, k=13: 民非 20 → 10.4, 社团 5 → 2.6; floors 10 + 2, the seat goes to 社团 (.6 > .4).
    assert by_stratum == {"private_non_enterprise": 10, "social_group": 3}


def test_create_twice_makes_one_draw(register):
    first = create()
    second = create(ratio=Decimal("0.5"))
    assert first.pk == second.pk and InspectionDraw.objects.count() == 1


def test_execute_twice_executes_once_and_cannot_reseed(register):
    draw = create(public_value_source="某彩票 2022001 期开奖号码", public_value_known_at=KNOWN_AT)
    draw, _ = inspection_draw_execute(draw_id=draw.pk, public_value="x")
    again, executed = inspection_draw_execute(draw_id=draw.pk, public_value="x")
    assert not executed and again.seed == draw.seed
    with pytest.raises(ValidationError, match="不能重新执行"):
        inspection_draw_execute(draw_id=draw.pk, public_value="y")
    assert Inspection.objects.filter(draw=draw).count() == draw.sample_size


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE oversight_inspectiondraw SET seed = 'x' WHERE id = %s",
        "UPDATE oversight_inspectiondraw SET public_value = 'other' WHERE id = %s",
        "DELETE FROM oversight_inspectiondraw WHERE id = %s",
        "DELETE FROM oversight_inspectionassignment WHERE inspection_id IN "
        "(SELECT id FROM oversight_inspection WHERE draw_id = %s)",
        "UPDATE oversight_inspectionassignment SET position = position + 10 WHERE inspection_id IN "
        "(SELECT id FROM oversight_inspection WHERE draw_id = %s)",
        "DELETE FROM oversight_inspection WHERE draw_id = %s",
        "UPDATE oversight_inspection SET position = position + 100 WHERE draw_id = %s",
    ],
)
def test_executed_draw_is_immutable_at_the_sql_level(register, sql):
    draw = create()
    inspection_draw_execute(draw_id=draw.pk)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [draw.pk])


@pytest.mark.parametrize("table", ["inspection", "assignment"])
def test_no_row_can_be_added_to_an_executed_draw_even_by_copy_or_insert(register, table):
    # The insert guards are statement-level (one check per COPY of a national draw): a row
    # added to an executed draw, valid in every other respect, still fails the statement.
    draw = create()
    inspection_draw_execute(draw_id=draw.pk)
    inspection = Inspection.objects.filter(draw=draw).first()
    if table == "inspection":
        drawn = Inspection.objects.filter(draw=draw).values("organization_id")
        outsider = Organization.objects.exclude(pk__in=drawn).first()
        columns = [f.column for f in Inspection._meta.concrete_fields if not f.primary_key]
        values = [
            {"organization_id": "%s", "position": "position + 100000"}.get(c, c) for c in columns
        ]
        sql = (
            f"INSERT INTO oversight_inspection ({', '.join(columns)}) "
            f"SELECT {', '.join(values)} FROM oversight_inspection WHERE id = %s"
        )
        params = [outsider.pk, inspection.pk]
    else:
        sql = (
            "INSERT INTO oversight_inspectionassignment (inspection_id, inspector_id, position) "
            "VALUES (%s, %s, 99)"
        )
        params = [inspection.pk, InspectorFactory().pk]  # a new inspector: no duplicate
    with (
        pytest.raises(DatabaseError, match="不可更改"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def test_workflow_columns_stay_writable_by_sql_after_execution(register):
    # The row triggers fire on every UPDATE; they must let the inspection's own work through.
    draw = create()
    inspection_draw_execute(draw_id=draw.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE oversight_inspection SET findings = 'x', status = 'in_progress' "
            "WHERE draw_id = %s",
            [draw.pk],
        )
        assert cursor.rowcount == draw.sample_size


def test_inspection_workflow_fields_stay_editable_after_execution(register):
    draw = create()
    inspection_draw_execute(draw_id=draw.pk)
    inspection = draw.inspections.first()
    inspection_transition(inspection=inspection, to="in_progress", on=D(2022, 7, 1))
    inspection.refresh_from_db()
    assert inspection.status == "in_progress"


def test_verify_draw_ok_then_detects_a_tampered_row(register, capsys):
    draw = create(public_value_source="某彩票 2022001 期开奖号码", public_value_known_at=KNOWN_AT)
    inspection_draw_execute(draw_id=draw.pk, public_value="pv")
    call_command("verify_draw", draw.pk)
    assert "OK" in capsys.readouterr().out
    inspection = draw.inspections.order_by("position").first()
    other = next(
        i for i in register["inspectors"] if not inspection.assignments.filter(inspector=i).exists()
    )
    with connection.cursor() as cursor:
        # What a DBA bypassing the application could do: disable the guard, swap an inspector.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE oversight_inspectionassignment SET inspector_id = %s WHERE inspection_id = %s "
            "AND position = 1",
            [other.pk, inspection.pk],
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    with pytest.raises(CommandError) as exc:
        call_command("verify_draw", draw.pk)
    assert exc.value.returncode == 1  # the exit code of `manage.py verify_draw`
    assert inspection.organization.uscc in capsys.readouterr().out


def test_verify_draw_detects_a_tampered_population(register, capsys):
    draw = create()
    inspection_draw_execute(draw_id=draw.pk)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE oversight_inspectiondraw SET population_text = population_text || %s WHERE id = %s",
            ["\n59440304MJX0000000", draw.pk],
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    with pytest.raises(CommandError):
        call_command("verify_draw", draw.pk)
    assert "名录" in capsys.readouterr().out


def test_draw_sample_command_prints_id_n_k_hash_and_seed(register, capsys):
    call_command(
        "draw_sample", "--kind", "annual_report_audit", "--year", "2021", "--as-of", "2022-06-01"
    )
    out = capsys.readouterr().out
    draw = InspectionDraw.objects.get()
    for fragment in (
        f"id={draw.pk}",
        "N=25",
        "k=3",
        f"population_sha256={draw.population_hash}",
        f"seed={draw.seed}",
    ):
        assert fragment in out


def test_create_only_then_execute_draw_command(register, capsys):
    call_command(
        "draw_sample",
        "--kind",
        "special_inspection",
        "--year",
        "2022",
        "--create-only",
        "--public-value-source",
        "某彩票 2022050 期",
        "--public-value-known-at",
        "2022-05-01T21:30",
    )
    draw = InspectionDraw.objects.get()
    assert "seed=" not in capsys.readouterr().out and draw.status == DrawStatus.CREATED
    call_command("execute_draw", draw.pk, "--public-value", "09 12 30")
    draw.refresh_from_db()
    assert draw.public_value == "09 12 30" and f"seed={draw.seed}" in capsys.readouterr().out


def _in_threads(target, n=2):
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def run():
        try:
            barrier.wait()
            target()
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_creations_make_one_draw():
    for _ in range(10):
        OrganizationFactory()
    for _ in range(4):
        InspectorFactory()
    errors = _in_threads(lambda: create())
    assert errors == []
    assert InspectionDraw.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_executions_execute_once():
    for _ in range(30):
        OrganizationFactory()
    for _ in range(4):
        InspectorFactory()
    draw = create()
    errors = _in_threads(lambda: inspection_draw_execute(draw_id=draw.pk))
    assert errors == []
    draw.refresh_from_db()
    assert draw.status == DrawStatus.EXECUTED
    assert Inspection.objects.filter(draw=draw).count() == draw.sample_size == 3
    assert InspectionAssignment.objects.filter(inspection__draw=draw).count() == 6
