"""COPY text helpers (common.pgcopy): escaping, and the defaults of the columns a writer
leaves out."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from common.pgcopy import copy_defaults, copy_text_value
from oversight.inspections.models import Inspection
from registry.demo.synthetic import SYNTHETIC_COLUMNS
from registry.models import Organization


def test_copy_text_value_escapes_and_spells_null_and_booleans():
    assert copy_text_value(None) == "\\N"
    assert copy_text_value(True) == "t" and copy_text_value(False) == "f"
    assert copy_text_value("a\tb\nc\\d\re") == "a\\tb\\nc\\\\d\\re"
    assert copy_text_value(datetime.date(2024, 1, 2)) == "2024-01-02"


def test_left_out_auto_now_add_columns_get_now():
    # The synthetic register writes its own columns; created_at (auto_now_add) is stamped now,
    # updated_at (a database default) is left to the database.
    columns, tail = copy_defaults(Organization, known=set(SYNTHETIC_COLUMNS))
    assert "created_at" in columns and "updated_at" not in columns
    stamp = tail.split("\t")[1 + columns.index("created_at")]
    assert abs(datetime.datetime.fromisoformat(stamp) - timezone.now()) < datetime.timedelta(
        minutes=1
    )


def test_left_out_defaults_and_blank_text():
    columns, tail = copy_defaults(Inspection, known={"draw_id", "organization_id", "position"})
    values = dict(zip(columns, tail.split("\t")[1:], strict=True))
    assert values["status"] == "pending"
    assert values["stratum"] == "" and values["findings"] == ""
    assert values["started_on"] == "\\N"


def test_a_required_column_without_default_is_the_writers_to_fill():
    # The industry category (a NOT NULL key) has no default; text columns default to "".
    with pytest.raises(ValueError, match=r"Organization\.industry_category 没有默认值"):
        copy_defaults(Organization, known={"name", "uscc", "org_type"})
