"""D17 and D16: the public value of a draw is bound at commitment, and draws are labelled by
the year they are drawn with the report year beside them. Also: a draw over an empty
population is refused, and the draw commands refuse bad arguments in Chinese."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from oversight.inspections import draw as draw_algorithm
from oversight.inspections.choices import DrawKind
from oversight.inspections.draw_publication import inspection_draw_verify
from oversight.inspections.draw_services import inspection_draw_create, inspection_draw_execute
from oversight.inspections.models import InspectionDraw
from oversight.inspections.selectors import draw_published_document
from oversight.inspections.tasks import annual_report_audit_draw_task
from tests.oversight.factories import InspectorFactory
from tests.registry.factories import OrganizationFactory

D = datetime.date
VERIFIER = Path(draw_algorithm.__file__).parent / "verifier" / "verify_draw.py"
PAST = datetime.datetime(2022, 6, 1, 21, 30, tzinfo=datetime.UTC)


@pytest.fixture
def register(db):
    OrganizationFactory.create_batch(12, established_on=D(2015, 1, 1))
    InspectorFactory.create_batch(4)


def create(**kw) -> InspectionDraw:
    defaults = {"kind": DrawKind.SPECIAL_INSPECTION, "year": 2022, "as_of": D(2022, 6, 1)}
    draw, _ = inspection_draw_create(**{**defaults, **kw})
    return draw


def test_a_value_for_a_draw_that_declared_none_is_refused_by_the_service(register):
    draw = create()
    with pytest.raises(ValidationError, match="未声明公开随机值来源"):
        inspection_draw_execute(draw_id=draw.pk, public_value="any value I like")
    draw.refresh_from_db()
    assert not draw.is_executed
    draw, executed = inspection_draw_execute(draw_id=draw.pk)
    assert executed and draw.public_value == ""


def test_a_declared_value_is_refused_before_its_time(register):
    later = timezone.now() + datetime.timedelta(days=2)
    draw = create(public_value_source="某公开彩票下期开奖号码", public_value_known_at=later)
    with pytest.raises(ValidationError, match="才公布"):
        inspection_draw_execute(draw_id=draw.pk, public_value="01 02 03")
    assert not InspectionDraw.objects.get(pk=draw.pk).is_executed


def test_source_and_time_are_declared_together(register):
    with pytest.raises(ValidationError, match="一并声明"):
        create(public_value_source="某公开彩票开奖号码")
    with pytest.raises(ValidationError, match="一并声明"):
        create(public_value_known_at=PAST)
    assert not InspectionDraw.objects.exists()


def test_the_declaration_is_inside_the_commitment(register):
    draw = create(public_value_source="某公开彩票 2022060 期", public_value_known_at=PAST)
    nonce = bytes(draw.nonce)
    declaration = "某公开彩票 2022060 期\n" + draw.public_value_known_at_text
    assert draw.nonce_hash == draw_algorithm.nonce_hash(nonce=nonce, declaration=declaration)
    assert draw.nonce_hash != draw_algorithm.nonce_hash(nonce=nonce)
    # Changing the declared source after creation breaks the commitment: verify says so.
    inspection_draw_execute(draw_id=draw.pk, public_value="05 11 23")
    draw.refresh_from_db()
    draw.public_value_source = "另一个来源"
    assert any("随机数" in p for p in inspection_draw_verify(draw=draw))


def test_the_published_document_declares_source_and_time(register, tmp_path):
    draw = create(public_value_source="某公开彩票 2022060 期", public_value_known_at=PAST)
    draw, _ = inspection_draw_execute(draw_id=draw.pk, public_value="05 11 23")
    doc = json.loads(draw_published_document(draw))
    assert doc["public_value_known_at"] == draw.public_value_known_at_text
    assert doc["draw"]["executed_at"]
    for name, text in (("draw.json", json.dumps(doc, ensure_ascii=False)),):
        (tmp_path / name).write_text(text, "utf-8")
    (tmp_path / "population.txt").write_text(draw.population_text, "utf-8")
    (tmp_path / "roster.txt").write_text(draw.roster_text, "utf-8")
    (tmp_path / "conflicts.tsv").write_text(draw.conflicts_text, "utf-8")
    ok = run_verifier(tmp_path)
    assert ok.returncode == 0, ok.stdout
    # A declaration edited in the published file (a later source, say) fails the commitment.
    doc["public_value_source"] = "某公开彩票 2022061 期"
    (tmp_path / "draw.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    tampered = run_verifier(tmp_path)
    assert (tampered.returncode == 1 and "D17" in tampered.stdout) or "承诺" in tampered.stdout


def test_the_verifier_refuses_a_value_without_a_declaration(register, tmp_path):
    draw = create()
    draw, _ = inspection_draw_execute(draw_id=draw.pk)
    doc = json.loads(draw_published_document(draw))
    doc["public_value"] = "chosen later"
    (tmp_path / "draw.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    (tmp_path / "population.txt").write_text(draw.population_text, "utf-8")
    (tmp_path / "roster.txt").write_text(draw.roster_text, "utf-8")
    (tmp_path / "conflicts.tsv").write_text(draw.conflicts_text, "utf-8")
    done = run_verifier(tmp_path)
    assert done.returncode == 1
    assert "D17" in done.stdout


def run_verifier(directory: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-I", str(VERIFIER), "--dir", str(directory)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_draw_over_an_empty_population_is_refused(db):
    InspectorFactory.create_batch(4)
    with pytest.raises(ValidationError, match="总体为空"):
        create(as_of=D(2000, 1, 1))
    assert not InspectionDraw.objects.exists()


def test_the_yearly_task_labels_by_draw_year_with_last_years_reports(register, monkeypatch):
    """D16: on a database holding the 2021 draw (labelled by its draw year, as the demo
    does), the 2022 job makes the 2022 draw instead of finding 2021's and stopping."""
    create(kind=DrawKind.ANNUAL_REPORT_AUDIT, year=2021, as_of=D(2021, 6, 1))
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2022, 6, 1))
    pk = annual_report_audit_draw_task()
    draw = InspectionDraw.objects.get(pk=pk)
    assert (draw.year, draw.report_year) == (2022, 2021) and draw.is_executed
    assert InspectionDraw.objects.filter(kind=DrawKind.ANNUAL_REPORT_AUDIT).count() == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--ratio", "NaN"], "抽查比例"),
        (["--ratio", "1.5"], "抽查比例"),
        (["--as-of", "2022-02-30"], "日期"),
        (["--year", "99999"], "年度"),
        (["--public-value-known-at", "tomorrow"], "时间"),
    ],
)
def test_draw_sample_refuses_bad_arguments_in_chinese(db, argv, message):
    args = ["draw_sample", "--kind", "special_inspection", "--year", "2022", *argv]
    with pytest.raises(CommandError, match=message):
        call_command(*args)


@pytest.mark.parametrize(
    "argv",
    [
        ["execute_draw", "abc"],
        ["verify_draw", "-3"],
        ["run_credit_rules", "--as-of", "2022-13-01"],
        ["detect_zombies", "--as-of", "yesterday"],
    ],
)
def test_supervision_commands_refuse_bad_arguments_without_a_traceback(db, argv):
    with pytest.raises(CommandError):
        call_command(*argv)
