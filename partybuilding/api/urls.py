"""Routes of party building under /api/v1/ (mounted by config.urls)."""

from rest_framework.routers import SimpleRouter

from .views import PartyOrganizationViewSet, PartyStatisticsViewSet

router = SimpleRouter()
router.register("party-organizations", PartyOrganizationViewSet, basename="party-organization")
router.register("statistics/party", PartyStatisticsViewSet, basename="party-statistics")

urlpatterns = router.urls
