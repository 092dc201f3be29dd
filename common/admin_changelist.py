"""Changelists of a national register.

Row links. Django's admin keeps a list's filters and search across an edit
(`_changelist_filters` on each row's link) by calling `add_preserved_filters` per row, which
resolves the row's URL through every admin URL pattern to learn whether it is a changelist:
about 130 µs a row on this project's admin, 13 ms of a searched or filtered page of 100
organizations. A row link is never a changelist, so its query string is known beforehand:
`url_for_result` appends it, and the per-row call, finding no filters left to add, returns at
once; and the change URL of an integer key is reversed once a page, not once a row. The
page's other links (add, pagination, actions) are built from the view's context and keep
Django's way.

Rows. The page's rows are rendered by a column plan made once a page (common.admin_rows,
through the `register_result_list` tag of templates/admin/register_change_list.html).

Counts. Beyond `ADMIN_EXACT_COUNT_LIMIT` rows the total is the planner's estimate, marked 约
(EstimatedCountPaginator).

Related rows. A ModelAdmin's `list_prefetch_related` names foreign keys whose rows the page
reads after its own (one query each) instead of joining them to every match.

Row checkboxes. Django renders each row's action checkbox through a form widget and its
template: a fifth of a 100-row page's time. `action_checkbox` writes the same element
directly.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _

from common.planner import planner_row_estimate

# Letters and digits only: reverse() passes it through unquoted, and no admin URL holds it.
_PK_MARKER = "0RowKeyMarker0"


class PreservedFiltersChangeList(ChangeList):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.row_link_query = self.preserved_filters
        self.preserved_filters = ""

    def url_for_result(self, result) -> str:
        pk = getattr(result, self.pk_attname)
        if isinstance(pk, int) and not isinstance(pk, bool):
            # An integer key reverses to its digits: the change URL is reversed once a
            # page, around a marker, instead of once a row.
            if self._change_url_around is None:
                url = reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                    args=(_PK_MARKER,),
                    current_app=self.model_admin.admin_site.name,
                )
                self._change_url_around = url.split(_PK_MARKER)
            before, after = self._change_url_around
            url = f"{before}{pk}{after}"
        else:
            url = super().url_for_result(result)
        return f"{url}?{self.row_link_query}" if self.row_link_query else url

    _change_url_around: list[str] | None = None

    def get_results(self, request) -> None:
        # The page's rows first, then their related rows (list_prefetch_related): a search
        # that matches 10,000 organizations otherwise joins all 10,000 to their units and
        # categories before keeping 100, a third of its page query. Exports and actions
        # take the changelist's queryset as it was (get_queryset).
        related = getattr(self.model_admin, "list_prefetch_related", ())
        if related:
            self.queryset = self.queryset.select_related(None).prefetch_related(*related)
        super().get_results(request)


# ------------------------------------------------------------------ estimated counts


class EstimatedCountPaginator(Paginator):
    """A changelist paginator that counts exactly up to `ADMIN_EXACT_COUNT_LIMIT` rows
    (default 50,000) and shows the planner's estimate, marked 约, beyond it.

    Counting the matches of a frequent term exactly (「协会」 in 205k of 1M names, 「福田」
    in nearly every name of a Futian register) costs more than finding the page: 130 ms and
    1.5 s at 1M. Nobody pages through 2,000 pages, and the page shown is exact; only the total
    is approximate, and says so. A district's lists (hundreds of rows) are always counted."""

    estimated = False

    @property
    def exact_count_limit(self) -> int:
        return settings.ADMIN_EXACT_COUNT_LIMIT

    @cached_property
    def count(self) -> int:
        estimate = planner_row_estimate(self.object_list)
        if estimate is not None and estimate > self.exact_count_limit:
            self.estimated = True
            return int(estimate)
        return super().count


class RegisterChangeListMixin:
    """For a ModelAdmin whose changelist is long (a national register) and often filtered or
    searched: row links without per-row resolving, estimated counts beyond the limit, row
    checkboxes without a widget template each. Its change_list template extends
    admin/register_change_list.html, whose rows come from a column plan."""

    paginator = EstimatedCountPaginator

    def get_changelist(self, request, **kwargs):
        return PreservedFiltersChangeList

    def action_checkbox(self, obj):
        # The element Django's CheckboxInput renders (same attributes, same order, same
        # escaping), tested against it.
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )
