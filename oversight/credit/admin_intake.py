"""Admin of the credit intake: penalties and special letters are entered, corrected (penalties)
or given their outcome (letters: signed, or returned with the reason) through the intake
services, imported from Excel (with a template to download), never deleted.

The forms run the service itself in a savepoint that is always rolled back, so they refuse
exactly what the service refuses, with its messages, tied to the field; `save_model` then
calls the service for real (with the evidence files, which a dry run must not store)."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from common.admin_excel import ExcelImportExportMixin
from common.admin_service_add import copy_saved
from common.excel import XLSX_CONTENT_TYPE, xlsx_write
from oversight.admin_base import FileDownloadMixin, RecordAdminMixin
from oversight.credit.choices import LetterMailing, LetterReturnReason, PenaltyKind
from oversight.credit.imports import (
    LETTER_COLUMNS,
    PENALTY_COLUMNS,
    intake_template_xlsx,
    penalties_import,
    special_letters_import,
)
from oversight.credit.intake import (
    PENALTY_CORRECTABLE,
    penalty_correct,
    penalty_record,
    special_letter_record,
    special_letter_return_record,
    special_letter_signed_record,
)
from oversight.credit.models import Penalty, SpecialLetter
from oversight.forms import DATE_WIDGET

EXPORT_CHUNK = 2000


def _dry_run(form: forms.ModelForm, call) -> None:
    """Run `call()` (a service) in a savepoint that is always rolled back; its refusals become
    the form's errors on the fields they name."""
    try:
        with transaction.atomic():
            call()
            transaction.set_rollback(True)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)


class _ServiceForm(forms.ModelForm):
    def validate_unique(self) -> None:
        # The service checks uniqueness and the constraints in its own words (clean()).
        return


class _IntakeAdmin(ExcelImportExportMixin, FileDownloadMixin, RecordAdminMixin, SimpleHistoryAdmin):
    """Excel import with a template download, export of the filtered list, file downloads."""

    change_list_template = "admin/oversight/intake/change_list.html"
    excel_import_template = "admin/oversight/intake/import.html"
    excel_template_title = ""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import/template/",
                self.admin_site.admin_view(self.template_view),
                name="{}_{}_import_template".format(*info),
            ),
            *super().get_urls(),
        ]

    def template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        buffer = io.BytesIO()
        intake_template_xlsx(
            columns=self.excel_columns, title=self.excel_template_title, fileobj=buffer
        )
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{self.opts.model_name}-template.xlsx"
        )
        return response

    def _import_context(self, request) -> dict:
        info = self.opts.app_label, self.opts.model_name
        return {
            **super()._import_context(request),
            "template_url": reverse("admin:{}_{}_import_template".format(*info)),
        }

    def excel_import_pending(self, result) -> bool:
        return bool(result.to_create)

    def _export(self, queryset, fileobj, fields, convert) -> int:
        columns = self.excel_columns
        rows = (
            [convert.get(c.field, lambda v: v)(v) for c, v in zip(columns, values, strict=True)]
            for values in queryset.values_list(*fields).iterator(chunk_size=EXPORT_CHUNK)
        )
        return xlsx_write(
            fileobj,
            headers=[c.header for c in columns],
            rows=rows,
            widths=[c.width for c in columns],
            sheet_title=self.excel_template_title,
        )


# ------------------------------------------------------------------ penalties


class PenaltyAdminForm(_ServiceForm):
    class Meta:
        model = Penalty
        fields = ["organization", *PENALTY_CORRECTABLE, "legal_basis", "evidence"]
        widgets = {"decided_on": DATE_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk and "authority" in self.fields:
            self.fields["authority"].initial = settings.CREDIT_AUTHORITY

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        data = {f: cleaned.get(f) for f in (*PENALTY_CORRECTABLE, "legal_basis")}
        if self.instance.pk:
            _dry_run(self, lambda: penalty_correct(penalty=self.instance, changes=data))
        else:
            _dry_run(self, lambda: penalty_record(organization=cleaned["organization"], **data))
        return cleaned


@admin.register(Penalty)
class PenaltyAdmin(_IntakeAdmin):
    form = PenaltyAdminForm
    list_display = ["organization", "kind", "amount", "decided_on", "decision_no", "authority"]
    list_filter = ["kind", "decided_on"]
    search_fields = ["organization__name", "=organization__uscc", "decision_no"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    date_hierarchy = "decided_on"
    download_fields = ("evidence",)
    excel_import_title = "从 Excel 导入行政处罚"
    excel_export_basename = "行政处罚"
    excel_template_title = "行政处罚"
    excel_columns = PENALTY_COLUMNS
    excel_session_key = "oversight_penalty_imports"

    def get_readonly_fields(self, request, obj=None):
        return ["organization"] if obj else []

    def save_model(self, request, obj, form, change) -> None:
        data = {f: form.cleaned_data.get(f) for f in (*PENALTY_CORRECTABLE, "legal_basis")}
        evidence = form.cleaned_data.get("evidence") if "evidence" in form.changed_data else None
        if change:
            changes = {f: data[f] for f in form.changed_data if f in data}
            saved = penalty_correct(
                penalty=obj,
                changes={**changes, **({"evidence": evidence} if evidence else {})},
                actor=request.user,
            )
        else:
            saved = penalty_record(
                organization=obj.organization, evidence=evidence, actor=request.user, **data
            )
        copy_saved(obj, saved)

    def excel_import(self, *, fileobj, actor, commit: bool):
        return penalties_import(fileobj=fileobj, actor=actor, commit=commit)

    def excel_import_done_message(self, result) -> str:
        return f"导入完成：新增 {result.created} 条行政处罚记录。"

    def excel_export(self, *, queryset, fileobj) -> int:
        kinds = dict(PenaltyKind.choices)
        fields = ["organization__uscc", "kind", "amount", "decided_on", "decision_no",
                  "authority", "facts", "legal_basis"]  # fmt: skip
        return self._export(queryset, fileobj, fields, {"kind": kinds.get})


# ------------------------------------------------------------------ special letters

LETTER_SENT_FIELDS = ["organization", "mailing", "sent_on", "tracking_no", "sent_evidence"]
LETTER_OUTCOME_FIELDS = ["signed_for", "returned_on", "return_reason", "return_evidence"]


class SpecialLetterAdminForm(_ServiceForm):
    class Meta:
        model = SpecialLetter
        fields = [*LETTER_SENT_FIELDS, *LETTER_OUTCOME_FIELDS]
        widgets = {"sent_on": DATE_WIDGET, "returned_on": DATE_WIDGET}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not self.instance.pk:
            _dry_run(
                self,
                lambda: special_letter_record(
                    organization=cleaned["organization"],
                    mailing=cleaned["mailing"],
                    sent_on=cleaned["sent_on"],
                    tracking_no=cleaned["tracking_no"],
                ),
            )
        elif cleaned.get("signed_for") and cleaned.get("returned_on"):
            self.add_error("returned_on", "已签收的信函不能同时登记退回。")
        elif cleaned.get("signed_for"):
            _dry_run(self, lambda: special_letter_signed_record(letter=self.instance))
        elif cleaned.get("returned_on") or cleaned.get("return_reason"):
            if not cleaned.get("returned_on"):
                self.add_error("returned_on", "登记退回须填写退回日期。")
                return cleaned
            _dry_run(
                self,
                lambda: special_letter_return_record(
                    letter=self.instance,
                    returned_on=cleaned["returned_on"],
                    return_reason=cleaned.get("return_reason") or "",
                ),
            )
        return cleaned


@admin.register(SpecialLetter)
class SpecialLetterAdmin(_IntakeAdmin):
    form = SpecialLetterAdminForm
    list_display = [
        "organization",
        "mailing",
        "sent_on",
        "tracking_no",
        "signed_for",
        "returned_on",
        "return_reason",
    ]
    list_filter = ["mailing", "signed_for", "return_reason", "sent_on"]
    search_fields = ["organization__name", "=organization__uscc", "tracking_no"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    download_fields = ("sent_evidence", "return_evidence")
    excel_import_title = "从 Excel 导入专项信函"
    excel_export_basename = "专项信函"
    excel_template_title = "专项信函"
    excel_columns = LETTER_COLUMNS
    excel_session_key = "oversight_special_letter_imports"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        sent = [*LETTER_SENT_FIELDS, "address", "first_letter"]
        if obj.signed_for or obj.returned_on:
            return [*sent, *LETTER_OUTCOME_FIELDS]  # the outcome is recorded once
        return sent

    def get_fields(self, request, obj=None):
        if obj is None:
            return LETTER_SENT_FIELDS
        return [*LETTER_SENT_FIELDS[:1], "address", "first_letter", *LETTER_SENT_FIELDS[1:],
                *LETTER_OUTCOME_FIELDS]  # fmt: skip

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        if not change:
            saved = special_letter_record(
                organization=data["organization"],
                mailing=data["mailing"],
                sent_on=data["sent_on"],
                tracking_no=data["tracking_no"],
                sent_evidence=data.get("sent_evidence") or None,
                actor=request.user,
            )
        elif data.get("signed_for"):
            saved = special_letter_signed_record(letter=obj, actor=request.user)
        elif data.get("returned_on"):
            saved = special_letter_return_record(
                letter=obj,
                returned_on=data["returned_on"],
                return_reason=data.get("return_reason") or "",
                return_evidence=data.get("return_evidence") or None,
                actor=request.user,
            )
        else:
            return  # nothing recorded yet: the letter is still in transit
        copy_saved(obj, saved)

    def excel_import(self, *, fileobj, actor, commit: bool):
        return special_letters_import(fileobj=fileobj, actor=actor, commit=commit)

    def excel_import_done_message(self, result) -> str:
        return f"导入完成：新增 {result.created} 封专项信函。"

    def excel_export(self, *, queryset, fileobj) -> int:
        fields = ["organization__uscc", "mailing", "sent_on", "tracking_no", "signed_for",
                  "returned_on", "return_reason"]  # fmt: skip
        mailings, reasons = dict(LetterMailing.choices), dict(LetterReturnReason.choices)
        return self._export(
            queryset,
            fileobj,
            fields,
            {
                "mailing": mailings.get,
                "signed_for": lambda v: "是" if v else "否",
                "return_reason": lambda v: reasons.get(v, ""),
            },
        )
