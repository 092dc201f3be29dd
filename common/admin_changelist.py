"""A changelist whose row links carry the list's filters without resolving each link.

Django's admin keeps a list's filters and search across an edit (`_changelist_filters` on
each row's link) by calling `add_preserved_filters` per row, which resolves the row's URL
through every admin URL pattern to learn whether it is a changelist: about 130 µs a row on
this project's admin, 13 ms of a searched or filtered page of 100 organizations. A row link
is never a changelist, so its query string is known beforehand: `url_for_result` appends it,
and the per-row call, finding no filters left to add, returns at once. The page's other
links (add, pagination, actions) are built from the view's context and keep Django's way.
"""

from __future__ import annotations

from django.contrib.admin.views.main import ChangeList


class PreservedFiltersChangeList(ChangeList):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.row_link_query = self.preserved_filters
        self.preserved_filters = ""

    def url_for_result(self, result) -> str:
        url = super().url_for_result(result)
        return f"{url}?{self.row_link_query}" if self.row_link_query else url


class PreservedFiltersChangeListMixin:
    """For a ModelAdmin whose changelist is long and often filtered or searched."""

    def get_changelist(self, request, **kwargs):
        return PreservedFiltersChangeList
