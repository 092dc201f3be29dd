"""Public catalog page (一公开): the edition in force and the earlier ones, searchable."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .selectors import catalog_entries, catalog_published_editions

PAGE_SIZE = 50


@require_GET
def catalog_public(request):
    editions = list(catalog_published_editions())
    q = request.GET.get("q", "").strip()[:100].replace("\x00", "")
    wanted = request.GET.get("edition", "")
    edition = editions[0] if editions else None
    if wanted:
        edition = next((e for e in editions if str(e.number) == wanted), None)
        if edition is None:
            raise Http404("没有这一版目录。")
    page = None
    if edition is not None:
        entries = catalog_entries(edition=edition, search=q)
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/catalog_public.html",
        {
            "editions": editions,
            "edition": edition,
            "is_current": bool(editions) and edition == editions[0],
            "page": page,
            "q": q,
        },
    )
