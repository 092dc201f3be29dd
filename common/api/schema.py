"""OpenAPI description of the token scheme (drf-spectacular extension, loaded in AppConfig)."""

import copy

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)
from rest_framework import fields as drf_fields


class ApiTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "common.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "在请求头中携带令牌：`Authorization: Token <令牌>`。"
            "令牌由登记管理机关在管理后台或以 `manage.py create_api_token` 签发，只显示一次。",
        }


def drop_parameter_titles(result, generator, request, public):
    """Postprocessing hook: remove `title` from query-parameter schemas.

    django-filter gives a choice filter its Chinese label as the schema title, and client
    generators name the parameter's enum type after the title (`OrganizationsList组织类型`);
    without it they use the operation and parameter names (`OrganizationsListOrgType`). The
    label stays readable in the parameter's description."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                schema.pop("title", None)
                schema.get("items", {}).pop("title", None)  # multiple-choice filters
    return result


class ReadOnlyBlankChoiceField(OpenApiSerializerFieldExtension):
    """A read-only choice field of a ModelSerializer whose model field may be blank.

    DRF drops `allow_blank` from read-only fields, so the schema's enum lacks "" although the
    response carries it (e.g. an annual report's opinion before the unit gave one), and a
    generated client fails to parse the response. Describe the field with the blank allowed."""

    target_class = drf_fields.ChoiceField
    match_subclasses = True
    priority = 1

    @classmethod
    def _matches(cls, target) -> bool:
        if not super()._matches(target) or not getattr(target, "read_only", False):
            return False
        model_field = _model_field(target)
        return (
            isinstance(model_field, models.CharField)
            and model_field.blank
            and not target.allow_blank
        )

    def map_serializer_field(self, auto_schema, direction):
        field = copy.copy(self.target)
        field.allow_blank = True
        return auto_schema._map_serializer_field(field, direction, bypass_extensions=True)


def _model_field(field):
    meta = getattr(getattr(field, "parent", None), "Meta", None)
    model = getattr(meta, "model", None)
    if model is None or not field.source or "." in field.source:
        return None
    try:
        return model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None
