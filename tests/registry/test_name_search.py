"""Admin name search of 1–2 characters through the name-gram GIN index (issue 14 item 6).

The index answers `registry_name_grams(name) @> ARRAY[UPPER(term)]`; these tests hold it to
the same results as Django's icontains, and check that PostgreSQL can use the index at all.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory

from registry.models import Organization
from registry.search import NameHasGram
from tests.registry.factories import OrganizationFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the index is PostgreSQL-only"),
]

NAMES = [
    "春晖助学促进会",
    "深圳市春天志愿者协会",
    "晖光读书会",
    "Abc 英语角 abc",
    "ab%_会",
    "一",
    "会春晖",
    "春 晖 分开",
]
TERMS = [
    "春",
    "晖",
    "春晖",
    "晖春",
    "会",
    "协会",
    "a",
    "AB",
    "bC",
    "%",
    "_会",
    "%_",
    "一",
    "分开",
    "无",
]


@pytest.fixture
def register():
    return [OrganizationFactory(name=name) for name in NAMES]


def _admin_search(term: str) -> set[str]:
    model_admin = admin.site._registry[Organization]
    request = RequestFactory().get("/", {"q": term})
    queryset, _ = model_admin.get_search_results(request, Organization.objects.all(), term)
    return set(queryset.values_list("name", flat=True))


@pytest.mark.parametrize("frequent", [False, True], ids=["selective-plan", "frequent-plan"])
@pytest.mark.parametrize("term", TERMS)
def test_short_terms_find_exactly_what_icontains_finds(register, term, frequent, monkeypatch):
    # Both plans of registry.search.short_name_filter: ids from the index, or the predicate.
    monkeypatch.setattr("registry.search.FREQUENT_TERM_ROWS", -1 if frequent else 10**9)
    expected = set(Organization.objects.filter(name__icontains=term).values_list("name", flat=True))
    gram = set(
        Organization.objects.filter(NameHasGram("name", term)).values_list("name", flat=True)
    )
    assert gram == expected
    assert _admin_search(term) == expected


def test_a_pair_of_characters_must_be_adjacent(register):
    assert _admin_search("春晖") == {"春晖助学促进会", "会春晖"}


def test_several_terms_are_all_required_and_long_terms_still_use_icontains(register):
    assert _admin_search("春 协会") == {"深圳市春天志愿者协会"}
    assert _admin_search("春晖 促进会") == {"春晖助学促进会"}
    assert _admin_search('"春 晖"') == {"春 晖 分开"}


def test_a_short_term_also_matches_an_exact_uscc_of_that_length_only(register):
    # Django's search ORs name and exact USCC; a 1–2 character USCC cannot exist, so the
    # short path must not find anything by USCC either.
    assert _admin_search(register[0].uscc[:2]) == set(
        Organization.objects.filter(name__icontains=register[0].uscc[:2]).values_list(
            "name", flat=True
        )
    )


def test_the_planner_can_use_the_gram_index():
    with connection.cursor() as cursor:
        # A few test rows make any plan cheap: rule out the scans that need no gram index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        grams = Organization.objects.filter(NameHasGram("name", "春晖")).order_by()
        sql, params = grams.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "registry_org_name_grams" in plan, plan
