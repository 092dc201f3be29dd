"""Public credit lists (R-CRD-12, 一公开): organizations currently on each list with ground,
decision number and date; no login; searchable by name or USCC."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from oversight.credit.choices import CreditList
from oversight.credit.selectors import public_credit_list

PAGE_SIZE = 50


@require_GET
def credit_lists(request):
    q = request.GET.get("q", "").strip()[:100].replace("\x00", "")
    selected = request.GET.get("list", "")
    sections = []
    for list_type, label in CreditList.choices:
        if selected and selected != list_type:
            continue
        listings = public_credit_list(list_type=list_type, q=q).only(
            "organization_name",
            "ground",
            "decision_no",
            "decided_on",
            "list_type",
            "organization__name",
            "organization__uscc",
        )
        page = Paginator(listings, PAGE_SIZE).get_page(request.GET.get(f"page_{list_type}"))
        sections.append({"list_type": list_type, "label": label, "page": page})
    return render(
        request,
        "public/credit_lists.html",
        {"sections": sections, "q": q, "selected": selected, "lists": CreditList.choices},
    )
