"""Public pages of the reports app (no login): the daily register extract (issue 15)."""

from __future__ import annotations

import datetime

from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from reports.models import RegisterExtract
from reports.register_extract import HEADER

PAGE_SIZE = 30


@require_GET
def register_extracts(request):
    page = Paginator(RegisterExtract.objects.all(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "public/register_extracts.html", {"page": page, "header": HEADER})


@require_GET
def register_extract_download(request, day: str):
    extract = get_object_or_404(RegisterExtract, published_on=_parse_day(day))
    etag = f'"{extract.sha256}"'
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            default_storage.open(extract.file, "rb"), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{extract.filename}"'
    response["ETag"] = etag
    # A day's extract never changes once published.
    response["Cache-Control"] = "public, max-age=86400, immutable"
    return response


def _parse_day(day: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
