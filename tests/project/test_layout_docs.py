"""The README's layout section and docs/architecture.md describe the tree as it is: every
sub-package of an app is named in both, and nothing named there is missing."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("common", "registry", "oversight", "partybuilding", "funding", "reports")
NOT_SUBJECTS = {
    "migrations",
    "management",
    "commands",
    "templates",
    "templatetags",
    "static",
    "testing",
    "api",
}


def subpackages() -> list[str]:
    found = []
    for app in APPS:
        for init in sorted((ROOT / app).glob("*/__init__.py")):
            if init.parent.name not in NOT_SUBJECTS:
                found.append(f"{app}/{init.parent.name}")
    return found


def readme_layout() -> str:
    text = (ROOT / "README.md").read_text()
    match = re.search(r"^## Layout\n(.*?)^## ", text, re.S | re.M)
    assert match, "README.md has no '## Layout' section"
    return match.group(1)


def test_oversight_is_split_by_subject():
    assert {"oversight/annual_reports", "oversight/inspections", "oversight/credit"} <= set(
        subpackages()
    )
    assert "oversight/zombies" in subpackages()


@pytest.mark.parametrize("doc", ["README.md", "docs/architecture.md"])
def test_every_subpackage_is_described(doc):
    text = readme_layout() if doc == "README.md" else (ROOT / doc).read_text()
    missing = [p for p in subpackages() if f"{p.split('/')[1]}/" not in text]
    assert not missing, f"{doc} does not describe {', '.join(missing)}"


@pytest.mark.parametrize("doc", ["README.md", "docs/architecture.md"])
def test_described_folders_exist(doc):
    text = readme_layout() if doc == "README.md" else (ROOT / doc).read_text()
    folders = {p.name for app in APPS for p in (ROOT / app).rglob("*") if p.is_dir()}
    block = text.split("oversight/", 1)[1]
    named = set(re.findall(r"^\s{2,}([a-z_]+)/\s", block, re.M))
    assert named, f"{doc} lists no folders under oversight/"
    assert not named - folders, f"{doc} names folders that are not in the tree: {named - folders}"


def test_the_project_carries_its_documents():
    readme = (ROOT / "README.md").read_text()
    for doc in ("docs/rules.md", "docs/architecture.md", "docs/draw-protocol.md"):
        assert (ROOT / doc).is_file()
        assert doc in readme, f"README.md does not point to {doc}"
    assert "../shared/" not in readme, "README.md sends readers outside the repository"
