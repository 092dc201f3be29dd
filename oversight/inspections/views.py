"""Public pages of the random inspection draws (双随机、一公开, DESIGN.md §4.2 Publication).

Every draw is public from its creation (its commitment); once executed, the nonce, the
public value, the seed, the selection with its inspectors, the frozen files and the
stand-alone verifier; each inspection's outcome once it is published.
"""

from __future__ import annotations

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from oversight.inspections.draw_publication import draw_public_file_path, draw_public_files_write
from oversight.inspections.models import Inspection, InspectionAssignment, InspectionDraw
from oversight.inspections.selectors import draw_published_document

VERIFIER = Path(__file__).resolve().parent / "draw" / "verifier" / "verify_draw.py"
_FROZEN_FILES = {
    "population.txt": "population_text",
    "roster.txt": "roster_text",
    "conflicts.tsv": "conflicts_text",
    "strata.tsv": "strata_text",
}
_LIGHT_FIELDS = ("population_text", "roster_text", "conflicts_text", "strata_text", "nonce")


@require_GET
def draw_list(request):
    draws = InspectionDraw.objects.defer(*_LIGHT_FIELDS).order_by("-created_at", "-pk")
    page = Paginator(draws, 50).get_page(request.GET.get("page"))
    return render(request, "public/draw_list.html", {"page": page})


@require_GET
def draw_detail(request, pk: int):
    draw = get_object_or_404(InspectionDraw.objects.defer(*_LIGHT_FIELDS), pk=pk)
    inspections = (
        Inspection.objects.filter(draw=draw)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=InspectionAssignment.objects.select_related("inspector").order_by(
                    "position"
                ),
            )
        )
        .order_by("position")
    )
    page = Paginator(inspections, 200).get_page(request.GET.get("page"))
    files = [
        name for name, field in _FROZEN_FILES.items() if name != "strata.tsv" or draw.strata_hash
    ]
    return render(
        request,
        "public/draw_detail.html",
        {"draw": draw, "page": page, "files": files},
    )


@require_GET
def draw_file(request, pk: int, filename: str):
    """A draw's public file. Once executed the files are immutable: written once (at
    execution, or here the first time if missing), then streamed from storage with an ETag
    and long caching; a matching If-None-Match answers 304 without reading anything."""
    if filename != "draw.json" and filename not in _FROZEN_FILES:
        raise Http404
    draw = get_object_or_404(InspectionDraw.objects.defer(*_LIGHT_FIELDS), pk=pk)
    if filename == "strata.tsv" and not draw.strata_hash:
        raise Http404
    content_type = (
        "application/json; charset=utf-8"
        if filename == "draw.json"
        else "text/plain; charset=utf-8"
    )
    if not draw.is_executed:
        # Before execution only the commitment is public, and draw.json changes at execution.
        draw = InspectionDraw.objects.get(pk=pk)
        body = (
            draw_published_document(draw)
            if filename == "draw.json"
            else getattr(draw, _FROZEN_FILES[filename])
        )
        response = HttpResponse(body.encode("utf-8"), content_type=content_type)
        response["Cache-Control"] = "no-cache"
    else:
        path = draw_public_file_path(draw, filename)
        if not default_storage.exists(f"{path}.sha256"):
            draw_public_files_write(draw=InspectionDraw.objects.get(pk=pk))
        with default_storage.open(f"{path}.sha256", "rb") as handle:
            etag = f'"{handle.read().decode("ascii")}"'
        if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
            response = HttpResponseNotModified()
        else:
            response = FileResponse(default_storage.open(path, "rb"), content_type=content_type)
        response["ETag"] = etag
        response["Cache-Control"] = "public, max-age=86400, immutable"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def verifier_download(request):
    response = HttpResponse(VERIFIER.read_bytes(), content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verify_draw.py"'
    return response
