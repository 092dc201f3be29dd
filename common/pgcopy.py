"""PostgreSQL COPY helpers for the few bulk writes that must be faster than bulk_create
(the synthetic register, a national draw's inspections)."""

from __future__ import annotations

from typing import Any


def copy_text_value(value: Any) -> str:
    """One value in PostgreSQL COPY text format (NULL as \\N, booleans as t/f, escapes)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text
