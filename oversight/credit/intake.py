"""Credit intake: the writes that record penalties (行政处罚) and special letters (专项信函), the
input of rules R-CRD-02(5)(6), R-CRD-03, R-CRD-05(2)–(5) and zombie criterion R-ZMB-01(4).

The admin, the Excel imports (`credit/imports.py`), the department API and the demo all call
these services, so one set of checks decides what is accepted. Each check failing names the
field it is about (`ValidationError({field: message})`), all of them at once, so an import
can report every bad cell of a row. History is kept (django-simple-history) with the actor
and, when given, the service's time `at`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from common.history import history_stamp
from common.policy import policy_value
from oversight.credit.choices import LetterMailing, LetterReturnReason, PenaltyKind
from oversight.credit.models import Penalty, SpecialLetter
from oversight.credit.rules.base import LETTER_INTERVAL
from registry.models import Organization

# Amounts are stored with max_digits=14, 2 decimals.
MAX_AMOUNT = Decimal(10) ** 12


def _today(at: datetime.datetime | None) -> datetime.date:
    return timezone.localdate(at) if at else timezone.localdate()


def _registration_problem(org: Organization, on: datetime.date, what: str) -> str | None:
    """Why `org` cannot have had `what` on `on` (not yet established, or gone), or None."""
    if on < org.established_on:
        return f"{what}{on}早于该组织成立日期{org.established_on}。"
    for gone_on, label in ((org.deregistered_on, "注销"), (org.revoked_on, "撤销登记")):
        if gone_on is not None and on > gone_on:
            return f"该组织已于{gone_on}{label}，{what}{on}在其之后。"
    return None


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _save(obj, *, actor: Any, at: datetime.datetime | None, reason: str) -> None:
    """Field validators (choices, lengths, evidence files) as a backstop, then save with the
    history's author, time and reason. Uniqueness and constraints were checked by the caller
    in words tied to fields; the database still enforces them."""
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    history_stamp(obj, actor=actor, at=at, reason=reason)
    obj.save()


# ------------------------------------------------------------------ penalties


def _penalty_errors(p: Penalty, *, today: datetime.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if p.kind not in PenaltyKind.values:
        add("kind", f"处罚种类“{p.kind}”无效，应为：{'、'.join(PenaltyKind.labels)}。")
    amount = p.amount if p.amount is not None else Decimal(0)
    if p.kind == PenaltyKind.FINE and amount <= 0:
        add("amount", "罚款须填写金额（大于0元）。")
    elif p.kind != PenaltyKind.FINE and amount != 0:
        add("amount", "只有罚款填写金额；警告等其他处罚种类金额应为0或留空。")
    if amount < 0 or amount >= MAX_AMOUNT:
        add("amount", "罚款金额超出范围（应为0至一万亿元）。")
    if not p.decision_no:
        add("decision_no", "必填：请填写处罚决定书文号。")
    elif Penalty.objects.filter(decision_no=p.decision_no).exclude(pk=p.pk).exists():
        add("decision_no", f"处罚决定书文号“{p.decision_no}”已登记，文号不能重复。")
    if not p.authority:
        add("authority", "必填：请填写作出处罚决定的机关。")
    if p.decided_on > today:
        add("decided_on", f"处罚决定日期{p.decided_on}晚于今天，不能登记尚未作出的决定。")
    else:
        problem = _registration_problem(p.organization, p.decided_on, "处罚决定日期")
        if problem:
            add("decided_on", problem)
    return errors


@transaction.atomic
def penalty_record(
    *,
    organization: Organization,
    kind: str,
    decided_on: datetime.date,
    decision_no: str,
    authority: str,
    amount: Decimal | None = None,
    facts: str = "",
    legal_basis: str = "",
    evidence: File | None = None,
    actor: Any = None,
    at: datetime.datetime | None = None,
    reason: str = "登记行政处罚",
) -> Penalty:
    """行政处罚登记 (R-CRD-01): record a penalty decision; the daily credit rules read it
    (a warning or fine below ¥50,000 R-CRD-02(5); heavier ones and repeats R-CRD-05)."""
    penalty = Penalty(
        organization=organization,
        kind=kind,
        amount=amount if amount is not None else Decimal(0),
        decided_on=decided_on,
        decision_no=(decision_no or "").strip(),
        authority=(authority or "").strip(),
        facts=(facts or "").strip(),
        legal_basis=(legal_basis or "").strip(),
    )
    if evidence:
        penalty.evidence = evidence
    _raise(_penalty_errors(penalty, today=_today(at)))
    _save(penalty, actor=actor, at=at, reason=reason)
    return penalty


PENALTY_CORRECTABLE = ("kind", "amount", "decided_on", "decision_no", "authority", "facts")


@transaction.atomic
def penalty_correct(
    *,
    penalty: Penalty,
    changes: dict[str, Any],
    actor: Any = None,
    at: datetime.datetime | None = None,
) -> Penalty:
    """更正行政处罚记录 (R-CRD-10): correct a recorded penalty; the same checks as recording it,
    the old values stay in the history. Listings already decided keep the facts they cite."""
    penalty = Penalty.objects.select_for_update().get(pk=penalty.pk)
    unknown = set(changes) - {*PENALTY_CORRECTABLE, "legal_basis", "evidence"}
    if unknown:
        raise ValidationError(f"不能更正的字段：{'、'.join(sorted(unknown))}。")
    for field, value in changes.items():
        if field == "evidence" and not value:
            continue  # an empty upload keeps the stored decision scan
        setattr(penalty, field, value.strip() if isinstance(value, str) else value)
    _raise(_penalty_errors(penalty, today=_today(at)))
    _save(penalty, actor=actor, at=at, reason="更正行政处罚记录")
    return penalty


# ------------------------------------------------------------------ special letters


def _first_letter_for(
    organization: Organization, sent_on: datetime.date, given: SpecialLetter | None
) -> SpecialLetter | None:
    """The first mailing a second one follows: the one given, else the organization's latest
    first mailing sent before `sent_on` that no second mailing follows yet."""
    if given is not None:
        return SpecialLetter.objects.select_for_update().filter(pk=given.pk).first()
    return (
        SpecialLetter.objects.select_for_update(of=("self",))
        .filter(
            organization=organization,
            mailing=LetterMailing.FIRST,
            sent_on__lt=sent_on,
            second_letter__isnull=True,
        )
        .order_by("-sent_on", "-pk")
        .first()
    )


def _second_mailing_errors(
    letter: SpecialLetter, first: SpecialLetter | None
) -> dict[str, list[str]]:
    """D6, R-CRD-03: a second mailing follows an unsigned first one of the same organization,
    at least CREDIT_UNREACHABLE_MIN_INTERVAL_DAYS (in force on its date) later."""
    if first is None or first.organization_id != letter.organization_id:
        return {
            "mailing": ["第二次寄送须在该组织第一次寄送的信函之后登记：未找到其第一次寄送的信函。"]
        }
    if first.mailing != LetterMailing.FIRST:
        return {"mailing": ["第二次寄送只能对应一封第一次寄送的信函。"]}
    errors: dict[str, list[str]] = {}
    if SpecialLetter.objects.filter(first_letter=first).exclude(pk=letter.pk).exists():
        errors["mailing"] = [f"{first.sent_on}寄出的第一次信函已有第二次寄送。"]
    if first.signed_for:
        errors.setdefault("mailing", []).append(
            f"{first.sent_on}寄出的第一次信函已签收，该组织可以联系，无需第二次寄送。"
        )
    interval = policy_value(LETTER_INTERVAL, on=letter.sent_on)
    earliest = first.sent_on + datetime.timedelta(days=interval)
    if letter.sent_on < earliest:
        errors["sent_on"] = [
            f"第二次寄送须在第一次寄送（{first.sent_on}）{interval}日后，即不早于{earliest}"
            "（R-CRD-03，D6）。"
        ]
    return errors


def _letter_errors(letter: SpecialLetter, *, today: datetime.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if letter.mailing not in LetterMailing.values:
        errors["mailing"] = ["寄送次序应为第一次或第二次。"]
    if not letter.tracking_no:
        errors["tracking_no"] = ["必填：请填写 EMS 邮件号。"]
    elif (
        SpecialLetter.objects.filter(tracking_no=letter.tracking_no).exclude(pk=letter.pk).exists()
    ):
        errors["tracking_no"] = [f"EMS 邮件号“{letter.tracking_no}”已登记，不能重复。"]
    if not letter.address:
        errors["address"] = ["该组织没有登记住所，无法按 R-CRD-03 寄送专项信函。"]
    if letter.sent_on > today:
        errors["sent_on"] = [f"寄出日期{letter.sent_on}晚于今天。"]
    else:
        problem = _registration_problem(letter.organization, letter.sent_on, "寄出日期")
        if problem:
            errors["sent_on"] = [problem]
    return errors


@transaction.atomic
def special_letter_record(
    *,
    organization: Organization,
    sent_on: datetime.date,
    tracking_no: str,
    mailing: int = LetterMailing.FIRST,
    first_letter: SpecialLetter | None = None,
    sent_evidence: File | None = None,
    actor: Any = None,
    at: datetime.datetime | None = None,
) -> SpecialLetter:
    """专项信函寄出登记 (R-CRD-03, D6): a letter sent by EMS to the registered address (the
    organization's 住所, recorded as it is now). A second mailing follows the first one given,
    or else the latest first one not yet followed."""
    letter = SpecialLetter(
        organization=organization,
        mailing=mailing,
        address=organization.domicile,
        sent_on=sent_on,
        tracking_no=(tracking_no or "").strip(),
    )
    if sent_evidence:
        letter.sent_evidence = sent_evidence
    errors = _letter_errors(letter, today=_today(at))
    if mailing == LetterMailing.SECOND and "sent_on" not in errors:
        first = _first_letter_for(organization, sent_on, first_letter)
        for field, messages in _second_mailing_errors(letter, first).items():
            errors.setdefault(field, []).extend(messages)
        letter.first_letter = first
    elif mailing == LetterMailing.FIRST and first_letter is not None:
        errors.setdefault("mailing", []).append("第一次寄送不对应其他信函。")
    _raise(errors)
    _save(letter, actor=actor, at=at, reason="登记专项信函寄出")
    return letter


def _outcome_open(letter: SpecialLetter) -> SpecialLetter:
    letter = (
        SpecialLetter.objects.select_for_update().select_related("organization").get(pk=letter.pk)
    )
    if letter.signed_for or letter.returned_on is not None:
        state = "签收" if letter.signed_for else f"于{letter.returned_on}退回"
        raise ValidationError({"returned_on": [f"该信函已登记{state}，不能再次登记投递结果。"]})
    return letter


@transaction.atomic
def special_letter_return_record(
    *,
    letter: SpecialLetter,
    returned_on: datetime.date,
    return_reason: str,
    return_evidence: File | None = None,
    actor: Any = None,
    at: datetime.datetime | None = None,
) -> SpecialLetter:
    """专项信函退回登记 (D15): the letter came back unsigned; only from its return date does it
    count as unsigned for R-CRD-03 and R-ZMB-01(4)."""
    letter = _outcome_open(letter)
    errors: dict[str, list[str]] = {}
    if returned_on < letter.sent_on:
        errors["returned_on"] = [f"退回日期{returned_on}早于寄出日期{letter.sent_on}。"]
    elif returned_on > _today(at):
        errors["returned_on"] = [f"退回日期{returned_on}晚于今天。"]
    if return_reason not in LetterReturnReason.values:
        errors["return_reason"] = [
            f"必填：请选择退回原因（{'、'.join(LetterReturnReason.labels)}）。"
        ]
    _raise(errors)
    letter.returned_on = returned_on
    letter.return_reason = return_reason
    if return_evidence:
        letter.return_evidence = return_evidence
    _save(letter, actor=actor, at=at, reason="登记专项信函退回")
    return letter


@transaction.atomic
def special_letter_signed_record(
    *, letter: SpecialLetter, actor: Any = None, at: datetime.datetime | None = None
) -> SpecialLetter:
    """专项信函签收登记: the organization signed for the letter, so it is reachable there."""
    letter = _outcome_open(letter)
    letter.signed_for = True
    _save(letter, actor=actor, at=at, reason="登记专项信函签收")
    return letter
