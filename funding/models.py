"""The funding app's models, re-exported from its subjects so Django finds them."""

from funding.catalog.models import CatalogEdition, CatalogEntry, CatalogExclusion
from funding.grants.models import (
    Expert,
    ExpertConflict,
    FundRound,
    GrantBudgetLine,
    GrantCompletionReport,
    GrantPayment,
    GrantProject,
    GrantReview,
    GrantTransition,
)
from funding.ratings.models import (
    RatingApplication,
    RatingEvaluation,
    RatingExpiryReminder,
    RatingReviewRequest,
    RatingRound,
)
from funding.services_records.models import ServiceRecord

__all__ = [
    "CatalogEdition",
    "CatalogEntry",
    "CatalogExclusion",
    "Expert",
    "ExpertConflict",
    "FundRound",
    "GrantBudgetLine",
    "GrantCompletionReport",
    "GrantPayment",
    "GrantProject",
    "GrantReview",
    "GrantTransition",
    "RatingApplication",
    "RatingEvaluation",
    "RatingExpiryReminder",
    "RatingReviewRequest",
    "RatingRound",
    "ServiceRecord",
]
