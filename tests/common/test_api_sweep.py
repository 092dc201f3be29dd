"""Every route under /api/v1/ must have the generic scope tests (common.testing.api)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

from common.testing.api import COVERED_ROUTES, discover_api_test_modules

API_PREFIX = "api/v1/"


def api_routes(resolver=None, prefix: str = "", namespace: str = "") -> dict[str, str]:
    """{namespaced route name: route} of every URL pattern whose route starts with API_PREFIX."""
    resolver = resolver or get_resolver()
    found: dict[str, str] = {}
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.update(api_routes(pattern, route, ns))
        elif isinstance(pattern, URLPattern) and route.startswith(API_PREFIX):
            found[f"{namespace}{pattern.name}"] = route
    return found


def test_sweep_finds_the_registry_routes():
    routes = api_routes()
    assert "api-v1:organization-list" in routes
    assert "api-v1:organization-detail" in routes
    assert "api-v1:supervising-unit-list" in routes


def test_every_api_v1_route_is_covered_by_generic_scope_tests():
    discover_api_test_modules("tests")
    uncovered = {name: route for name, route in api_routes().items() if name not in COVERED_ROUTES}
    assert not uncovered, (
        "这些 /api/v1/ 路由没有通用范围测试（common.testing.api.ScopedAPITestCase 的子类，"
        f"或其 extra_covered_routes）：{uncovered}"
    )


def test_updated_at_pending_list_is_exact():
    # issue 15: every model served under /api/v1/ has an indexed `updated_at`, or is listed
    # in UPDATED_AT_PENDING until it gets one; an entry whose model has it must go.
    from django.apps import apps

    from common.api.changes import has_indexed_updated_at
    from common.testing.api import COVERED_MODELS, UPDATED_AT_PENDING

    discover_api_test_modules("tests")
    missing = {
        label for label in COVERED_MODELS if not has_indexed_updated_at(apps.get_model(label))
    }
    assert missing <= UPDATED_AT_PENDING, f"这些模型缺少 updated_at：{missing - UPDATED_AT_PENDING}"
    stale = UPDATED_AT_PENDING - missing
    assert not stale, f"这些模型已有 updated_at，请从 UPDATED_AT_PENDING 中删除：{stale}"
