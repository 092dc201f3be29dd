"""Credit intake services (issue 10 item 1): penalties and special letters are recorded with the
checks of DOMAIN.md §3 (D6 interval, return after sending, fines with an amount, unique
decision numbers), history-kept, and what they record reaches the credit rules."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from common.policy import LegalPeriod
from oversight.credit import rules
from oversight.credit.choices import CreditGround, LetterMailing, PenaltyKind
from oversight.credit.intake import (
    penalty_correct,
    penalty_record,
    special_letter_record,
    special_letter_return_record,
    special_letter_signed_record,
)
from oversight.credit.models import Penalty, SpecialLetter
from oversight.credit.runs import credit_rules_run
from tests.registry.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
AT = datetime.datetime(2024, 6, 1, 10, tzinfo=datetime.UTC)
PDF = b"%PDF-1.4\n%fake decision scan\n"


def penalty(org, **kw):
    args = {
        "organization": org,
        "kind": PenaltyKind.WARNING,
        "decided_on": D(2024, 3, 1),
        "decision_no": "福民罚〔2024〕1号",
        "authority": "深圳市福田区民政局",
        "facts": "未按照规定办理变更登记",
        "at": AT,
    }
    return penalty_record(**{**args, **kw})


def errors_of(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


# ------------------------------------------------------------------ penalties


class TestPenaltyRecord:
    def test_recorded_with_authority_and_history_by_the_actor(self):
        actor = get_user_model().objects.create_user("clerk", is_staff=True)
        p = penalty(OrganizationFactory(), actor=actor)
        assert p.authority == "深圳市福田区民政局"
        (h,) = p.history.all()
        assert h.history_user == actor and h.history_date == AT and h.history_type == "+"

    def test_fine_needs_an_amount(self):
        with pytest.raises(ValidationError) as exc:
            penalty(OrganizationFactory(), kind=PenaltyKind.FINE)
        assert "罚款须填写金额" in errors_of(exc)["amount"][0]
        assert not Penalty.objects.exists()

    def test_warning_carries_no_amount(self):
        with pytest.raises(ValidationError) as exc:
            penalty(OrganizationFactory(), amount=Decimal("100"))
        assert "amount" in errors_of(exc)

    def test_decision_no_unique_in_words(self):
        org = OrganizationFactory()
        penalty(org)
        with pytest.raises(ValidationError) as exc:
            penalty(org, decided_on=D(2024, 3, 2))
        assert "已登记" in errors_of(exc)["decision_no"][0]

    def test_every_bad_field_reported_at_once(self):
        with pytest.raises(ValidationError) as exc:
            penalty(
                OrganizationFactory(established_on=D(2020, 1, 1)),
                kind=PenaltyKind.FINE,
                decision_no=" ",
                authority="",
                decided_on=D(2019, 12, 31),
            )
        assert set(errors_of(exc)) == {"amount", "decision_no", "authority", "decided_on"}

    def test_decided_on_boundaries(self):
        org = OrganizationFactory(established_on=D(2020, 1, 1))
        assert penalty(org, decided_on=D(2020, 1, 1), decision_no="a").pk
        with pytest.raises(ValidationError):
            penalty(org, decided_on=D(2024, 6, 2), decision_no="b")  # after `at`: future
        assert penalty(org, decided_on=D(2024, 6, 1), decision_no="c").pk

    def test_correction_keeps_the_old_values_in_history(self):
        p = penalty(OrganizationFactory(), kind=PenaltyKind.FINE, amount=Decimal("2000"))
        penalty_correct(penalty=p, changes={"amount": Decimal("3000")})
        assert [h.amount for h in p.history.order_by("history_date")] == [
            Decimal("2000"),
            Decimal("3000"),
        ]

    def test_evidence_must_be_a_real_pdf_or_image(self):
        fake = SimpleUploadedFile("decision.pdf", b"MZ\x90\x00 not a pdf")
        with pytest.raises(ValidationError) as exc:
            penalty(OrganizationFactory(), evidence=fake)
        assert "内容与扩展名" in errors_of(exc)["evidence"][0]
        exe = SimpleUploadedFile("decision.exe", PDF)
        with pytest.raises(ValidationError) as exc:
            penalty(OrganizationFactory(), evidence=exe)
        assert "格式不受支持" in errors_of(exc)["evidence"][0]

    @override_settings(EVIDENCE_MAX_BYTES=10)
    def test_evidence_size_limit(self):
        with pytest.raises(ValidationError) as exc:
            penalty(OrganizationFactory(), evidence=SimpleUploadedFile("d.pdf", PDF))
        assert "过大" in errors_of(exc)["evidence"][0]

    def test_evidence_stored_under_protected_media(self):
        p = penalty(OrganizationFactory(), evidence=SimpleUploadedFile("d.pdf", PDF))
        assert p.evidence.name.startswith("credit/penalties/")
        assert p.evidence.read() == PDF


# ------------------------------------------------------------------ special letters


def first_and_second(org, gap: int):
    first = special_letter_record(
        organization=org, sent_on=D(2024, 3, 1), tracking_no="EA000000001CN", at=AT
    )
    second = special_letter_record(
        organization=org,
        sent_on=D(2024, 3, 1) + datetime.timedelta(days=gap),
        tracking_no="EA000000002CN",
        mailing=LetterMailing.SECOND,
        at=AT,
    )
    return first, second


class TestSpecialLetterRecord:
    def test_sent_to_the_registered_address(self):
        org = OrganizationFactory(domicile="深圳市福田区红荔路8号")
        letter = special_letter_record(
            organization=org, sent_on=D(2024, 3, 1), tracking_no="EA1", at=AT
        )
        assert letter.address == "深圳市福田区红荔路8号"
        assert letter.mailing == LetterMailing.FIRST and letter.history.count() == 1

    def test_second_mailing_on_the_interval_day_follows_the_first(self):
        # D6: default minimum interval 15 days; the 15th day is allowed.
        first, second = first_and_second(OrganizationFactory(), gap=15)
        assert second.first_letter == first

    def test_second_mailing_a_day_early_refused(self):
        with pytest.raises(ValidationError) as exc:
            first_and_second(OrganizationFactory(), gap=14)
        assert "15日后" in errors_of(exc)["sent_on"][0]
        assert SpecialLetter.objects.count() == 1

    def test_interval_is_the_configured_policy(self):
        LegalPeriod.objects.create(
            key=rules.LETTER_INTERVAL,
            value=30,
            unit="day",
            rule="R-CRD-03",
            label="x",
            effective_from=D(2020, 1, 1),
        )
        with pytest.raises(ValidationError):
            first_and_second(OrganizationFactory(), gap=29)

    def test_second_mailing_without_a_first_refused(self):
        with pytest.raises(ValidationError) as exc:
            special_letter_record(
                organization=OrganizationFactory(),
                sent_on=D(2024, 3, 1),
                tracking_no="EA1",
                mailing=LetterMailing.SECOND,
                at=AT,
            )
        assert "mailing" in errors_of(exc)

    def test_no_second_mailing_after_a_signed_first(self):
        org = OrganizationFactory()
        first = special_letter_record(organization=org, sent_on=D(2024, 3, 1), tracking_no="E1")
        special_letter_signed_record(letter=first)
        with pytest.raises(ValidationError) as exc:
            special_letter_record(
                organization=org,
                sent_on=D(2024, 4, 1),
                tracking_no="E2",
                mailing=LetterMailing.SECOND,
                first_letter=first,
            )
        assert "已签收" in errors_of(exc)["mailing"][0]

    def test_tracking_no_required_and_unique(self):
        org = OrganizationFactory()
        special_letter_record(organization=org, sent_on=D(2024, 3, 1), tracking_no="E1")
        for number, words in (("", "必填"), ("E1", "已登记")):
            with pytest.raises(ValidationError) as exc:
                special_letter_record(organization=org, sent_on=D(2024, 3, 2), tracking_no=number)
            assert words in errors_of(exc)["tracking_no"][0]


class TestReturn:
    def test_return_on_the_sending_day_allowed_a_day_before_refused(self):
        letter = special_letter_record(
            organization=OrganizationFactory(), sent_on=D(2024, 3, 1), tracking_no="E1"
        )
        with pytest.raises(ValidationError) as exc:
            special_letter_return_record(
                letter=letter, returned_on=D(2024, 2, 29), return_reason="moved"
            )
        assert "早于寄出日期" in errors_of(exc)["returned_on"][0]
        letter = special_letter_return_record(
            letter=letter, returned_on=D(2024, 3, 1), return_reason="moved"
        )
        assert letter.returned_on == D(2024, 3, 1) and not letter.signed_for

    def test_reason_required_and_outcome_recorded_once(self):
        letter = special_letter_record(
            organization=OrganizationFactory(), sent_on=D(2024, 3, 1), tracking_no="E1"
        )
        with pytest.raises(ValidationError) as exc:
            special_letter_return_record(letter=letter, returned_on=D(2024, 3, 8), return_reason="")
        assert "return_reason" in errors_of(exc)
        special_letter_return_record(
            letter=letter, returned_on=D(2024, 3, 8), return_reason="no_such_unit"
        )
        with pytest.raises(ValidationError):
            special_letter_signed_record(letter=letter)
        assert [h.history_change_reason for h in letter.history.order_by("history_date")] == [
            "登记专项信函寄出",
            "登记专项信函退回",
        ]


# ------------------------------------------------------------------ reaching the rules


def test_penalty_entered_through_the_service_becomes_an_abnormal_proposal():
    """R-CRD-02(5): a warning recorded by penalty_record is proposed by the daily job."""
    org = OrganizationFactory()
    p = penalty(org, decided_on=D(2024, 3, 1))
    result = credit_rules_run(as_of=D(2024, 3, 2))
    keys = [c.rule_key for c in result.candidates if c.organization_id == org.pk]
    assert keys == [f"list:R-CRD-02(5):{org.pk}:{p.pk}"]
    [c] = [c for c in result.candidates if c.organization_id == org.pk]
    assert c.ground == CreditGround.A5_WARNING_OR_SMALL_FINE


def test_letter_pair_through_the_services_reaches_r_crd_03_once_returned():
    """R-CRD-03, D6, D15: two letters 15 days apart, proposed only once both returns are in."""
    org = OrganizationFactory()
    first, second = first_and_second(org, gap=15)
    special_letter_return_record(letter=first, returned_on=D(2024, 3, 8), return_reason="moved")
    assert rules.rule_unreachable(as_of=D(2024, 4, 30)) == []  # second still in transit
    special_letter_return_record(
        letter=second, returned_on=D(2024, 3, 25), return_reason="no_such_unit", at=AT
    )
    assert rules.rule_unreachable(as_of=D(2024, 3, 24)) == []  # the day before its return
    [candidate] = rules.rule_unreachable(as_of=D(2024, 3, 25))
    assert candidate.organization_id == org.pk
    assert candidate.ground == CreditGround.A6_UNREACHABLE
    assert [x["id"] for x in candidate.evidence["letters"]] == [first.pk, second.pk]
