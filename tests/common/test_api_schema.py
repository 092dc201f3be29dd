"""OpenAPI schema and offline Swagger UI; every endpoint documented with its filters."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema():
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_every_api_v1_path_is_in_the_schema_with_token_security(schema):
    from tests.common.test_api_sweep import api_routes

    # One schema path per routed URL: nothing routed under /api/v1/ is left undocumented.
    assert len(schema["paths"]) == len(set(api_routes().values()))
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    for path, operations in schema["paths"].items():
        assert path.startswith("/api/v1/")
        for method, op in operations.items():
            if method == "parameters":
                continue
            assert op.get("summary"), f"{method} {path} has no summary"
            assert {"tokenAuth": []} in op["security"]


def test_organization_list_documents_filters_search_ordering_pagination(schema):
    params = {p["name"] for p in schema["paths"]["/api/v1/organizations/"]["get"]["parameters"]}
    expected = {
        "org_type",
        "status",
        "industry_category",
        "industry_category_code",
        "supervising_unit",
        "supervising_unit_code",
        "is_industry_association",
        "rating",
        "established_after",
        "established_before",
        "search",
        "ordering",
        "page",
        "page_size",
    }
    assert expected <= params


def test_swagger_ui_is_served_offline():
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in html
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html


# ------------------------------------------------------------------ generated clients (issue 15)

ASCII_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            if method != "parameters":
                yield method, path, op


def test_component_names_unique_after_dropping_underscores_and_case(schema):
    # Client generators normalise names this way: `OrganizationBrief` and
    # `_OrganizationBrief` become the same class, and one of them is silently lost.
    seen: dict[str, str] = {}
    for section in ("schemas", "responses", "parameters", "requestBodies"):
        for name in schema["components"].get(section, {}):
            key = name.lstrip("_").replace("_", "").casefold()
            assert key not in seen, f"组件名 {name} 与 {seen[key]} 在生成客户端时重名"
            assert ASCII_IDENTIFIER.match(name), f"组件名 {name} 不是 ASCII 标识符"
            seen[key] = name


def test_tags_are_ascii_identifiers_described_in_chinese(schema):
    declared = {tag["name"]: tag.get("description", "") for tag in schema.get("tags", [])}
    for method, path, op in _operations(schema):
        assert op.get("tags"), f"{method} {path} 没有标签"
        for tag in op["tags"]:
            assert ASCII_IDENTIFIER.match(tag), f"{method} {path} 的标签 {tag} 不是 ASCII 标识符"
            assert tag in declared, f"标签 {tag} 未在 SPECTACULAR_SETTINGS['TAGS'] 中声明"
            assert re.search(r"[\u4e00-\u9fff]", declared[tag]), f"标签 {tag} 缺少中文说明"


def test_operation_ids_are_unique_ascii_identifiers(schema):
    ids = [op["operationId"] for _m, _p, op in _operations(schema)]
    assert len(ids) == len(set(ids))
    assert all(ASCII_IDENTIFIER.match(i) for i in ids), ids


def test_query_parameter_schemas_carry_no_title(schema):
    # A title names the enum type of generated clients; it is Chinese, so it must not be there.
    for method, path, op in _operations(schema):
        for parameter in op.get("parameters", []):
            param_schema = parameter.get("schema", {})
            assert "title" not in param_schema, (method, path, parameter["name"])
            assert "title" not in param_schema.get("items", {}), (method, path, parameter["name"])


def test_every_success_response_is_typed(schema):
    for method, path, op in _operations(schema):
        ok = next(code for code in op["responses"] if code.startswith("2"))
        content = op["responses"][ok].get("content")
        assert content, f"{method} {path} 的 {ok} 响应没有类型"
        for media_type, body in content.items():
            assert body.get("schema"), f"{method} {path} {media_type} 没有 schema"
            if media_type.startswith("text/"):
                assert body["schema"].get("type") == "string", (method, path, media_type)
            elif not media_type.endswith("json"):
                assert body["schema"].get("format") == "binary", (method, path, media_type)
