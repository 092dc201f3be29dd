import pytest

from registry.models import IndustryCategory, Organization
from tests.registry.factories import OrganizationFactory


@pytest.mark.django_db
def test_industry_categories_seeded_per_d1():
    assert IndustryCategory.objects.count() == 15
    assert IndustryCategory.objects.filter(name="艺术").exists()


@pytest.mark.django_db
def test_factory_organization_is_valid():
    org = OrganizationFactory()
    org.full_clean()
    assert Organization.objects.count() == 1
