"""Decision numbers of credit-list decisions, allocated without gaps per year under a lock (R-CRD-11)."""

from __future__ import annotations

import re
import string

from django.conf import settings
from django.db import connection

from oversight.credit.models import CreditListing, CreditRemoval

# pg_advisory_xact_lock key of the decision-number counter ("credit" in ASCII).
_NUMBER_LOCK = 0x637265646974
_CN_ORDINALS = "一二三四五六七八九十"


# ------------------------------------------------------------------ decision numbers


def _pattern_parts(year: int) -> tuple[str, re.Pattern]:
    """The literal prefix before the sequence number, and a regex that reads it back."""
    regex, prefix, seen_seq = "", "", False
    for literal, name, _spec, _conv in string.Formatter().parse(
        settings.CREDIT_DECISION_NO_PATTERN
    ):
        regex += re.escape(literal)
        if not seen_seq:
            prefix += literal
        if name == "year":
            regex += str(year)
            if not seen_seq:
                prefix += str(year)
        elif name == "seq":
            regex += r"(\d+)"
            seen_seq = True
    return prefix, re.compile(regex)


def credit_decision_numbers_allocate(*, year: int, count: int) -> list[str]:
    """The next `count` document numbers of `year` from CREDIT_DECISION_NO_PATTERN, one
    sequence per year shared by listing and removal decisions. Must run inside the
    transaction that writes them: a transaction-level advisory lock serializes allocation
    until commit, so two workers never draw the same number (SQLite serializes writes)."""
    if count <= 0:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_NUMBER_LOCK])
    prefix, regex = _pattern_parts(year)
    highest = 0
    for model in (CreditListing, CreditRemoval):
        for number in model.objects.filter(decision_no__startswith=prefix).values_list(
            "decision_no", flat=True
        ):
            match = regex.match(number)
            if match:
                highest = max(highest, int(match.group(1)))
    pattern = settings.CREDIT_DECISION_NO_PATTERN
    return [pattern.format(year=year, seq=n) for n in range(highest + 1, highest + 1 + count)]


def _nth(number: str, n: int) -> str:
    """The n-th decision of the same kind under one organization's number (之二, 之三…)."""
    if n <= 1:
        return number
    return f"{number}之{_CN_ORDINALS[n - 1] if n <= len(_CN_ORDINALS) else n}"
