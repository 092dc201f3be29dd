"""USCC rules of DOMAIN.md §1 and decision D2, through the one validator every channel uses."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from registry.uscc import (
    CHARSET31,
    organization_code_check_character,
    uscc_check_character,
    uscc_errors,
    uscc_problems,
)
from registry.validators import validate_uscc


def codes(problems):
    return [p.code for p in problems]


@pytest.mark.parametrize(
    ("code", "org_type"),
    [
        ("51440300MJL1712376", "social_group"),  # DOMAIN.md §1.5 A
        ("52440300MJL186084F", "private_non_enterprise"),  # B
        ("53310000MJ49517770", "foundation"),  # C: check value 31 → '0'
        ("53100000500019795A", "foundation"),  # D
        ("52440304MJL000016C", "private_non_enterprise"),  # synthetic Futian code
    ],
)
def test_worked_examples_pass_every_error_rule(code, org_type):
    assert uscc_errors(code, org_type=org_type) == []
    validate_uscc(code)


def test_worked_examples_pass_the_embedded_organization_code_check():
    # R-USCC-08: full-alphabet values reproduce position 17 of the real codes.
    assert organization_code_check_character("MJL17123") == "7"
    assert organization_code_check_character("MJL18608") == "4"
    assert organization_code_check_character("MJ495177") == "7"
    assert organization_code_check_character("50001979") == "5"


def test_standard_worked_example_check_character():
    # R-USCC-06: GB 32100's own example, S = 1640 → 3.
    assert uscc_check_character("91350100M000100Y4") == "3"


def test_check_value_31_gives_zero():
    assert uscc_check_character("53310000MJ4951777") == "0"


def test_futian_code_has_no_warnings():
    assert uscc_problems("52440304MJL000016C", division_code="440304") == []


def test_length_rule():
    (problem,) = uscc_problems("52440304MJL00001")
    assert problem.code == "length" and "18位" in problem.message and problem.is_error


@pytest.mark.parametrize("bad", ["I", "O", "S", "V", "Z", "a", "-"])
def test_alphabet_rule(bad):
    code = "52440304MJL00001" + bad + "C"
    (problem,) = uscc_problems(code)
    assert problem.code == "alphabet" and bad in problem.message


def test_check_character_rule_names_the_expected_character():
    problems = uscc_problems("52440304MJL000016D")
    assert codes(problems) == ["check_character"]
    assert "应为“C”" in problems[0].message


def test_authority_rule_refuses_non_civil_affairs_codes():
    problems = uscc_errors("91350100M000100Y43")
    assert codes(problems) == ["authority"]


def test_type_digit_must_be_a_civil_affairs_category():
    first17 = "54440304MJL000016"
    problems = uscc_errors(first17 + uscc_check_character(first17))
    assert codes(problems) == ["type_digit"]


def test_type_digit_must_match_the_organization_type():
    problems = uscc_errors("52440304MJL000016C", org_type="social_group")
    assert codes(problems) == ["type_mismatch"]
    assert "应为“1”" in problems[0].message


def test_embedded_organization_code_failure_is_only_a_warning():
    # Position 17 wrong but position 18 recomputed: R-USCC-09 flags, never rejects.
    first17 = "52440304MJL000019"
    code = first17 + uscc_check_character(first17)
    problems = uscc_problems(code)
    assert codes(problems) == ["organization_code"]
    assert not problems[0].is_error
    validate_uscc(code)


def test_foreign_division_is_only_a_warning():
    problems = uscc_problems("51440300MJL1712376", division_code="440304")
    assert codes(problems) == ["foreign_division"] and not problems[0].is_error


def test_validator_raises_one_message_per_rule():
    with pytest.raises(ValidationError) as exc:
        validate_uscc("91350100M000100Y44")
    assert {e.code for e in exc.value.error_list} == {"check_character", "authority"}


bodies = st.builds(
    lambda t, div, rest: "5" + t + div + rest,
    st.sampled_from("1239"),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=CHARSET31, min_size=9, max_size=9),
)


@given(bodies)
def test_any_body_with_its_check_character_validates(first17):
    assert uscc_errors(first17 + uscc_check_character(first17)) == []


@given(bodies, st.integers(min_value=0, max_value=17), st.sampled_from(CHARSET31))
def test_any_single_character_change_fails(first17, position, replacement):
    code = first17 + uscc_check_character(first17)
    if code[position] == replacement:
        replacement = CHARSET31[(CHARSET31.index(replacement) + 1) % 31]
    changed = code[:position] + replacement + code[position + 1 :]
    assert uscc_errors(changed) != []
