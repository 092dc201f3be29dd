"""Following changes (issue 15): `updated_after` on every list, `updated_at` on every object,
and an `ETag` on every detail response honouring `If-None-Match` (304).

All three are generic: a model takes part as soon as it has an indexed `updated_at`
(`DateTimeField(auto_now=True, db_index=True)`); the ETag needs nothing from the model, it is
the digest of the representation the caller would receive (so it changes with the caller's
view of the record too, e.g. a newly visible rating)."""

from __future__ import annotations

import datetime
import hashlib
import json

from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend

UPDATED_AT = "updated_at"
UPDATED_AFTER = "updated_after"


def has_updated_at(model) -> bool:
    try:
        model._meta.get_field(UPDATED_AT)
    except FieldDoesNotExist:
        return False
    return True


def has_indexed_updated_at(model) -> bool:
    return has_updated_at(model) and model._meta.get_field(UPDATED_AT).db_index


def parse_updated_after(raw: str):
    try:
        value = parse_datetime(raw)
        if value is None and (day := parse_date(raw)) is not None:
            value = datetime.datetime.combine(day, datetime.time.min)
    except ValueError:  # well formed but no such instant, e.g. month 13
        value = None
    if value is None:
        raise exceptions.ValidationError(
            {UPDATED_AFTER: [f"“{raw}”不是 ISO 8601 日期时间，例如 2025-01-31T08:00:00+08:00。"]}
        )
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        # In UTC: PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 allows.
        return value.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        raise exceptions.ValidationError(
            {UPDATED_AFTER: [f"“{raw}”超出可表示的日期时间范围。"]}
        ) from None


class UpdatedAfterFilter(BaseFilterBackend):
    """`?updated_after=` keeps the rows changed at or after the instant: a mirror that passes
    the time of its previous call never misses a row written in the same instant (it may
    receive it twice; mirrors upsert)."""

    description = (
        "只返回在此时刻及之后修改过的记录（ISO 8601，如 2025-01-31T08:00:00+08:00；"
        "不带时区按北京时间）。镜像同步时传入上次调用的时刻。"
    )

    def filter_queryset(self, request, queryset, view):
        raw = request.query_params.get(UPDATED_AFTER)
        if raw is None or not has_updated_at(queryset.model):
            return queryset
        return queryset.filter(**{f"{UPDATED_AT}__gte": parse_updated_after(raw)})

    def get_schema_operation_parameters(self, view):
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None or not has_updated_at(model):
            return []
        return [
            {
                "name": UPDATED_AFTER,
                "required": False,
                "in": "query",
                "description": self.description,
                "schema": {"type": "string", "format": "date-time"},
            }
        ]


def representation_etag(data) -> str:
    payload = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(payload.encode()).hexdigest()[:32] + '"'


def if_none_match(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in tags or "*" in tags
