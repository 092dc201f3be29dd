"""List pages built from `values_list` rows instead of model instances (issue 14 item 5).

A page of 50 organizations through DRF builds 150 model instances (the row and two
`select_related` objects), then walks every serializer field of every row: in a profile of
the department list page at 1M organizations that was half of the view's Python. The
serializer already says which columns a page shows, so `values_plan()` reads it once per
serializer class and turns it into the `values_list()` columns to fetch and, per column,
how to render it: as the field itself would (`field.to_representation`), or unchanged where
that is the identity (text, integers, booleans), or through a nested serializer's columns
across a forward foreign key (`null` when the key is empty, as DRF renders it).

Only what is rendered the same way by construction takes this path: fields of DRF's own
classes (or subclasses that keep their `to_representation` and `get_attribute`) reading one
model column or one annotation of the queryset, `ChoiceLabelField`, and nested serializers
made of such fields. A serializer with anything else (method fields, dotted or `*` sources,
relations, its own `to_representation`, fields chosen per instance or request) returns no plan
and lists through DRF unchanged; so do keyset (`?cursor=`) pages and DISTINCT querysets.
`tests/common/test_values_plan.py` renders the same rows both ways and compares them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework import fields as drf_fields
from rest_framework import serializers

from common.api.fast import FastRepresentationMixin, plain_source
from common.api.fields import ChoiceLabelField

# Field classes whose to_representation returns a value read from these model columns
# unchanged (CharField: str(), IntegerField: int(), BooleanField: the bool itself).
_TEXT_COLUMNS = {"CharField", "TextField", "SlugField", "EmailField", "URLField"}
_INTEGER_COLUMNS = {
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
}
_IDENTITY = {
    drf_fields.CharField: _TEXT_COLUMNS,
    drf_fields.IntegerField: _INTEGER_COLUMNS,
    drf_fields.BooleanField: {"BooleanField"},
}
# DRF's own value fields (relations, method fields, serializer-valued and list fields are
# not among them), subclasses before their bases. A subclass of one qualifies when it
# renders and reads the way that base does.
_RENDERED_BY_BASE = (
    drf_fields.CharField,
    drf_fields.BigIntegerField,
    drf_fields.IntegerField,
    drf_fields.BooleanField,
    drf_fields.DecimalField,
    drf_fields.FloatField,
    drf_fields.DateField,
    drf_fields.DateTimeField,
    drf_fields.TimeField,
    drf_fields.DurationField,
    drf_fields.UUIDField,
    drf_fields.ChoiceField,
    drf_fields.JSONField,
    drf_fields.ReadOnlyField,
)
# FastRepresentationMixin renders what DRF renders (tests/common/test_fast_serializer.py).
_SERIALIZER_RENDERERS = {
    serializers.Serializer.to_representation,
    FastRepresentationMixin.to_representation,
}


class _Part(NamedTuple):
    """One key of the rendered row. A column: its position in the values_list tuple and its
    renderer (None: the value goes out unchanged). A nested serializer: `index` is its
    foreign key's column when the key may be empty (else None), `nested` its columns."""

    name: str
    index: int | None
    render: Callable | None
    nested: tuple[_Part, ...] | None = None


@dataclass(frozen=True)
class ValuesPlan:
    """The `values_list` columns of a list page and how each row becomes the serializer's
    dict (same keys, same order, same values)."""

    columns: tuple[str, ...]
    parts: tuple[_Part, ...]

    def rows(self, tuples: Iterable[tuple]) -> list[dict]:
        # Inlined per column (no call per value): this loop runs 1,000 times for a page.
        parts = self.parts
        rendered = []
        for values in tuples:
            row = {}
            for name, index, render, nested in parts:
                if nested is None:
                    value = values[index]
                    row[name] = value if value is None or render is None else render(value)
                elif index is not None and values[index] is None:
                    row[name] = None
                else:
                    sub = row[name] = {}
                    for sub_name, sub_index, sub_render, _ in nested:
                        value = values[sub_index]
                        sub[sub_name] = (
                            value if value is None or sub_render is None else sub_render(value)
                        )
            rendered.append(row)
        return rendered


_PLANS: dict[tuple, ValuesPlan | None] = {}


def values_plan(serializer_class, queryset) -> ValuesPlan | None:
    """The plan for rendering `queryset`'s rows as `serializer_class` does, or None when
    some field cannot be read from a column. Cached per serializer class and the queryset's
    annotation names (the plan reads annotations by name)."""
    if queryset.query.distinct or queryset.query.values_select:
        return None
    annotations = frozenset(queryset.query.annotations)
    key = (serializer_class, queryset.model, annotations)
    if key not in _PLANS:
        _PLANS[key] = _build(serializer_class, queryset.model, annotations)
    return _PLANS[key]


def _build(serializer_class, model, annotations) -> ValuesPlan | None:
    serializer = serializer_class()
    if not _renders_plainly(serializer, model):
        return None
    columns: list[str] = []
    parts: list[_Part] = []
    for field in serializer._readable_fields:
        if isinstance(field, serializers.BaseSerializer):
            nested = _nested(field, model, columns)
            if nested is None:
                return None
            parts.append(nested)
            continue
        column = _column(field, model, annotations, prefix="", columns=columns)
        if column is None:
            return None
        parts.append(column)
    return ValuesPlan(columns=tuple(columns), parts=tuple(parts))


# What decides a serializer's fields per instance. The plan is built once, from an instance
# without request or context, so a serializer that overrides any of these (say, to drop a
# field for departments) must keep DRF's path, which builds its fields per request.
_FIELDS_PER_INSTANCE = ("__init__", "get_fields", "fields", "_readable_fields", "get_field_names")


def _renders_plainly(serializer, model) -> bool:
    meta = getattr(serializer, "Meta", None)
    cls = type(serializer)
    return (
        isinstance(serializer, serializers.ModelSerializer)
        and getattr(meta, "model", None) is model
        and cls.to_representation in _SERIALIZER_RENDERERS
        and all(
            getattr(cls, name) is getattr(serializers.ModelSerializer, name)
            for name in _FIELDS_PER_INSTANCE
        )
    )


def _nested(field, model, columns: list[str]) -> _Part | None:
    """A nested serializer across a forward foreign key: its columns through the join."""
    source = plain_source(field)
    try:
        relation = model._meta.get_field(source) if source else None
    except FieldDoesNotExist:
        return None
    if not isinstance(relation, models.ForeignKey | models.OneToOneField):
        return None
    if not _renders_plainly(field, relation.related_model):
        return None
    null_index = _column_index(columns, relation.name) if relation.null else None
    nested = []
    for sub in field._readable_fields:
        column = _column(sub, relation.related_model, frozenset(), f"{source}__", columns)
        if column is None:
            return None
        nested.append(column)
    return _Part(field.field_name, null_index, None, tuple(nested))


def _column(field, model, annotations, prefix: str, columns: list[str]) -> _Part | None:
    source = plain_source(field)
    if source is None or not _renders_by_base(field):
        return None
    if source in annotations:
        internal_type = None
    else:
        try:
            model_field = model._meta.get_field(source)
        except FieldDoesNotExist:
            return None
        if not model_field.concrete or model_field.is_relation:
            return None
        internal_type = model_field.get_internal_type()
    return _Part(
        field.field_name, _column_index(columns, prefix + source), _renderer(field, internal_type)
    )


def _column_index(columns: list[str], name: str) -> int:
    """The position of `name` among the columns to fetch, added if new (a label and its
    value read one column)."""
    if name not in columns:
        columns.append(name)
    return columns.index(name)


def _renders_by_base(field) -> bool:
    if isinstance(field, ChoiceLabelField):
        return True
    for base in _RENDERED_BY_BASE:
        if isinstance(field, base):
            return type(field).to_representation is base.to_representation
    return False


def _renderer(field, internal_type: str | None):
    if type(field) is drf_fields.ReadOnlyField:
        return None
    for base, column_types in _IDENTITY.items():
        if type(field) is base and internal_type in column_types:
            return None
    return field.to_representation
