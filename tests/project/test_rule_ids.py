"""Every rule ID (`R-CRD-05`) and product decision (`D11`) that the code, templates, docs and
tests cite is defined in docs/rules.md, once. No database: the tests only read files.

A rule is cited as `R-XXX-nn`, optionally with item suffixes (`R-CRD-05(7)` counts as
R-CRD-05) and with the shorthand `R-EVL-04/09/11` or `R-INS-01…10`, whose other numbers
count as IDs of the same family. A decision is a bare `D` + 1–99 that is not part of a
longer token: `FT-D01` (a supervising-unit code), `D01`, `CD10` or `D100` are not decisions.
docs/rules.md defines an ID with a line starting `- **R-XXX-nn**` or `- **Dn**`.
"""

import re
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "docs" / "rules.md"
SCANNED_FOLDERS = (
    "common",
    "registry",
    "oversight",
    "partybuilding",
    "funding",
    "reports",
    "config",
    "scripts",
    "templates",
    "tests",
    "docs",
)
SCANNED_SUFFIXES = {".py", ".html", ".md"}
SKIPPED_PARTS = {".venv", "__pycache__", "node_modules"}

# Not part of a longer ASCII token; Chinese text around an ID (“见D11”) does not hide it.
_EDGE_BEFORE = r"(?<![A-Za-z0-9_-])"
_EDGE_AFTER = r"(?![A-Za-z0-9_-])"
RULE_CITATION = re.compile(
    _EDGE_BEFORE
    + r"(R-[A-Z]+-)([0-9]{2})(?![0-9])"  # family and number
    + r"(?:\([0-9]+\))*"  # item suffixes: R-CRD-05(7), R-CRD-05(4)(5)
    + r"((?:(?:/|…|\.\.\.)[0-9]{2}(?![0-9])(?:\([0-9]+\))*)*)"  # shorthand: /09/11, …10
)
DECISION_CITATION = re.compile(_EDGE_BEFORE + r"D[1-9][0-9]?" + _EDGE_AFTER)
DEFINITION = re.compile(r"^- \*\*(R-[A-Z]+-[0-9]{2}|D[1-9][0-9]?)\*\*", re.M)


def cited_ids(text: str) -> set[str]:
    """The rule and decision IDs a text cites, each reduced to its base ID."""
    found = set()
    for match in RULE_CITATION.finditer(text):
        family, number, shorthand = match.groups()
        found.add(family + number)
        found.update(family + n for n in re.findall(r"(?<![0-9(])[0-9]{2}(?![0-9])", shorthand))
    found.update(DECISION_CITATION.findall(text))
    return found


def defined_ids() -> list[str]:
    """Every ID docs/rules.md defines, in order, duplicates kept."""
    assert RULES.is_file(), "docs/rules.md is missing: the rule IDs the code cites are undefined"
    return DEFINITION.findall(RULES.read_text(encoding="utf-8"))


def scanned_files() -> list[Path]:
    files = [p for p in ROOT.glob("*.md")]
    for folder in SCANNED_FOLDERS:
        files += [
            p
            for p in (ROOT / folder).rglob("*")
            if p.suffix in SCANNED_SUFFIXES
            and p.is_file()
            and not SKIPPED_PARTS & set(p.relative_to(ROOT).parts)
        ]
    return sorted(set(files) - {RULES})


def citations() -> dict[str, list[str]]:
    """ID → the `path:line` places that cite it."""
    places = defaultdict(list)
    for path in scanned_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            for rule_id in cited_ids(line):
                places[rule_id].append(f"{path.relative_to(ROOT)}:{number}")
    return places


def _sort_key(rule_id: str):
    return (rule_id[0], re.sub(r"[0-9]+", lambda m: m.group().zfill(3), rule_id))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see D2 and R-CRD-05(7)", {"D2", "R-CRD-05"}),
        ("（R-AUD-04，D11）与D12。", {"R-AUD-04", "D11", "D12"}),
        (
            "R-EVL-04/09/11, R-INS-01…10, R-CRD-05(4)(5)",
            {"R-EVL-04", "R-EVL-09", "R-EVL-11", "R-INS-01", "R-INS-10", "R-CRD-05"},
        ),
        ("D5/D6, D18.", {"D5", "D6", "D18"}),
        ("FT-D01 FT-PC-D00 D01 CD10 D0 D100 D5x on day D", set()),
    ],
)
def test_citations_are_recognized(text, expected):
    assert cited_ids(text) == expected


def test_every_cited_id_is_defined_in_rules_md():
    defined = set(defined_ids())
    places = citations()
    assert places, "no rule ID found in the code: the scan itself is broken"
    undefined = sorted(set(places) - defined, key=_sort_key)
    report = "\n".join(
        f"  {rule_id}: "
        + ", ".join(places[rule_id][:8])
        + (f" (+{len(places[rule_id]) - 8} more)" if len(places[rule_id]) > 8 else "")
        for rule_id in undefined
    )
    assert not undefined, (
        f"{len(undefined)} ID(s) cited but not defined in docs/rules.md "
        f"(add a line '- **ID** …' there, or fix the citation):\n{report}"
    )


def test_rules_md_defines_each_id_once():
    seen = defaultdict(int)
    for rule_id in defined_ids():
        seen[rule_id] += 1
    twice = sorted((i for i, n in seen.items() if n > 1), key=_sort_key)
    assert not twice, "docs/rules.md defines these IDs more than once: " + ", ".join(
        f"{i} (×{seen[i]})" for i in twice
    )


@pytest.mark.parametrize("rule_id", ["R-USCC-06", "R-CRD-05", "R-INS-09", "D18", "D2", "R-XC-03"])
def test_rules_md_defines_the_core_ids(rule_id):
    assert rule_id in defined_ids(), (
        f"docs/rules.md does not define {rule_id} (expected a line starting '- **{rule_id}**')"
    )


def test_rules_md_defines_every_decision_without_gaps():
    decisions = sorted(int(i[1:]) for i in defined_ids() if i.startswith("D"))
    assert decisions == list(range(1, len(decisions) + 1)), (
        f"decisions in docs/rules.md are not D1…Dn without gaps: {decisions}"
    )
