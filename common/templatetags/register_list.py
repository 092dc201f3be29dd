"""`{% register_result_list cl %}`: Django's `{% result_list cl %}` with the rows rendered by
a column plan (common.admin_rows); same context, same per-model template
(change_list_results.html)."""

from django import template
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.base import InclusionAdminNode

from common.admin_rows import changelist_results

register = template.Library()


def register_result_list(cl) -> dict:
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": changelist_results(cl),
    }


@register.tag(name="register_result_list")
def register_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=register_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
