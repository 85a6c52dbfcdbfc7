"""/api/v1/: each app registers its own endpoints; portal includes catalog's and disclosure's by
name only, so it still imports neither (design §2)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import ApiIndexView, OrganisationViewSet

router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")

app_name = "api"
urlpatterns = [
    path("", ApiIndexView.as_view(), name="index"),
    *router.urls,
    path("", include("catalog.api_urls")),
    path("", include("disclosure.api_urls")),
]
