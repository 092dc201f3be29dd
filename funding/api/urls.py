"""Routes of funding under /api/v1/ (mounted by config.urls)."""

from rest_framework.routers import SimpleRouter

from funding.catalog.api import CatalogEditionViewSet, CatalogEntryViewSet
from funding.grants.api import FundRoundViewSet, GrantProjectViewSet
from funding.ratings.api import RatingApplicationViewSet

router = SimpleRouter()
router.register("fund-rounds", FundRoundViewSet, basename="fund-round")
router.register("grants", GrantProjectViewSet, basename="grant")
router.register("ratings", RatingApplicationViewSet, basename="rating-application")
router.register("catalog-editions", CatalogEditionViewSet, basename="catalog-edition")
router.register("catalog-entries", CatalogEntryViewSet, basename="catalog-entry")

urlpatterns = router.urls
