"""Tasks are queued by keyword only (issue 16 item 5): a queued message outlives the code
that sent it, and a reordered signature would silently misread positional arguments."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Everything that ships (queued messages from the test suite never outlive a test run).
SOURCE_DIRS = (
    "common",
    "registry",
    "oversight",
    "partybuilding",
    "funding",
    "reports",
    "config",
    "scripts",
    "tests",
)
QUEUEING = {"delay", "apply_async", "s", "si", "signature"}


def positional_calls(source: str) -> list[tuple[int, str]]:
    """(line, method) of every queueing call that passes a positional argument."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        if method not in QUEUEING:
            continue
        if method == "apply_async":
            # apply_async(args=[...]) is positional in disguise; kwargs={...} is the way.
            bad = bool(node.args) or any(
                k.arg == "args" and not _empty(k.value) for k in node.keywords
            )
        else:
            bad = bool(node.args)
        if bad:
            found.append((node.lineno, method))
    return found


def _empty(node: ast.expr) -> bool:
    return (isinstance(node, ast.List | ast.Tuple) and not node.elts) or (
        isinstance(node, ast.Constant) and node.value is None
    )


def test_the_checker_catches_positional_arguments():
    sample = (
        "task.delay(1, kind='x')\n"
        "task.apply_async((1,))\n"
        "task.apply_async(args=[1])\n"
        "task.s(1)\n"
        "task.delay(kind='x')\n"
        "task.apply_async(kwargs={'kind': 'x'}, countdown=5)\n"
        "task.apply_async(args=[], kwargs={'kind': 'x'})\n"
        "task.delay(**kwargs)\n"
    )
    assert positional_calls(sample) == [
        (1, "delay"),
        (2, "apply_async"),
        (3, "apply_async"),
        (4, "s"),
    ]


def test_every_task_is_queued_with_keyword_arguments_only():
    offenders = []
    files = 0
    for directory in SOURCE_DIRS:
        for path in sorted((ROOT / directory).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            files += 1
            for line, method in positional_calls(path.read_text(encoding="utf-8")):
                offenders.append(f"{path.relative_to(ROOT)}:{line} .{method}(…)")
    assert files > 100  # the walk really covered the tree
    assert not offenders, "任务须以关键字参数排队（issue 16 第5项）：\n" + "\n".join(offenders)
