"""Admin actions that ask for input on an intermediate page, then act on the whole selection
all or nothing — the one pattern every app's admin uses for lifecycle and workflow steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.template.response import TemplateResponse

ACTION_TEMPLATE = "admin/action_form.html"


def action_confirmation_page(
    modeladmin,
    request,
    queryset: QuerySet,
    *,
    label: str,
    form,
    intro: str = "",
    describe: Callable[[Any], str] = str,
) -> TemplateResponse:
    """The page that lists the selection and asks for the action's form."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"{label}：确认",
        "label": label,
        "intro": intro,
        "form": form,
        "items": [describe(obj) for obj in queryset[:200]],
        "count": queryset.count(),
        "action": request.POST.get("action"),
        "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, ACTION_TEMPLATE, context)


def run_on_selection(
    modeladmin,
    request,
    queryset: QuerySet,
    *,
    label: str,
    form_class: type,
    apply: Callable[[Any, dict], None],
    describe: Callable[[Any], str] = str,
    intro: str = "",
    whole_selection: bool = False,
):
    """Ask `form_class`, then `apply(obj, cleaned_data)` to every selected object — or, with
    `whole_selection`, `apply(objects, cleaned_data)` once — in one transaction: all or
    nothing, naming each object that cannot take the action."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if not ("apply" in request.POST and form.is_valid()):
        return action_confirmation_page(
            modeladmin, request, queryset, label=label, form=form, intro=intro, describe=describe
        )
    objects = list(queryset)
    failures: list[str] = []
    try:
        with transaction.atomic():
            if whole_selection:
                apply(objects, form.cleaned_data)
            else:
                for obj in objects:
                    try:
                        apply(obj, form.cleaned_data)
                    except ValidationError as exc:
                        failures.append(f"{describe(obj)}：{'；'.join(exc.messages)}")
                if failures:
                    raise ValidationError(failures)
    except ValidationError as exc:
        detail = (
            f"以下 {len(failures)} 条记录不符合条件：" + " ".join(failures)
            if failures
            else "；".join(exc.messages)
        )
        modeladmin.message_user(request, f"{label}未执行，全部未作变更。{detail}", messages.ERROR)
        return None
    modeladmin.message_user(request, f"已对 {len(objects)} 条记录{label}。", messages.SUCCESS)
    return None
