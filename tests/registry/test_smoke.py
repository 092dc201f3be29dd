"""The reference data and the factories every registry test stands on: if these break, the
other tests would pass or fail for the wrong reason."""

import pytest
from django.core.exceptions import ValidationError

from registry.choices import OrganizationType
from registry.models import IndustryCategory, Organization
from registry.uscc import uscc_problems
from tests.registry.factories import OrganizationFactory, make_uscc


@pytest.mark.django_db
def test_industry_categories_seeded_per_d1():
    # D1/R-CLS-02: the 14 national categories in code order, then 艺术 split from 文化 as 15.
    seeded = list(IndustryCategory.objects.order_by("code").values_list("code", "name"))
    assert [code for code, _ in seeded] == list(range(1, 16))
    assert seeded[5] == (6, "文化") and seeded[14] == (15, "艺术")
    assert seeded[8] == (9, "社会服务")  # the factories' default category


@pytest.mark.parametrize("org_type", OrganizationType.values)
def test_factory_codes_pass_every_uscc_rule_for_each_type(org_type):
    code = make_uscc(org_type)
    assert uscc_problems(code, org_type=org_type, division_code="440304") == []
    other_types = [t for t in OrganizationType.values if t != org_type]
    assert all(uscc_problems(code, org_type=t) for t in other_types)  # R-USCC-04: type digit


@pytest.mark.django_db
def test_the_model_refuses_a_code_whose_type_digit_disagrees():
    org = OrganizationFactory.build(
        org_type=OrganizationType.FOUNDATION,
        uscc=make_uscc(OrganizationType.SOCIAL_GROUP),
        supervising_unit=None,
    )
    with pytest.raises(ValidationError) as exc:
        org.full_clean(exclude=["supervising_unit"])
    assert "uscc" in exc.value.message_dict or "org_type" in exc.value.message_dict
    assert Organization.objects.count() == 0
