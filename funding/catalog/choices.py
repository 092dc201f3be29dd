"""Vocabularies of the purchase-of-services catalog (DOMAIN.md §7, D9)."""

from django.db import models


class EditionStatus(models.TextChoices):
    DRAFT = "draft", "编制中"
    PUBLISHED = "published", "已发布"


# D9 / R-PUR-04: the minimum age is a parameter, one year by default.
DEFAULT_MIN_AGE_YEARS = 1
