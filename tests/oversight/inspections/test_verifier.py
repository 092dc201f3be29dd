"""The stand-alone verifier (verify_draw.py): standard library only, OK on a genuine draw,
exit 1 on any tampered file (DESIGN.md §4.2 一公开)."""

from __future__ import annotations

import ast
import hashlib
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from oversight.inspections import draw
from tests.oversight.inspections.draw_inputs import population, roster, uscc

VERIFIER = Path(draw.__file__).parent / "verifier" / "verify_draw.py"
NONCE = bytes(range(32))
PUBLIC_VALUE = "2024001期 01 02 03"
SEED = bytes.fromhex("b9b6d59e61b4a7dd1375d6fb720082b2c613a2c56220a231a30911ee0a97eec7")
TINY = ["52440304MJL000016C", "51440300MJL1712376", "52440300MJL186084F"]

# ------------------------------------------------------------- the stand-alone verifier


def publish(tmp_path: Path, *, stratified: bool = False, size: int = 300, staff: int = 9):
    """Write the published files of a genuine draw the way the public page offers them."""
    codes = population(size)
    inspectors = [*roster(staff), "福田-甲"]
    conflicts = {codes[0]: {"FT-000", "福田-甲"}, codes[5]: {"FT-001"}}
    strata = {"社会团体": codes[: size // 3], "民办非企业单位": codes[size // 3 :]}
    kwargs = {"strata": strata} if stratified else {"population": codes}
    commitment = draw.commit(
        ratio=Decimal("0.10"),
        roster=inspectors,
        conflicts=conflicts,
        nonce=NONCE,
        public_value_source="某公开彩票 2024001 期开奖号码",
        public_value_known_at="2024-01-02T21:30+08:00",
        **kwargs,
    )
    result = draw.execute(
        nonce=NONCE,
        public_value=PUBLIC_VALUE,
        ratio=Decimal("0.10"),
        roster=inspectors,
        conflicts=conflicts,
        **kwargs,
    )
    doc = draw.draw_document(
        commitment=commitment,
        result=result,
        nonce=NONCE,
        public_value=PUBLIC_VALUE,
        metadata={"kind": "annual_report_audit", "year": 2024, "round": 1},
    )
    files = {
        "population.txt": draw.population_text(codes=codes),
        "roster.txt": draw.roster_text(codes=inspectors),
        "conflicts.tsv": draw.conflicts_text(conflicts=conflicts),
        "draw.json": draw.draw_document_json(doc),
    }
    if stratified:
        files["strata.tsv"] = draw.strata_text(strata=strata)
    for name, text in files.items():
        (tmp_path / name).write_bytes(text.encode("utf-8"))
    return doc, codes


def run_verifier(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    # -I: isolated mode, so the project cannot leak onto the verifier's import path.
    return subprocess.run(
        [sys.executable, "-I", str(VERIFIER), "--dir", str(tmp_path), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )


def rewrite_doc(tmp_path: Path, change) -> None:
    path = tmp_path / "draw.json"
    doc = json.loads(path.read_text("utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")


def test_verifier_uses_only_the_standard_library():
    tree = ast.parse(VERIFIER.read_text("utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported and imported <= set(sys.stdlib_module_names)


@pytest.mark.parametrize("stratified", [False, True])
def test_verifier_accepts_a_genuine_draw(tmp_path, stratified):
    doc, _ = publish(tmp_path, stratified=stratified)
    assert len(doc["selection"]) == 30
    done = run_verifier(
        tmp_path,
        "--expected-population-hash",
        doc["population_sha256"],
        "--expected-nonce-hash",
        doc["nonce_sha256"],
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1] == "OK"


def test_verifier_rejects_a_changed_population_line(tmp_path):
    publish(tmp_path)
    lines = (tmp_path / "population.txt").read_text("utf-8").split("\n")
    lines[17] = uscc(99_999)  # a real-looking code that was not in the population
    (tmp_path / "population.txt").write_text("\n".join(sorted(lines)), "utf-8")
    done = run_verifier(tmp_path)
    assert done.returncode == 1
    assert "population" in done.stdout and "MISMATCH" in done.stdout


def test_verifier_rejects_a_population_file_with_a_trailing_newline(tmp_path):
    publish(tmp_path)
    path = tmp_path / "population.txt"
    path.write_bytes(path.read_bytes() + b"\n")
    done = run_verifier(tmp_path)
    assert done.returncode == 1
    assert "trailing newline" in done.stdout


def test_verifier_rejects_another_nonce(tmp_path):
    publish(tmp_path)
    rewrite_doc(tmp_path, lambda doc: doc.update(nonce=bytes(32).hex()))
    done = run_verifier(tmp_path)
    assert done.returncode == 1
    assert "commit prefix + nonce" in done.stdout


def test_verifier_rejects_a_nonce_hash_other_than_the_one_noted_at_creation(tmp_path):
    publish(tmp_path)
    done = run_verifier(tmp_path, "--expected-nonce-hash", hashlib.sha256(b"x").hexdigest())
    assert done.returncode == 1


def test_verifier_rejects_a_changed_selection(tmp_path):
    doc, codes = publish(tmp_path)
    outsider = next(u for u in codes if u not in {e["uscc"] for e in doc["selection"]})

    def swap(doc):
        doc["selection"][3]["uscc"] = outsider

    rewrite_doc(tmp_path, swap)
    done = run_verifier(tmp_path)
    assert done.returncode == 1
    assert outsider in done.stdout


def test_verifier_rejects_a_changed_assignment(tmp_path):
    doc, _ = publish(tmp_path)
    first = doc["selection"][0]
    other = next(i for i in ["FT-003", "FT-004", "FT-005"] if i not in first["inspectors"])

    def swap(doc):
        doc["selection"][0]["inspectors"][1] = other

    rewrite_doc(tmp_path, swap)
    done = run_verifier(tmp_path)
    assert done.returncode == 1
    assert first["uscc"] in done.stdout


def test_verifier_rejects_a_changed_stratum_file(tmp_path):
    publish(tmp_path, stratified=True)
    path = tmp_path / "strata.tsv"
    lines = path.read_text("utf-8").split("\n")
    stratum, code = lines[0].split("\t")
    other = "社会团体" if stratum == "民办非企业单位" else "民办非企业单位"
    lines[0] = f"{other}\t{code}"
    path.write_text("\n".join(sorted(lines)), "utf-8")
    done = run_verifier(tmp_path)
    assert done.returncode == 1


def test_verifier_cannot_run_without_the_files(tmp_path):
    done = run_verifier(tmp_path)
    assert done.returncode == 2
    assert "draw.json" in done.stdout
