"""An executed draw as the public sees it: its files written once (一公开) and its
verification against the database (`manage.py verify_draw`)."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from oversight.inspections import draw as draw_algorithm
from oversight.inspections.draw_services import draw_inputs
from oversight.inspections.models import (
    InspectionDraw,
)
from oversight.inspections.selectors import draw_stored_result

PUBLIC_FILES = {
    "population.txt": "population_text",
    "roster.txt": "roster_text",
    "conflicts.tsv": "conflicts_text",
    "strata.tsv": "strata_text",
    "draw.json": None,
}


def draw_public_file_path(draw: InspectionDraw, name: str) -> str:
    # The commitment in the folder name: a file can only ever belong to this one draw, even
    # if a database is restored beside an older media folder whose draws had the same ids.
    return f"public/draws/{draw.pk}-{draw.nonce_hash[:16]}/{name}"


def draw_public_files_write(*, draw: InspectionDraw) -> dict[str, str]:
    """一公开: write an executed draw's public files once, with the SHA-256 of each beside it
    (served as its ETag). They never change after execution (the draw row is immutable), so
    the public pages serve these files instead of rebuilding megabytes on every request.
    Returns {name: sha256}; files already written are left as they are."""
    from oversight.inspections.selectors import draw_published_document

    if not draw.is_executed:
        raise ValidationError({"__all__": "抽查尚未执行，不能生成公开文件。"})
    digests = {}
    for name, field in PUBLIC_FILES.items():
        if name == "strata.tsv" and not draw.strata_hash:
            continue
        path = draw_public_file_path(draw, name)
        if default_storage.exists(path) and default_storage.exists(f"{path}.sha256"):
            with default_storage.open(f"{path}.sha256", "rb") as handle:
                digests[name] = handle.read().decode("ascii")
            continue
        text = draw_published_document(draw) if field is None else getattr(draw, field)
        data = text.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        default_storage.save(f"{path}.sha256", ContentFile(digest.encode("ascii")))
        default_storage.save(path, ContentFile(data))
        digests[name] = digest
    return digests


def inspection_draw_verify(*, draw: InspectionDraw) -> list[str]:
    """Recompute an executed draw from its stored frozen inputs and compare it with the stored
    hashes, seed, inspections and assignments; the differences, empty when all agree."""
    if not draw.is_executed:
        return ["该抽查尚未执行，无可核验的结果。"]
    inputs = draw_inputs(draw)
    problems = _frozen_input_problems(draw=draw, inputs=inputs)
    try:
        result = draw_algorithm.execute(
            nonce=bytes(draw.nonce), public_value=draw.public_value, **inputs
        )
    except draw_algorithm.DrawError as exc:
        return [*problems, f"无法重新计算：{exc}"]
    return problems + _result_problems(draw=draw, result=result)


def _frozen_input_problems(*, draw: InspectionDraw, inputs: dict) -> list[str]:
    """The frozen inputs against the hashes published at creation, and the population size."""
    problems: list[str] = []
    checks = [
        (
            "抽查对象名录",
            draw_algorithm.population_hash(codes=inputs["population"]),
            draw.population_hash,
        ),
        ("检查人员名录", draw_algorithm.roster_hash(codes=inputs["roster"]), draw.roster_hash),
        (
            "回避关系",
            draw_algorithm.conflicts_hash(conflicts=inputs["conflicts"]),
            draw.conflicts_hash,
        ),
        (
            "随机数",
            draw_algorithm.nonce_hash(
                nonce=bytes(draw.nonce),
                declaration=draw_algorithm.public_value_declaration(
                    source=draw.public_value_source, known_at=draw.public_value_known_at_text
                ),
            ),
            draw.nonce_hash,
        ),
    ]
    if inputs["strata"] is not None or draw.strata_hash:
        checks.append(
            ("分层表", draw_algorithm.strata_hash(strata=inputs["strata"] or {}), draw.strata_hash)
        )
    for label, computed, stored in checks:
        if computed != stored:
            problems.append(f"{label}的 SHA-256 不符：重新计算为 {computed}，记录为 {stored}。")
    if len(inputs["population"]) != draw.population_size:
        problems.append(
            f"抽查总体数不符：名录有 {len(inputs['population'])} 家，记录为 {draw.population_size}。"
        )
    return problems


def _result_problems(*, draw: InspectionDraw, result: draw_algorithm.DrawResult) -> list[str]:
    """The recomputed seed, size, selection and assignments against what was stored."""
    problems: list[str] = []
    if result.seed.hex() != draw.seed:
        problems.append(f"种子不符：重新计算为 {result.seed.hex()}，记录为 {draw.seed}。")
    if result.sample_size != draw.sample_size:
        problems.append(
            f"抽取数量不符：重新计算为 {result.sample_size}，记录为 {draw.sample_size}。"
        )
    # Plain rows, not ORM objects: a national draw has ~100k inspections and ~200k assignments.
    recorded = draw_stored_result(draw)
    stored = {
        uscc: (position, recorded.assignments[uscc])
        for position, uscc in enumerate(recorded.selected, start=1)
    }
    expected = {
        uscc: (position, result.assignments[uscc])
        for position, uscc in enumerate(result.selected, start=1)
    }
    for uscc in sorted(expected.keys() - stored.keys()):
        problems.append(f"应抽中但记录中没有：{uscc}")
    for uscc in sorted(stored.keys() - expected.keys()):
        problems.append(f"记录中有但不应抽中：{uscc}")
    for uscc in sorted(expected.keys() & stored.keys()):
        if expected[uscc] != stored[uscc]:
            problems.append(
                f"{uscc} 的顺序或检查人员不符：应为 {expected[uscc]}，记录为 {stored[uscc]}。"
            )
    return problems
