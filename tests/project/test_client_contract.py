"""The integrators' contract (issue 15): a client generated from /api/schema/ with
openapi-python-client, with the configuration docs/integrators.md publishes, generates with no
warning and works against the running server as a department: every resource listed and
retrieved, an annual-report opinion posted, a circular downloaded. openapi-typescript runs too
when node is present."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import Workbook

from common.services import api_token_create
from common.testing.api import (
    COVERED_ROUTES,
    ScopedAPITestCase,
    discover_api_test_modules,
    make_department_user,
)
from oversight.annual_reports.choices import AnnualReportStatus
from tests.oversight.zombies.test_api import make_circular
from tests.registry.factories import SupervisingUnitFactory

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "integrators.md"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
OPENAPI_TYPESCRIPT = "openapi-typescript@7.13.0"
PACKAGE = "socialorg_client"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]


def documented_generator_config() -> str:
    """The configuration block of docs/integrators.md, so the test checks what we publish."""
    match = re.search(r"```yaml\n(# openapi-python-client\.yaml\n.*?)```", DOC.read_text(), re.S)
    assert match, "docs/integrators.md 缺少 openapi-python-client 配置代码块"
    return match.group(1)


@pytest.fixture
def schema_file(tmp_path) -> Path:
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    path = tmp_path / "schema.json"
    path.write_bytes(response.content)
    return path


def generate_python_client(schema_file: Path, out: Path) -> None:
    assert GENERATOR.exists(), "未安装 openapi-python-client：pip install -e '.[dev]'"
    config = out / "openapi-python-client.yaml"
    config.write_text(documented_generator_config())
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(schema_file),
            "--config",
            str(config),
            "--meta",
            "none",
            "--output-path",
            str(out / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=out,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower(), output
    non_ascii = [p for p in (out / PACKAGE).rglob("*.py") if not p.name.isascii()]
    assert not non_ascii, f"生成的模块名不是 ASCII：{non_ascii}"


def seed_department(unit) -> dict:
    """One row of every resource within `unit`, made by the generic API tests' factories,
    plus a report awaiting the unit's opinion and a circular with a workbook."""
    discover_api_test_modules("tests")
    seen = set()
    for dotted in COVERED_ROUTES.values():
        if dotted in seen:
            continue
        seen.add(dotted)
        module_name, class_name = dotted.rsplit(".", 1)
        case_class = getattr(sys.modules[module_name], class_name)
        if isinstance(case_class, type) and issubclass(case_class, ScopedAPITestCase):
            case_class().create_object(unit=unit)
    annual_report_case = sys.modules["tests.oversight.test_api"].TestAnnualReportAPI()
    report = annual_report_case.create_object(unit=unit)
    assert report.status == AnnualReportStatus.AWAITING_OPINION
    workbook = io.BytesIO()
    Workbook().save(workbook)
    circular = make_circular(unit=unit, attachment=workbook.getvalue())
    return {"report_id": report.pk, "circular_id": circular.pk, "xlsx": workbook.getvalue()}


SMOKE = r"""
import importlib, inspect, json, os, pkgutil, sys
from socialorg_client import AuthenticatedClient, api
from socialorg_client.models import AnnualReportOpinionRequest, SupervisorOpinionEnum
from socialorg_client.types import File

expected = json.loads(os.environ["SMOKE_EXPECTED"])
client = AuthenticatedClient(base_url=os.environ["SMOKE_BASE_URL"], token=os.environ["SMOKE_TOKEN"],
                             prefix="Token", raise_on_unexpected_status=True)
ops = {}
for tag in pkgutil.iter_modules(api.__path__):
    package = importlib.import_module(f"socialorg_client.api.{tag.name}")
    for op in pkgutil.iter_modules(package.__path__):
        ops[op.name] = importlib.import_module(f"{package.__name__}.{op.name}")

def required(module):
    sig = inspect.signature(module.sync_detailed)
    return [n for n, p in sig.parameters.items() if n != "client" and p.default is p.empty]

exercised = set()
for name, module in sorted(ops.items()):
    if not name.endswith("_list"):
        continue
    page = module.sync(client=client, page_size=1000)
    assert page is not None and page.results, f"{name}: 部门应至少看到一行"
    exercised.add(name)
    detail = ops.get(name[: -len("_list")] + "_retrieve")
    if detail is None:
        continue
    (lookup,) = required(detail)
    row = page.results[0]
    one = detail.sync(client=client, **{lookup: getattr(row, lookup)})
    assert type(one).__name__ == type(row).__name__, (name, type(one))
    assert getattr(one, lookup) == getattr(row, lookup)
    exercised.add(detail.__name__.rsplit(".", 1)[-1])

# Operations without parameters (statistics, progress): typed, not None.
for name, module in sorted(ops.items()):
    if name not in exercised and not required(module) and not name.endswith("_create"):
        assert module.sync(client=client) is not None, name
        exercised.add(name)

report = ops["annual_reports_opinion_create"].sync(
    id=expected["report_id"], client=client,
    body=AnnualReportOpinionRequest(opinion=SupervisorOpinionEnum.AGREE, remarks="同意"),
)
assert report.id == expected["report_id"] and report.supervisor_opinion == "agree", report
download = ops["circulars_download"].sync(id=expected["circular_id"], client=client)
assert isinstance(download, File), type(download)
assert download.payload.read() == bytes.fromhex(expected["xlsx"])
print(json.dumps(sorted(exercised)))
"""


def test_generated_python_client_works_as_a_department(live_server, schema_file, tmp_path):
    generate_python_client(schema_file, tmp_path)
    unit = SupervisingUnitFactory()
    seeded = seed_department(unit)
    _token, key = api_token_create(user=make_department_user(unit=unit), name="contract")
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path),
        "SMOKE_BASE_URL": live_server.url,
        "SMOKE_TOKEN": key,
        "SMOKE_EXPECTED": json.dumps({**seeded, "xlsx": seeded["xlsx"].hex()}),
    }
    result = subprocess.run(
        [sys.executable, "-c", SMOKE], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    exercised = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert {"organizations_list", "organizations_retrieve", "zombie_cases_retrieve"} <= exercised
    assert {"statistics_overview_retrieve", "zombie_cases_progress"} <= exercised


def test_openapi_typescript_generates_without_warnings(schema_file, tmp_path):
    npx = shutil.which("npx")
    if not shutil.which("node") or not npx:
        pytest.skip("未安装 node/npx，跳过 openapi-typescript 生成检查")
    out = tmp_path / "schema.d.ts"
    try:
        result = subprocess.run(
            [npx, "--yes", OPENAPI_TYPESCRIPT, str(schema_file), "-o", str(out)],
            capture_output=True,
            text=True,
            timeout=90,
        )
    except subprocess.TimeoutExpired:
        pytest.skip("npx 超时（离线？），跳过 openapi-typescript 生成检查")
    output = result.stdout + result.stderr
    if result.returncode != 0 and re.search(r"ENOTFOUND|EAI_AGAIN|ECONNREFUSED|network", output):
        pytest.skip(f"无法从 npm 获取 {OPENAPI_TYPESCRIPT}（离线），跳过：{output[-200:]}")
    assert result.returncode == 0, output
    assert not re.search(r"warn|⚠", output, re.I), output
    assert "export interface paths" in out.read_text()
