"""Routes of supervision under /api/v1/ (mounted by config.urls)."""

from rest_framework.routers import SimpleRouter

from . import zombies
from .credit import CreditListingViewSet
from .views import AnnualReportViewSet, AuditViewSet, InspectionDrawViewSet, InspectionViewSet

router = SimpleRouter()
router.register("annual-reports", AnnualReportViewSet, basename="annual-report")
router.register("inspection-draws", InspectionDrawViewSet, basename="inspection-draw")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("audits", AuditViewSet, basename="audit")
router.register("credit-listings", CreditListingViewSet, basename="credit-listing")
router.register("zombie-cases", zombies.ZombieCaseViewSet, basename="zombie-case")
router.register("circulars", zombies.CircularViewSet, basename="circular")

urlpatterns = router.urls
