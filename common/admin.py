"""Admin of API accounts: issue tokens (the key is shown once), revoke them, memberships."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import path, reverse

from . import admin_audit  # noqa: F401  (registers the audit trail admin)
from .forms import ApiTokenCreateForm
from .models import ApiToken, DepartmentMembership
from .services import api_token_create, api_token_revoke, department_user_ensure


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "user",
        "unit",
        "name",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["user__username", "name", "prefix"]
    list_select_related = ["user__department_membership__supervising_unit"]
    readonly_fields = [
        "user",
        "unit",
        "prefix",
        "created_at",
        "created_by",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]
    fields = ["user", "unit", "name", *readonly_fields[2:]]
    actions = ["revoke_tokens"]

    @admin.display(description="业务主管单位")
    def unit(self, obj: ApiToken):
        membership = getattr(obj.user, "department_membership", None)
        return membership.supervising_unit if membership else "（局机关）"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoked tokens stay as the record of who could call the API

    def get_urls(self):
        return [
            path(
                "issue/",
                self.admin_site.admin_view(self.issue_view),
                name="common_apitoken_issue",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return self.issue_view(request)

    def issue_view(self, request):
        """Issue a token and show its raw key on the response page itself, once: it is never
        stored, not even in a message cookie, so reloading the list cannot show it again."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ApiTokenCreateForm(request.POST or None, issuer=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    user = data["user"]
                    unit = data["supervising_unit"]
                    if data["new_username"]:
                        user = department_user_ensure(username=data["new_username"], unit=unit)
                    elif unit is not None and not user.is_staff:
                        department_user_ensure(username=user.username, unit=unit)
                    token, key = api_token_create(
                        user=user,
                        name=data["name"],
                        expires_at=data["expires_at"],
                        actor=request.user,
                    )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.log_addition(request, token, [{"added": {}}])
                return TemplateResponse(
                    request,
                    "admin/common/apitoken/issued.html",
                    {
                        **self.admin_site.each_context(request),
                        "opts": self.model._meta,
                        "title": "令牌已签发",
                        "token": token,
                        "key": key,
                        "changelist_url": reverse("admin:common_apitoken_changelist"),
                    },
                )
        return TemplateResponse(
            request,
            "admin/common/apitoken/issue.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "签发 API 令牌",
                "form": form,
                "changelist_url": reverse("admin:common_apitoken_changelist"),
            },
        )

    @admin.action(description="吊销所选令牌", permissions=["change"])
    def revoke_tokens(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, actor=request.user)
            count += 1
        self.message_user(request, f"已吊销 {count} 个令牌。", messages.SUCCESS)


@admin.register(DepartmentMembership)
class DepartmentMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "supervising_unit", "created_at"]
    list_select_related = ["user", "supervising_unit"]
    list_filter = ["supervising_unit"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


class DepartmentMembershipInline(admin.StackedInline):
    model = DepartmentMembership
    can_delete = True
    extra = 0
    max_num = 1
    verbose_name_plural = "部门账号（业务主管单位）"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithMembershipAdmin(UserAdmin):
    """Django's user admin, plus the unit a department user acts for."""

    inlines = [*UserAdmin.inlines, DepartmentMembershipInline]


from common import admin_workdays  # noqa: E402, F401  (registers the calendar admin)
from common.admin_policy import LegalPeriodAdmin  # noqa: E402, F401  (registers its admin)
