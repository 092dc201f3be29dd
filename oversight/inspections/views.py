"""Public pages of the random inspection draws (双随机、一公开, DESIGN.md §4.2 Publication).

Every draw is public from its creation (its commitment); once executed, the nonce, the
public value, the seed, the selection with its inspectors, the frozen files and the
stand-alone verifier; each inspection's outcome once it is published.
"""

from __future__ import annotations

from pathlib import Path

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

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
    draw = get_object_or_404(InspectionDraw, pk=pk)
    if filename == "draw.json":
        body, content_type = draw_published_document(draw), "application/json; charset=utf-8"
    elif filename in _FROZEN_FILES and (filename != "strata.tsv" or draw.strata_hash):
        body, content_type = getattr(draw, _FROZEN_FILES[filename]), "text/plain; charset=utf-8"
    else:
        raise Http404
    response = HttpResponse(body.encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def verifier_download(request):
    response = HttpResponse(VERIFIER.read_bytes(), content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verify_draw.py"'
    return response
