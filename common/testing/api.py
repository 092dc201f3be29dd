"""Generic API test cases: every resource gets its auth, scope and query-count tests for free.

A resource's test module (tests/<app>/test_api*.py) declares one subclass per resource:

    class TestOrganizationAPI(ScopedAPITestCase):
        model = Organization
        basename = "organization"          # router basename → api-v1:organization-list/-detail
        lookup_field = "uscc"

        def create_unit(self):               # a supervising unit (a scope)
            return SupervisingUnitFactory()

        def create_object(self, *, unit):    # a row of `model` within `unit`'s scope
            return OrganizationFactory(supervising_unit=unit)

and gets: anonymous → 401 (list and detail), bad token → 401, own department → 200 with only
its rows, another department's row → 404 with the body of a missing row, a department user
without membership → nothing, staff with the view permission → 200 and every row, staff
without it → 403, and a list whose query count is the same for 5 and for 200 rows.

Each subclass registers the routes it covers in COVERED_ROUTES; tests/common/test_api_sweep.py
fails for any route under /api/v1/ that no subclass covers, so a new endpoint cannot forget.
"""

from __future__ import annotations

import datetime
import importlib
import itertools
import pkgutil
from typing import ClassVar

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from common.api.changes import has_indexed_updated_at, has_updated_at
from common.models import DepartmentMembership
from common.services import api_token_create

API_NAMESPACE = "api-v1"

# Route names (namespaced, e.g. "api-v1:organization-list") with generic scope tests.
COVERED_ROUTES: dict[str, str] = {}

# Models served under /api/v1/ that do not have their indexed `updated_at` yet (issue 15):
# their routes get the ETag checks but not the updated_after ones. The route sweep fails for a
# model missing from this list and for an entry whose model has gained the field.
UPDATED_AT_PENDING: set[str] = set()
# The model of every class of generic tests (for the sweep's check of UPDATED_AT_PENDING).
COVERED_MODELS: set[str] = set()

_usernames = itertools.count(1)


def token_client(user) -> APIClient:
    """An APIClient that authenticates with a real, freshly issued token of `user`."""
    _token, key = api_token_create(user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def make_department_user(*, unit, username: str | None = None):
    User = get_user_model()
    user = User.objects.create_user(username or f"dept-{next(_usernames)}")
    DepartmentMembership.objects.create(user=user, supervising_unit=unit)
    return user


def make_staff_user(*, perms: list[str] = (), username: str | None = None):
    """A staff (non-superuser) user holding exactly `perms` ("app_label.codename")."""
    User = get_user_model()
    user = User.objects.create_user(username or f"staff-{next(_usernames)}", is_staff=True)
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def discover_api_test_modules(package: str = "tests") -> None:
    """Import every `test_api*` module under `package`, so COVERED_ROUTES is complete even
    when pytest collected only part of the suite."""
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        if info.name.rsplit(".", 1)[-1].startswith("test_api"):
            importlib.import_module(info.name)


@pytest.mark.django_db
class ScopedAPITestCase:
    """Base class (not collected: its name does not start with Test). See the module doc."""

    model: ClassVar[type[Model]]
    basename: ClassVar[str]
    lookup_field: ClassVar[str] = "pk"
    has_detail: ClassVar[bool] = True
    # Other route names of this resource covered by explicit tests in the subclass.
    extra_covered_routes: ClassVar[tuple[str, ...]] = ()
    # A lookup value that matches no row (for the "same body as a missing row" check).
    missing_lookup_value: ClassVar[str] = "0"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if getattr(cls, "basename", None) is None:
            return
        names = [f"{cls.basename}-list", *([f"{cls.basename}-detail"] if cls.has_detail else [])]
        COVERED_MODELS.add(cls.model._meta.label_lower)
        for name in [*names, *cls.extra_covered_routes]:
            COVERED_ROUTES[f"{API_NAMESPACE}:{name}"] = f"{cls.__module__}.{cls.__qualname__}"

    # -- to override -------------------------------------------------------------------

    def create_unit(self):
        raise NotImplementedError

    def create_object(self, *, unit):
        raise NotImplementedError

    # -- helpers -------------------------------------------------------------------------

    def list_url(self) -> str:
        return reverse(f"{API_NAMESPACE}:{self.basename}-list")

    def detail_url(self, obj_or_value) -> str:
        value = (
            getattr(obj_or_value, self.lookup_field)
            if isinstance(obj_or_value, Model)
            else obj_or_value
        )
        return reverse(f"{API_NAMESPACE}:{self.basename}-detail", kwargs={self.lookup_field: value})

    def lookup_values(self, response) -> set[str]:
        return {str(row[self.lookup_field]) for row in response.json()["results"]}

    def view_perm(self) -> str:
        opts = self.model._meta
        return f"{opts.app_label}.view_{opts.model_name}"

    def two_departments(self):
        unit_a, unit_b = self.create_unit(), self.create_unit()
        return unit_a, unit_b, self.create_object(unit=unit_a), self.create_object(unit=unit_b)

    # -- anonymous / bad credentials -----------------------------------------------------

    def test_list_anonymous_401(self):
        response = APIClient().get(self.list_url())
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert "detail" in response.json()

    def test_detail_anonymous_401(self):
        if not self.has_detail:
            pytest.skip("no detail route")
        obj = self.create_object(unit=self.create_unit())
        assert APIClient().get(self.detail_url(obj)).status_code == 401

    def test_list_invalid_token_401(self):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Token so_not-a-real-key")
        assert client.get(self.list_url()).status_code == 401

    # -- departments ----------------------------------------------------------------------

    def test_list_own_department_200_only_own_rows(self):
        unit_a, _unit_b, obj_a, _obj_b = self.two_departments()
        response = token_client(make_department_user(unit=unit_a)).get(self.list_url())
        assert response.status_code == 200, response.content
        assert self.lookup_values(response) == {str(getattr(obj_a, self.lookup_field))}
        assert response.json()["count"] == 1

    def test_detail_own_department_200(self):
        if not self.has_detail:
            pytest.skip("no detail route")
        unit_a, _unit_b, obj_a, _obj_b = self.two_departments()
        response = token_client(make_department_user(unit=unit_a)).get(self.detail_url(obj_a))
        assert response.status_code == 200, response.content
        assert str(response.json()[self.lookup_field]) == str(getattr(obj_a, self.lookup_field))

    def test_detail_other_department_404_like_missing(self):
        if not self.has_detail:
            pytest.skip("no detail route")
        unit_a, _unit_b, _obj_a, obj_b = self.two_departments()
        client = token_client(make_department_user(unit=unit_a))
        out_of_scope = client.get(self.detail_url(obj_b))
        missing = client.get(self.detail_url(self.missing_lookup_value))
        assert out_of_scope.status_code == 404
        assert missing.status_code == 404
        assert out_of_scope.content == missing.content

    def test_department_user_without_membership_sees_nothing(self):
        _unit_a, _unit_b, obj_a, _obj_b = self.two_departments()
        loner = get_user_model().objects.create_user("no-membership")
        client = token_client(loner)
        response = client.get(self.list_url())
        assert response.status_code == 200
        assert response.json()["count"] == 0
        if self.has_detail:
            assert client.get(self.detail_url(obj_a)).status_code == 404

    # -- staff ---------------------------------------------------------------------------

    def test_list_staff_with_view_permission_200_all_rows(self):
        _unit_a, _unit_b, obj_a, obj_b = self.two_departments()
        client = token_client(make_staff_user(perms=[self.view_perm()]))
        response = client.get(self.list_url(), {"page_size": 1000})
        assert response.status_code == 200, response.content
        expected = {str(getattr(o, self.lookup_field)) for o in (obj_a, obj_b)}
        assert expected <= self.lookup_values(response)

    def test_detail_staff_with_view_permission_200(self):
        if not self.has_detail:
            pytest.skip("no detail route")
        _unit_a, _unit_b, _obj_a, obj_b = self.two_departments()
        client = token_client(make_staff_user(perms=[self.view_perm()]))
        assert client.get(self.detail_url(obj_b)).status_code == 200

    def test_staff_without_view_permission_403(self):
        obj = self.create_object(unit=self.create_unit())
        client = token_client(make_staff_user(perms=[]))
        assert client.get(self.list_url()).status_code == 403
        if self.has_detail:
            assert client.get(self.detail_url(obj)).status_code == 403

    # -- cost ----------------------------------------------------------------------------

    @pytest.mark.parametrize("role", ["staff", "department"])
    def test_list_query_count_constant(self, role):
        unit = self.create_unit()
        user = (
            make_staff_user(perms=[self.view_perm()])
            if role == "staff"
            else make_department_user(unit=unit)
        )
        client = token_client(user)

        def count_queries() -> tuple[int, int]:
            client.get(self.list_url())  # warm-up: the token's last-used write, caches
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(self.list_url(), {"page_size": 1000})
            assert response.status_code == 200
            return len(ctx.captured_queries), response.json()["count"]

        def add_rows(n: int) -> None:
            for _ in range(n):
                # Staff see every unit's rows; a department only its own.
                self.create_object(unit=self.create_unit() if role == "staff" else unit)

        add_rows(5)
        few, count_few = count_queries()
        add_rows(195)
        many, count_many = count_queries()
        if role == "staff":
            assert count_many - count_few == 195
        assert few == many, f"{few} queries for {count_few} rows, {many} for {count_many}: N+1"

    def test_list_page_rows_equal_the_serializers(self):
        # A page is read as values_list rows when the serializer allows it (common.api.values);
        # keyset pages (?cursor=) still render model instances through the serializer, so
        # the same rows both ways must give the same JSON.
        unit = self.create_unit()
        for _ in range(3):
            self.create_object(unit=unit)
        client = token_client(make_staff_user(perms=[self.view_perm()]))
        page = client.get(self.list_url(), {"page_size": 1000})
        keyset = client.get(self.list_url(), {"page_size": 1000, "cursor": ""})
        assert page.status_code == keyset.status_code == 200, page.content
        rows = page.json()["results"]
        assert rows
        assert sorted(rows, key=repr) == sorted(keyset.json()["results"], key=repr)

    # -- following changes (issue 15) ---------------------------------------------------

    def test_detail_etag_and_if_none_match_304(self):
        if not self.has_detail:
            pytest.skip("no detail route")
        unit = self.create_unit()
        obj = self.create_object(unit=unit)
        client = token_client(make_department_user(unit=unit))
        first = client.get(self.detail_url(obj))
        assert first.status_code == 200
        etag = first["ETag"]
        assert etag.startswith('"') and etag.endswith('"')
        again = client.get(self.detail_url(obj), HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == etag
        stale = client.get(self.detail_url(obj), HTTP_IF_NONE_MATCH='"stale"')
        assert stale.status_code == 200 and stale["ETag"] == etag

    def test_list_updated_after_and_updated_at(self):
        label = self.model._meta.label_lower
        if not has_indexed_updated_at(self.model):
            assert label in UPDATED_AT_PENDING, f"{label} 缺少带索引的 updated_at 字段"
        if not has_updated_at(self.model):
            return
        unit = self.create_unit()
        obj = self.create_object(unit=unit)
        client = token_client(make_department_user(unit=unit))
        rows = client.get(self.list_url()).json()["results"]
        assert rows and all("updated_at" in row for row in rows)
        stamp = self.model.objects.get(pk=obj.pk).updated_at
        later = (stamp + datetime.timedelta(seconds=1)).isoformat()
        assert client.get(self.list_url(), {"updated_after": later}).json()["count"] == 0
        since = client.get(self.list_url(), {"updated_after": stamp.isoformat()})
        assert str(getattr(obj, self.lookup_field)) in self.lookup_values(since)
        bad = client.get(self.list_url(), {"updated_after": "yesterday"})
        assert bad.status_code == 400 and "updated_after" in bad.json()
