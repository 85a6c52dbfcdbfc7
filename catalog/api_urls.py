"""catalog's endpoints under /api/v1/ (included by portal.api_urls, in its "api" namespace)."""

from rest_framework.routers import SimpleRouter

from .api import CatalogueItemViewSet, CatalogueViewSet, DomainViewSet

router = SimpleRouter()
router.register("domains", DomainViewSet, basename="domain")
router.register("catalogues", CatalogueViewSet, basename="catalogue")
router.register("catalogue-items", CatalogueItemViewSet, basename="catalogue-item")

urlpatterns = router.urls
