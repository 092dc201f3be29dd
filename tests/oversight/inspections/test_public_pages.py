"""一公开: the public draw pages and files, checked by the stand-alone verifier as a citizen
would run it (DESIGN.md §4.2 Publication, R-INS-07/08)."""

from __future__ import annotations

import datetime
import hashlib
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from oversight.inspections.choices import DrawKind, DrawStratification
from oversight.inspections.draw_services import inspection_draw_create, inspection_draw_execute
from oversight.inspections.services import inspection_publish, inspection_transition
from tests.oversight.factories import InspectorConflictFactory, InspectorFactory
from tests.registry.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
VERIFIER = Path(__file__).resolve().parents[2] / "oversight" / "verifier" / "verify_draw.py"


@pytest.fixture
def draw(db):
    orgs = [OrganizationFactory(name=f"福田区公示测试中心{i}") for i in range(30)]
    orgs += [OrganizationFactory(org_type="social_group") for _ in range(10)]
    inspectors = [InspectorFactory() for _ in range(5)]
    InspectorConflictFactory(inspector=inspectors[0], organization=orgs[0])
    created, _ = inspection_draw_create(
        kind=DrawKind.ANNUAL_REPORT_AUDIT,
        year=2021,
        as_of=datetime.date(2022, 6, 1),
        public_value_source="某公开彩票 2022060 期开奖号码",
        public_value_known_at=datetime.datetime(2022, 6, 1, 21, 30, tzinfo=datetime.UTC),
        stratify_by=DrawStratification.TYPE,
        ratio=Decimal("0.25"),
    )
    return created


def download(client, draw, directory: Path) -> None:
    for name in ("population.txt", "roster.txt", "conflicts.tsv", "strata.tsv", "draw.json"):
        response = client.get(f"/public/inspections/{draw.pk}/{name}")
        assert response.status_code == 200, name
        (directory / name).write_bytes(response.getvalue())
    (directory / "verify_draw.py").write_bytes(
        client.get("/public/inspections/verify_draw.py").content
    )


def run_verifier(directory: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-I", str(directory / "verify_draw.py"), "--dir", str(directory), *extra],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_commitment_is_public_from_creation_without_the_nonce(client, draw):
    page = client.get(f"/public/inspections/{draw.pk}/").content.decode()
    assert draw.population_hash in page and draw.nonce_hash in page
    assert "某公开彩票" in page and "尚未执行" in page
    assert bytes(draw.nonce).hex() not in page
    doc = client.get(f"/public/inspections/{draw.pk}/draw.json").json()
    assert "nonce" not in doc and doc["nonce_sha256"] == draw.nonce_hash
    population = client.get(f"/public/inspections/{draw.pk}/population.txt").getvalue()
    assert hashlib.sha256(population).hexdigest() == draw.population_hash
    listing = client.get("/public/inspections/").content.decode()
    assert draw.population_hash in listing


def test_executed_draw_is_published_and_verifies(client, draw, tmp_path):
    commitment = {
        "population": draw.population_hash,
        "roster": draw.roster_hash,
        "nonce": draw.nonce_hash,
    }
    inspection_draw_execute(draw_id=draw.pk, public_value="05 11 23 28 31")
    draw.refresh_from_db()
    page = client.get(f"/public/inspections/{draw.pk}/").content.decode()
    assert draw.seed in page and bytes(draw.nonce).hex() in page and "05 11 23 28 31" in page
    first = draw.inspections.order_by("position").select_related("organization").first()
    assert first.organization.uscc in page and first.organization.name in page
    download(client, draw, tmp_path)
    result = run_verifier(
        tmp_path,
        "--expected-population-hash",
        commitment["population"],
        "--expected-roster-hash",
        commitment["roster"],
        "--expected-nonce-hash",
        commitment["nonce"],
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK" in result.stdout


@pytest.mark.parametrize("tamper", ["population", "selection", "inspector"])
def test_verifier_fails_on_a_tampered_published_file(client, draw, tmp_path, tamper):
    import json

    inspection_draw_execute(draw_id=draw.pk, public_value="x")
    download(client, draw, tmp_path)
    if tamper == "population":
        lines = (tmp_path / "population.txt").read_text().split("\n")
        (tmp_path / "population.txt").write_text("\n".join(lines[1:]))
    else:
        doc = json.loads((tmp_path / "draw.json").read_text())
        if tamper == "selection":
            selected = {s["uscc"] for s in doc["selection"]}
            outsider = next(
                u
                for u in (tmp_path / "population.txt").read_text().split("\n")
                if u not in selected
            )
            doc["selection"][0]["uscc"] = outsider
        else:
            doc["selection"][0]["inspectors"].reverse()
        (tmp_path / "draw.json").write_text(json.dumps(doc, ensure_ascii=False))
    result = run_verifier(tmp_path)
    assert result.returncode == 1, result.stdout


def test_outcome_shown_only_once_published(client, draw):
    inspection_draw_execute(draw_id=draw.pk, public_value="x")
    inspection = draw.inspections.order_by("position").first()
    inspection_transition(inspection=inspection, to="in_progress")
    inspection_transition(
        inspection=inspection, to="completed", outcome="compliant", findings="账目清楚规范"
    )
    assert "账目清楚规范" not in client.get(f"/public/inspections/{draw.pk}/").content.decode()
    inspection_publish(inspection=inspection)
    assert "账目清楚规范" in client.get(f"/public/inspections/{draw.pk}/").content.decode()


def test_unknown_file_and_draw_are_404(client, draw):
    assert client.get(f"/public/inspections/{draw.pk}/secrets.txt").status_code == 404
    assert client.get("/public/inspections/999999/").status_code == 404


def test_public_list_is_constant_query(client, draw, django_assert_max_num_queries):
    for year in range(2000, 2010):
        inspection_draw_create(
            kind=DrawKind.SPECIAL_INSPECTION, year=year, as_of=datetime.date(2022, 6, 1)
        )
    with django_assert_max_num_queries(4):
        assert client.get("/public/inspections/").status_code == 200


def test_executed_draw_files_are_written_once_and_served_with_an_etag(
    client, draw, monkeypatch, django_capture_on_commit_callbacks
):
    """Issue 9.8: a 52 MB draw.json was rebuilt on every anonymous request. Once executed the
    files are immutable: written at execution, then served from storage with an ETag."""
    from django.core.files.storage import default_storage

    from oversight.inspections import views
    from oversight.inspections.draw_publication import draw_public_file_path

    with django_capture_on_commit_callbacks(execute=True):
        inspection_draw_execute(draw_id=draw.pk, public_value="05 11 23 28 31")
    assert default_storage.exists(draw_public_file_path(draw, "draw.json"))

    def rebuilt(_draw):
        raise AssertionError("draw.json rebuilt on a request")

    monkeypatch.setattr(views, "draw_published_document", rebuilt)
    first = client.get(f"/public/inspections/{draw.pk}/draw.json")
    assert first.status_code == 200 and "immutable" in first["Cache-Control"]
    body = b"".join(first.streaming_content)
    assert first["ETag"] == f'"{hashlib.sha256(body).hexdigest()}"'
    again = client.get(f"/public/inspections/{draw.pk}/draw.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    population = client.get(f"/public/inspections/{draw.pk}/population.txt")
    assert (
        hashlib.sha256(b"".join(population.streaming_content)).hexdigest() == draw.population_hash
    )
