"""Bulk export of a resource: `GET <resource>/export/?format=csv|ndjson` streams the caller's
whole scope, filtered like the list, without pagination (issue 15).

Memory stays constant whatever the size: rows come from `.values_list().iterator()` (a
server-side cursor on PostgreSQL) in chunks and go out through a StreamingHttpResponse, one
line at a time. The queryset is the view's restricted one (`ScopedViewSet.initial()`), so a
department's export holds its own organizations only."""

from __future__ import annotations

import datetime
import decimal
import json
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer

from common.csvstream import csv_chunks

CHUNK_SIZE = 2000


class _StreamRenderer(BaseRenderer):
    """Selects the format by `?format=` or `Accept`; the body is streamed by the view. Errors
    (401, 403, 400) raised before streaming are rendered as JSON text."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return json.dumps(data, ensure_ascii=False).encode()


class CSVStreamRenderer(_StreamRenderer):
    media_type = "text/csv"
    format = "csv"


class NDJSONStreamRenderer(_StreamRenderer):
    media_type = "application/x-ndjson"
    format = "ndjson"


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def ndjson_lines(columns: list[str], rows: Iterator[tuple]) -> Iterator[str]:
    for row in rows:
        record = {c: _plain(v) for c, v in zip(columns, row, strict=True)}
        yield json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


EXPORT_FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["csv", "ndjson"],
    description="导出格式：csv（首行为字段名）或 ndjson（每行一个 JSON 对象），默认 csv。",
)


class StreamingExportMixin:
    """Adds `export/` to a Scoped viewset. `export_columns` maps each output column (the
    field name of the list's JSON) to its ORM lookup; `export_filename` names the file."""

    export_columns: dict[str, str] = {}
    export_filename = "export"

    @extend_schema(
        summary="批量导出（全部范围，不分页）",
        description=(
            "以流的方式导出调用者范围内的全部记录（部门令牌：本单位主管的记录；"
            "局机关工作人员：全部），筛选参数与列表相同，不分页。"
        ),
        parameters=[EXPORT_FORMAT_PARAMETER],
        responses={
            # CSV is text: generated clients hand it over as `str` (a binary schema on a
            # text/* type makes openapi-python-client wrap `response.text` in BytesIO).
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/x-ndjson"): OpenApiTypes.BINARY,
        },
        filters=True,
    )
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        renderer_classes=[CSVStreamRenderer, NDJSONStreamRenderer],
    )
    def export(self, request, *args, **kwargs) -> StreamingHttpResponse:
        columns = list(self.export_columns)
        queryset = self.filter_queryset(self.get_queryset()).order_by("pk")
        rows = queryset.values_list(*self.export_columns.values()).iterator(chunk_size=CHUNK_SIZE)
        fmt = request.accepted_renderer.format
        lines = (
            csv_chunks(columns, ((_plain(v) for v in row) for row in rows))
            if fmt == "csv"
            else ndjson_lines(columns, rows)
        )
        response = StreamingHttpResponse(
            (line.encode() for line in lines),
            content_type=f"{request.accepted_renderer.media_type}; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.export_filename}.{fmt}"'
        return response
