"""Routes of the register under /api/v1/ (mounted by config.urls)."""

from rest_framework.routers import SimpleRouter

from .views import OrganizationViewSet, SupervisingUnitViewSet

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("supervising-units", SupervisingUnitViewSet, basename="supervising-unit")

urlpatterns = router.urls
