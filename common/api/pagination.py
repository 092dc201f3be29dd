"""Page-number pagination (`count`, `next`, `previous`, `results`; `page_size` up to 1000), and
keyset pages with `?cursor=` for bulk sync."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils.functional import cached_property
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class CachedCountPaginator(Paginator):
    """Exact COUNT(*) for small results; a large count (≥ API_COUNT_CACHE_MIN rows) is kept
    in the cache for API_COUNT_CACHE_SECONDS. Counting ~300,000 matching rows of a million
    costs 30–130 ms on every page, while the page itself costs under 1 ms (scripts/bench_api.py);
    a large total a minute old is acceptable, a small one is always exact."""

    @cached_property
    def count(self) -> int:
        ttl = getattr(settings, "API_COUNT_CACHE_SECONDS", 60)
        threshold = getattr(settings, "API_COUNT_CACHE_MIN", 10_000)
        queryset = self.object_list
        if not ttl or not hasattr(queryset, "query"):
            return super().count
        # Keyed by the SQL of the restricted, filtered queryset: scopes never share a count.
        try:
            sql, params = queryset.order_by().query.sql_with_params()
        except EmptyResultSet:  # queryset.none(): nothing in scope
            return 0
        key = "api:count:" + hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            return cached
        count = super().count
        if count >= threshold:
            cache.set(key, count, ttl)
        return count


class StandardPagination(PageNumberPagination):
    django_paginator_class = CachedCountPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
    page_query_description = "页码，从 1 开始。"
    page_size_query_description = "每页条数，默认 50，最多 1000。"


class KeysetCursor:
    """Keyset (cursor) pages for `?cursor=`: each page continues after the last row of the
    previous one by its ordering values, so page 900 costs what page 1 costs (no OFFSET,
    no COUNT). The ordering always ends with the primary key, so it is total and every row
    comes exactly once. The cursor is signed: a caller cannot forge one, and since the
    scoped queryset is filtered before the keyset, no cursor reaches rows outside it.
    NULLs are placed as PostgreSQL orders them (last ascending, first descending)."""

    salt = "common.api.cursor"

    def __init__(self, queryset, request, view, page_size: int) -> None:
        self.ordering = self._ordering(queryset, view)
        self.queryset = queryset.order_by(*self.ordering)
        self.request, self.page_size = request, page_size

    @staticmethod
    def _ordering(queryset, view) -> list[str]:
        ordering = list(queryset.query.order_by or getattr(view, "ordering", None) or [])
        ordering = [str(field) for field in ordering]
        if not any(field.lstrip("-") in ("pk", "id") for field in ordering):
            ordering.append("pk")
        return ["pk" if f == "id" else "-pk" if f == "-id" else f for f in ordering]

    def page(self, token: str) -> list:
        queryset = self.queryset
        if token:
            try:
                payload = signing.loads(token, salt=self.salt)
            except signing.BadSignature as exc:
                raise exceptions.ValidationError({"cursor": "游标无效或已被篡改。"}) from exc
            if payload.get("o") != self.ordering:
                raise exceptions.ValidationError(
                    {"cursor": "游标与当前排序不一致，请从第一页重新开始。"}
                )
            queryset = queryset.filter(self._after(payload["v"]))
        rows = list(queryset[: self.page_size + 1])
        self.has_next = len(rows) > self.page_size
        self.rows = rows[: self.page_size]
        return self.rows

    def _after(self, values: list) -> Q:
        condition, equal = Q(pk__in=[]), Q()
        for field, value in zip(self.ordering, values, strict=True):
            name, desc = field.lstrip("-"), field.startswith("-")
            if value is None:
                beyond = Q(**{f"{name}__isnull": False}) if desc else Q(pk__in=[])
                same = Q(**{f"{name}__isnull": True})
            elif desc:
                beyond, same = Q(**{f"{name}__lt": value}), Q(**{name: value})
            else:
                beyond = Q(**{f"{name}__gt": value}) | Q(**{f"{name}__isnull": True})
                same = Q(**{name: value})
            condition |= equal & beyond
            equal &= same
        return condition

    def next_link(self) -> str | None:
        if not self.has_next or not self.rows:
            return None
        last = self.rows[-1]
        values = [_value_of(last, field.lstrip("-")) for field in self.ordering]
        token = signing.dumps(
            {"o": self.ordering, "v": values}, salt=self.salt, serializer=_CursorSerializer
        )
        url = remove_query_param(self.request.build_absolute_uri(), "page")
        return replace_query_param(url, "cursor", token)


def _value_of(obj, path: str):
    value = obj
    for part in path.split("__"):
        value = getattr(value, part, None) if value is not None else None
    if hasattr(value, "_meta"):  # a related object named by its foreign key: its pk
        value = value.pk
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


class _CursorSerializer:
    def dumps(self, obj) -> bytes:
        return json.dumps(obj, cls=DjangoJSONEncoder, separators=(",", ":")).encode("latin-1")

    def loads(self, data: bytes):
        return json.loads(data.decode("latin-1"))


class CursorOrPagePagination(StandardPagination):
    """Page numbers by default (`count`, `next`, `previous`, `results`); with `?cursor=`
    (empty for the first page) keyset pages: `next`, `previous` (always null) and
    `results`, no count: a department syncing all its rows follows `next` to the end."""

    cursor_query_param = "cursor"
    cursor_query_description = (
        "游标分页：首页传空值 `cursor=`，之后沿响应中的 `next` 链接翻页（不返回总数）。"
    )

    def paginate_queryset(self, queryset, request, view=None):
        self._cursor = None
        if self.cursor_query_param not in request.query_params:
            return super().paginate_queryset(queryset, request, view)
        self._cursor = KeysetCursor(queryset, request, view, self.get_page_size(request))
        return self._cursor.page(request.query_params[self.cursor_query_param])

    def get_paginated_response(self, data):
        if self._cursor is None:
            return super().get_paginated_response(data)
        return Response({"next": self._cursor.next_link(), "previous": None, "results": data})

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": self.cursor_query_description,
                "schema": {"type": "string"},
            },
        ]

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["results"]
        return response
