"""Admin form that issues an API token, for an existing user or a new department user."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q

from .services import MANAGE_DEPARTMENT_ACCOUNTS, scope_unit_model


class ApiTokenCreateForm(forms.Form):
    user = forms.ModelChoiceField(
        label="已有用户",
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        help_text="为已有的部门账号或工作人员签发令牌。",
    )
    new_username = forms.CharField(
        label="或新建部门账号",
        max_length=150,
        required=False,
        help_text="新账号的用户名（无登录密码，只用令牌调用 API）。",
    )
    supervising_unit = forms.ModelChoiceField(
        label="业务主管单位",
        queryset=scope_unit_model().objects.none(),
        required=False,
        help_text="新建部门账号、或为尚未绑定单位的已有非工作人员账号绑定时填写。",
    )
    name = forms.CharField(
        label="用途说明", max_length=100, required=False, help_text="如“教育局业务系统对接”。"
    )
    expires_at = forms.DateTimeField(
        label="过期时间",
        required=False,
        help_text="留空表示不过期。格式：2027-12-31 23:59",
        widget=forms.DateTimeInput(attrs={"placeholder": "2027-12-31 23:59"}),
    )

    def __init__(self, *args, issuer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervising_unit"].queryset = scope_unit_model().objects.all()
        # Offer only the accounts the issuer may issue for (common.services.
        # api_token_issue_check decides; this keeps the list honest).
        users = get_user_model().objects.filter(is_active=True).order_by("username")
        if not issuer.is_superuser:
            mine = Q(pk=issuer.pk)
            if issuer.has_perm(MANAGE_DEPARTMENT_ACCOUNTS):
                mine |= Q(is_staff=False, is_superuser=False)
            users = users.filter(mine)
        self.fields["user"].queryset = users

    def clean(self):
        cleaned = super().clean()
        user, new_username = cleaned.get("user"), (cleaned.get("new_username") or "").strip()
        unit = cleaned.get("supervising_unit")
        if bool(user) == bool(new_username):
            raise ValidationError("请选择一个已有用户，或填写新建部门账号的用户名（二选一）。")
        if new_username:
            if get_user_model().objects.filter(username=new_username).exists():
                self.add_error("new_username", "该用户名已存在，请在“已有用户”中选择。")
            if unit is None:
                self.add_error("supervising_unit", "新建部门账号必须选择业务主管单位。")
        elif (
            user is not None
            and not user.is_staff
            and unit is None
            and not hasattr(user, "department_membership")
        ):
            self.add_error(
                "supervising_unit",
                "该用户既不是工作人员也未绑定业务主管单位，令牌将看不到任何记录；请选择单位。",
            )
        cleaned["new_username"] = new_username
        return cleaned
