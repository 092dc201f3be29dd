"""Credit-list triggers that other apps contribute, so the credit rules can call them without
importing those apps (STYLE.md: oversight and partybuilding are independent siblings).

An app registers a `CreditTrigger` from its AppConfig.ready(); the credit rules call every
registered trigger's `candidates(on)` on the day they run and turn each row into a
suggestion, which then goes through the usual dry run and four-eyes approval.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

# (organization id, the date the listing condition arose, the reason in Chinese)
CandidateRow = tuple[int, datetime.date, str]


@dataclass(frozen=True)
class CreditTrigger:
    """One listing condition computed by another app.

    code: a stable identifier of the trigger; ground: the legal ground (e.g. "R-CRD-02(2)");
    list_kind: the list it leads to ("abnormal" or "serious"); citation: the rule text cited
    in the suggestion; candidates(on): the organizations meeting the condition on `on`,
    computed set-based, each once.
    """

    code: str
    ground: str
    list_kind: str
    citation: str
    candidates: Callable[[datetime.date], list[CandidateRow]]


_triggers: dict[str, CreditTrigger] = {}


def register_credit_trigger(trigger: CreditTrigger) -> CreditTrigger:
    """Add (or, on a module reload, replace) a trigger under its code."""
    _triggers[trigger.code] = trigger
    return trigger


def credit_triggers() -> list[CreditTrigger]:
    """Every registered trigger, in code order (a stable order for dry runs and logs)."""
    return [_triggers[code] for code in sorted(_triggers)]
