"""A changelist page's rows, rendered by a column plan made once per page.

Django's admin renders each cell of a changelist on its own (`admin_list.items_for_result`):
it looks the column up again, asks the ModelAdmin for its empty-value marker, builds the
cell's classes and passes every piece through `format_html`. On a page of 100
organizations that is 1,000 cells and a fifth of the page's time. Here what depends only on
the column (the model field, its classes, whether it is the link, how its value is shown) is
settled once per page, and a field's cell is kept per distinct value: a page shows a handful
of types, statuses, units and dates many times over.

The rows are Django's, character for character (tests/common/test_admin_rows.py compares
them over every kind of column). A list with editable fields (`list_editable`) or opened as
a popup keeps Django's own rendering.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from contextlib import suppress

from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

Cell = Callable[[models.Model], str]

# Fields whose display is not a function of the value alone (a file's URL comes from its
# storage) are rendered for every row.
_UNCACHED_FIELDS = (models.FileField,)
_NOWRAP_FIELDS = (models.DateField, models.TimeField, models.ForeignKey)
# Fields whose display is their text, or the empty-value marker (display_for_field's last
# branch for a str): shown without the call, and not kept, since text rarely repeats.
_TEXT_FIELDS = (models.CharField, models.TextField)


def changelist_results(cl) -> list:
    """The rows of `admin_list.results(cl)`, as change_list_results.html writes them:
    `<tr>{% for item in result %}{{ item }}{% endfor %}</tr>`. Each row comes as one item,
    its cells already joined, which spares the template a thousand variable nodes a page."""
    if cl.formset or cl.is_popup:
        return list(admin_list.results(cl))
    cells = _column_plan(cl)
    return [
        admin_list.ResultList(None, [SafeString("".join([cell(row) for cell in cells]))])
        for row in cl.result_list
    ]


def _column_plan(cl) -> list[Cell]:
    """One cell renderer per column of `cl.list_display`, in order."""
    cells, first = [], True
    for index, name in enumerate(cl.list_display):
        is_link = _is_link_column(cl, name, first)
        tag = ("th" if first else "td") if is_link else "td"
        first = first and not is_link
        classes = f"field-{admin_list._coerce_field_name(name, index)}"
        field = _model_field(cl, name)
        if field is None or field.auto_created:
            cell = _computed_cell(cl, name, classes)
        else:
            cell = _field_cell(cl, field, classes, is_link)
        cells.append(_linked(cl, cell, tag) if is_link else _wrapped(cell, tag))
    return cells


def _is_link_column(cl, name, first: bool) -> bool:
    # admin_list.items_for_result's link_in_col: the first column unless the ModelAdmin
    # names its links, none when it sets list_display_links to None.
    if cl.list_display_links is None:
        return False
    if first and not cl.list_display_links:
        return True
    return name in cl.list_display_links


def _model_field(cl, name):
    if not isinstance(name, str):
        return None
    try:
        return _get_non_gfk_field(cl.lookup_opts, name)
    except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
        return None


def _field_cell(cl, field, classes: str, is_link: bool) -> Callable:
    """A model field's cell: (classes, content). Related objects are shown by their str();
    other values as display_for_field shows them, kept per distinct value."""
    empty = cl.model_admin.get_empty_value_display()
    shown_classes = f"{classes} nowrap" if isinstance(field, _NOWRAP_FIELDS) else classes
    name = field.name
    if isinstance(field.remote_field, models.ManyToOneRel):

        def related(row):
            value = getattr(row, name)
            return shown_classes, empty if value is None else conditional_escape(value)

        return _or_empty(related, classes, empty)

    if (
        isinstance(field, _TEXT_FIELDS)
        and not isinstance(field, models.URLField)  # shown as a link
        and not field.flatchoices
    ):
        empty_values = field.empty_values

        def text(row):
            value = getattr(row, name)
            if not isinstance(value, str):
                return shown_classes, conditional_escape(display_for_field(value, field, empty))
            if value in empty_values or value.strip() == "":
                return shown_classes, empty
            return shown_classes, conditional_escape(value)

        return _or_empty(text, classes, empty)

    shown: dict = {}
    keep = not isinstance(field, _UNCACHED_FIELDS)

    def value_shown(row):
        value = getattr(row, name)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        key = (type(value), value)
        try:
            return shown_classes, shown[key]
        except (KeyError, TypeError):  # not shown yet, or unhashable (a JSON list)
            content = conditional_escape(display_for_field(value, field, empty, avoid_link=is_link))
        if keep:
            with suppress(TypeError):
                shown[key] = content
        return shown_classes, content

    return _or_empty(value_shown, classes, empty)


def _computed_cell(cl, name, classes: str) -> Callable:
    """A column the ModelAdmin or the model computes (a method, a property, the action
    checkbox): looked up per row exactly as Django does."""
    model_admin = cl.model_admin
    empty = model_admin.get_empty_value_display()
    shown_classes = "action-checkbox" if name == "action_checkbox" else classes

    def computed(row):
        _field, attr, value = lookup_field(name, row, model_admin)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        # The field is None here, or an automatic field such as the id, which Django shows as a
        # plain value too.
        boolean = getattr(attr, "boolean", False)
        if isinstance(attr, property) and hasattr(attr, "fget"):
            boolean = getattr(attr.fget, "boolean", False)
        shown = display_for_value(value, getattr(attr, "empty_value_display", empty), boolean)
        nowrap = " nowrap" if isinstance(value, (datetime.date, datetime.time)) else ""
        return shown_classes + nowrap, conditional_escape(shown)

    return _or_empty(computed, classes, empty)


def _or_empty(cell: Callable, classes: str, empty) -> Callable:
    # A related row that is gone (ObjectDoesNotExist) shows the empty-value marker, with
    # the column's plain class, as Django does.
    def guarded(row):
        try:
            return cell(row)
        except ObjectDoesNotExist:
            return classes, empty

    return guarded


def _wrapped(cell: Callable, tag: str) -> Cell:
    def render(row):
        classes, content = cell(row)
        return SafeString(f'<{tag} class="{classes}">{content}</{tag}>')

    return render


def _linked(cl, cell: Callable, tag: str) -> Cell:
    """The column that links to the row's change page."""
    context = {"preserved_filters": cl.preserved_filters, "opts": cl.opts}

    def render(row):
        classes, content = cell(row)
        try:
            url = cl.url_for_result(row)
        except NoReverseMatch:
            pass
        else:
            url = conditional_escape(add_preserved_filters(context, url))
            content = f'<a href="{url}">{content}</a>'
        return SafeString(f'<{tag} class="{classes}">{content}</{tag}>')

    return render
