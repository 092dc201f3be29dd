"""Routes of supervision under /api/v1/ (mounted by config.urls); each subject's viewsets
live in its own `api.py`."""

from rest_framework.routers import SimpleRouter

from oversight.annual_reports.api import AnnualReportViewSet
from oversight.credit.api import CreditListingViewSet, SpecialLetterViewSet
from oversight.inspections.api import (
    AuditViewSet,
    CircularViewSet,
    InspectionDrawViewSet,
    InspectionViewSet,
)
from oversight.zombies.api import ZombieCaseViewSet, ZombieFlagViewSet

router = SimpleRouter()
router.register("annual-reports", AnnualReportViewSet, basename="annual-report")
router.register("inspection-draws", InspectionDrawViewSet, basename="inspection-draw")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("audits", AuditViewSet, basename="audit")
router.register("credit-listings", CreditListingViewSet, basename="credit-listing")
router.register("special-letters", SpecialLetterViewSet, basename="special-letter")
router.register("zombie-cases", ZombieCaseViewSet, basename="zombie-case")
router.register("zombie-flags", ZombieFlagViewSet, basename="zombie-flag")
router.register("circulars", CircularViewSet, basename="circular")

urlpatterns = router.urls
