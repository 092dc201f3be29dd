"""Argument types of the supervision commands: a bad value is refused by the parser with a
message in Chinese naming what is wrong (a CommandError under call_command, usage and exit 2
on the command line), never a traceback from deep inside a service."""

from __future__ import annotations

import argparse
import datetime
from decimal import Decimal, InvalidOperation

FIRST_YEAR, LAST_YEAR = 1949, 2100


def iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是有效的日期（YYYY-MM-DD）：{text}") from None


def iso_datetime(text: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"不是有效的时间（YYYY-MM-DDTHH:MM，可带时区）：{text}"
        ) from None
    if moment.tzinfo is None:
        from django.utils import timezone

        moment = timezone.make_aware(moment)
    return moment


def year(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"年度应为整数：{text}") from None
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"年度应在 {FIRST_YEAR}–{LAST_YEAR} 之间：{value}")
    return value


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}") from None
    if not 1 <= value <= 2_147_483_647:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}")
    return value


def ratio(text: str) -> Decimal:
    """A sampling ratio in (0, 1]: NaN, infinities and out-of-range values are refused."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"抽查比例不是有效的小数：{text}") from None
    if not value.is_finite() or not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"抽查比例应大于 0 且不超过 1（如 0.10）：{text}")
    return value
