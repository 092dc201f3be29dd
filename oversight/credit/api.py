"""API resources of the credit lists: credit-listings/ (read-only, scoped through common.api)
and special-letters/ (a department records its organizations' letters and their outcome).

Each credit-listings row is one listing decision with its removal flattened in (removed_on,
removal ground and document number); `active=true` gives the listings in force today."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.fields import ChoiceLabelField
from common.api.viewsets import ScopedReadOnlyModelViewSet
from common.scoping import filter_by_unit, user_scope_unit_id
from oversight.credit.choices import LetterMailing, LetterReturnReason, RemovalGround
from oversight.credit.filters import CreditListingFilterSet, SpecialLetterFilterSet
from oversight.credit.intake import (
    special_letter_record,
    special_letter_return_record,
    special_letter_signed_record,
)
from oversight.credit.models import CreditListing, CreditRemoval, SpecialLetter
from oversight.credit.selectors import listing_removal
from registry.api.serializers import OrganizationBriefSerializer
from registry.api.views import RECORD_SCOPE_NOTE
from registry.models import Organization
from registry.uscc import uscc_normalize


class CreditListingSerializer(serializers.ModelSerializer):
    """列入决定 (R-CRD-11), with the removal that closed it, if any."""

    organization = OrganizationBriefSerializer(read_only=True)
    list_type_display = ChoiceLabelField(source="list_type")
    action_display = ChoiceLabelField(source="action")
    ground_display = ChoiceLabelField(source="ground")
    active = serializers.SerializerMethodField(help_text="现仍在名录中（尚无移出决定）")
    removed_on = serializers.SerializerMethodField(help_text="移出日期")
    removal_ground = serializers.SerializerMethodField(help_text="移出依据")
    removal_ground_display = serializers.SerializerMethodField(help_text="移出依据（中文）")
    removal_decision_no = serializers.SerializerMethodField(help_text="移出决定书文号")

    class Meta:
        model = CreditListing
        fields = [
            "id",
            "organization",
            "organization_name",
            "list_type",
            "list_type_display",
            "action",
            "action_display",
            "ground",
            "ground_display",
            "facts",
            "decided_on",
            "effective_on",
            "authority",
            "decision_no",
            "served_on",
            "review_due_on",
            "active",
            "removed_on",
            "removal_ground",
            "removal_ground_display",
            "removal_decision_no",
            "updated_at",
        ]
        read_only_fields = fields

    def _removal(self, obj: CreditListing) -> CreditRemoval | None:
        return listing_removal(obj)

    @extend_schema_field(serializers.BooleanField())
    def get_active(self, obj: CreditListing) -> bool:
        return self._removal(obj) is None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_removed_on(self, obj: CreditListing):
        removal = self._removal(obj)
        return removal.decided_on if removal else None

    @extend_schema_field(serializers.ChoiceField(choices=RemovalGround.choices, allow_null=True))
    def get_removal_ground(self, obj: CreditListing) -> str | None:
        removal = self._removal(obj)
        return removal.ground if removal else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_removal_ground_display(self, obj: CreditListing) -> str | None:
        removal = self._removal(obj)
        return removal.get_ground_display() if removal else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_removal_decision_no(self, obj: CreditListing) -> str | None:
        removal = self._removal(obj)
        return removal.decision_no if removal else None


@extend_schema_view(
    list=extend_schema(
        summary="信用名录列入决定列表",
        description=(
            "分页列出活动异常名录和严重违法失信名单的列入决定，含移出信息（移出日期、依据、"
            "文号）；可按名录、依据、是否仍在名录中、决定日期、组织和主管单位筛选。"
            f"{RECORD_SCOPE_NOTE}"
        ),
    ),
    retrieve=extend_schema(summary="查询一条信用名录列入决定", description=RECORD_SCOPE_NOTE),
)
@extend_schema(tags=["credit_listings"])
class CreditListingViewSet(ScopedReadOnlyModelViewSet):
    queryset = CreditListing.objects.all()
    serializer_class = CreditListingSerializer
    lookup_field = "id"
    filterset_class = CreditListingFilterSet
    search_fields = [
        "organization__name",
        "organization_name",
        "^organization__uscc",
        "decision_no",
    ]
    ordering_fields = ["decided_on", "review_due_on"]
    ordering = ["-decided_on", "-id"]

    def get_queryset(self) -> QuerySet[CreditListing]:
        # Page, count and one prefetch of removals: constant whatever the page size.
        return (
            super()
            .get_queryset()
            .select_related("organization")
            .prefetch_related(
                Prefetch("removals", queryset=CreditRemoval.objects.order_by("decided_on", "pk"))
            )
        )


# ------------------------------------------------------------------ special letters


class SpecialLetterSerializer(serializers.ModelSerializer):
    """专项信函 (R-CRD-03, D6, D15): a mailing to the registered address and its outcome."""

    organization = OrganizationBriefSerializer(read_only=True)
    mailing_display = ChoiceLabelField(source="mailing")
    return_reason_display = ChoiceLabelField(source="return_reason")
    first_letter = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="第二次寄送所对应的第一次寄送信函的 id"
    )
    has_sent_evidence = serializers.SerializerMethodField(help_text="已上传寄件凭证")
    has_return_evidence = serializers.SerializerMethodField(help_text="已上传退件凭证")

    class Meta:
        model = SpecialLetter
        fields = [
            "id",
            "organization",
            "mailing",
            "mailing_display",
            "first_letter",
            "address",
            "sent_on",
            "tracking_no",
            "signed_for",
            "returned_on",
            "return_reason",
            "return_reason_display",
            "has_sent_evidence",
            "has_return_evidence",
            "updated_at",  # declared here: the write actions' responses use this class too
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_has_sent_evidence(self, obj: SpecialLetter) -> bool:
        return bool(obj.sent_evidence)

    @extend_schema_field(serializers.BooleanField())
    def get_has_return_evidence(self, obj: SpecialLetter) -> bool:
        return bool(obj.return_evidence)


class SpecialLetterCreateSerializer(serializers.Serializer):
    """寄出登记 (input of POST special-letters/)."""

    organization_uscc = serializers.CharField(
        max_length=18, help_text="收件社会组织的统一社会信用代码（须为本单位主管的组织）"
    )
    mailing = serializers.ChoiceField(
        choices=LetterMailing.choices,
        default=LetterMailing.FIRST,
        help_text="1（第一次）或 2（第二次，须在第一次寄出满规定间隔之后）",
    )
    sent_on = serializers.DateField(help_text="寄出日期")
    tracking_no = serializers.CharField(max_length=50, help_text="EMS 邮件号")


class SpecialLetterReturnSerializer(serializers.Serializer):
    """退回登记 (input of the `return` action)."""

    returned_on = serializers.DateField(help_text="退回日期，不早于寄出日期")
    return_reason = serializers.ChoiceField(
        choices=LetterReturnReason.choices, help_text="退回原因"
    )


LETTER_ERRORS = {
    400: OpenApiResponse(description="输入无效或不符合规则（按字段说明原因）"),
    403: OpenApiResponse(description="局机关工作人员没有相应的专项信函权限"),
    404: OpenApiResponse(description="组织或信函不存在，或不在本单位范围内"),
}


@extend_schema_view(
    list=extend_schema(
        summary="专项信函列表",
        description=(
            "分页列出寄往社会组织登记住所的专项信函及其投递结果（签收或退回），可按组织、"
            f"主管单位、寄送次序、寄出日期和是否退回筛选。{RECORD_SCOPE_NOTE}"
        ),
    ),
    retrieve=extend_schema(summary="查询一封专项信函", description=RECORD_SCOPE_NOTE),
)
@extend_schema(tags=["special_letters"])
class SpecialLetterViewSet(ScopedReadOnlyModelViewSet):
    queryset = SpecialLetter.objects.all()
    serializer_class = SpecialLetterSerializer
    lookup_field = "id"
    filterset_class = SpecialLetterFilterSet
    search_fields = ["organization__name", "^organization__uscc", "tracking_no"]
    ordering_fields = ["sent_on", "returned_on"]
    ordering = ["-sent_on", "-id"]
    # A department records the letters of the organizations it supervises and their outcome;
    # staff need oversight.add_specialletter / change_specialletter.
    action_scope_map = {"record_return": "change", "record_signed": "change"}
    department_actions = ("create", "record_return", "record_signed")

    def get_queryset(self) -> QuerySet[SpecialLetter]:
        return super().get_queryset().select_related("organization")

    def _organization(self, uscc: str) -> Organization:
        """The organization a new letter goes to, within the caller's scope (else 404)."""
        organizations = Organization.objects.all()
        user = self.request.user
        if not (user.is_superuser or user.is_staff):
            organizations = filter_by_unit(
                organizations, "supervising_unit", user_scope_unit_id(user) or 0
            )
        organization = organizations.filter(uscc=uscc_normalize(uscc)).first()
        if organization is None:
            raise NotFound()
        return organization

    @extend_schema(
        summary="登记专项信函寄出",
        description=(
            "业务主管单位为本单位主管的社会组织登记一封寄往其登记住所的专项信函（EMS）。"
            "第二次寄送自动对应该组织最近一次尚无第二次寄送的第一次信函，且须满规定间隔"
            f"（R-CRD-03）。其他单位的组织答复 404。{RECORD_SCOPE_NOTE}"
        ),
        request=SpecialLetterCreateSerializer,
        responses={201: SpecialLetterSerializer, **LETTER_ERRORS},
    )
    def create(self, request: Request) -> Response:
        serializer = SpecialLetterCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        letter = special_letter_record(
            organization=self._organization(data["organization_uscc"]),
            mailing=data["mailing"],
            sent_on=data["sent_on"],
            tracking_no=data["tracking_no"],
            actor=request.user,
        )
        return Response(self.get_serializer(letter).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="登记专项信函退回",
        description=(
            "登记信函未签收被退回的日期和原因；登记后该信函才算未签收（D15）。"
            f"已登记签收或退回的信函不能再次登记。{RECORD_SCOPE_NOTE}"
        ),
        request=SpecialLetterReturnSerializer,
        responses={200: SpecialLetterSerializer, **LETTER_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def record_return(self, request: Request, id: str | None = None) -> Response:
        letter = self.get_object()
        serializer = SpecialLetterReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        letter = special_letter_return_record(
            letter=letter, actor=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(letter).data)

    @extend_schema(
        summary="登记专项信函签收",
        description=f"登记该信函已由社会组织签收（可以通过登记住所联系）。{RECORD_SCOPE_NOTE}",
        request=None,
        responses={200: SpecialLetterSerializer, **LETTER_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="signed")
    def record_signed(self, request: Request, id: str | None = None) -> Response:
        letter = special_letter_signed_record(letter=self.get_object(), actor=request.user)
        return Response(self.get_serializer(letter).data)
