"""Rule R-CRD-02(6) / R-CRD-03: unreachable at the registered address after two unsigned special letters (D6)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection

from django.db.models import BooleanField, ExpressionWrapper

from common.policy import policy_values
from oversight.credit.choices import (
    CreditGround,
    CreditList,
    DecisionAction,
)
from oversight.credit.models import SpecialLetter
from oversight.credit.rules.base import (
    LETTER_INTERVAL,
    Candidate,
    _d,
    _is_registered,
    _restrict,
    active_listing_rows,
)
from oversight.credit.selectors import unsigned_letter_q, unsigned_letters


def _letter_unsigned(letter: dict, on: datetime.date) -> bool:
    # D15: the selector's definition, evaluated by the database on `as_of` (`unsigned`).
    return letter["unsigned"]


def _letters_by_org(
    *, as_of: datetime.date, org_ids: Collection[int] | None
) -> dict[int, list[dict]]:
    """The special letters sent by `as_of` of organizations with a returned letter and not
    already on the abnormal list as unreachable, oldest first. Two queries in one."""
    returned = unsigned_letters(on=as_of).values("organization_id")
    listed = active_listing_rows(on=as_of, list_type=CreditList.ABNORMAL, org_ids=org_ids).filter(
        ground=CreditGround.A6_UNREACHABLE
    )
    letters = (
        _restrict(SpecialLetter.objects.filter(sent_on__lte=as_of), org_ids)
        .filter(organization_id__in=returned)
        .exclude(organization_id__in=listed.values("organization_id"))
        .annotate(
            unsigned=ExpressionWrapper(unsigned_letter_q(on=as_of), output_field=BooleanField())
        )
        .order_by("organization_id", "sent_on", "pk")
        .values(
            "unsigned",
            "pk",
            "organization_id",
            "sent_on",
            "signed_for",
            "returned_on",
            "tracking_no",
            "organization__established_on",
            "organization__deregistered_on",
            "organization__revoked_on",
        )
    )
    by_org: dict[int, list[dict]] = defaultdict(list)
    for letter in letters:
        by_org[letter["organization_id"]].append(letter)
    return by_org


def _unsigned_pair(letters: list[dict], as_of: datetime.date, min_days: int) -> list[dict] | None:
    """The latest letter and the latest earlier one at least `min_days` before it, both
    unsigned, with no letter signed since the earlier one (R-CRD-03, D6, D15); or None."""
    last = letters[-1]
    if not _is_registered(last, as_of) or not _letter_unsigned(last, as_of):
        return None
    limit = last["sent_on"] - datetime.timedelta(days=min_days)
    earlier = [x for x in letters[:-1] if x["sent_on"] <= limit and _letter_unsigned(x, as_of)]
    if not earlier:
        return None
    first = earlier[-1]
    if any(x["signed_for"] for x in letters if x["sent_on"] >= first["sent_on"]):
        return None
    return [first, last]


def rule_unreachable(
    *, as_of: datetime.date, org_ids: Collection[int] | None = None
) -> list[Candidate]:
    """R-CRD-02(6), R-CRD-03, D6: the latest special letter and an earlier one, sent at least
    CREDIT_UNREACHABLE_MIN_INTERVAL_DAYS apart (the period in force on `as_of`), both
    unsigned, with no letter signed since the earlier one. Organizations already on the
    abnormal list as unreachable are not proposed again. Two queries."""
    periods = policy_values(LETTER_INTERVAL, on=as_of)
    out = []
    for org_id, letters in _letters_by_org(as_of=as_of, org_ids=org_ids).items():
        pair = _unsigned_pair(letters, as_of, periods[LETTER_INTERVAL])
        if pair is None:
            continue
        first, last = pair
        out.append(
            Candidate(
                organization_id=org_id,
                action=DecisionAction.LIST,
                list_type=CreditList.ABNORMAL,
                ground=CreditGround.A6_UNREACHABLE,
                rule="R-CRD-02(6)",
                rule_key=f"list:R-CRD-02(6):{org_id}:{first['pk']}-{last['pk']}",
                explanation=(
                    f"{first['sent_on']}、{last['sent_on']}寄出的两封专项信函均未签收"
                    f"（间隔{(last['sent_on'] - first['sent_on']).days}日，"
                    f"分别于{first['returned_on']}、{last['returned_on']}退回）"
                ),
                evidence={
                    "letters": [
                        {
                            "id": x["pk"],
                            "sent_on": _d(x["sent_on"]),
                            "returned_on": _d(x["returned_on"]),
                            "tracking_no": x["tracking_no"],
                        }
                        for x in pair
                    ],
                    "last_sent_on": _d(last["sent_on"]),
                },
                event_on=last["returned_on"],
                periods=periods,
            )
        )
    return out
