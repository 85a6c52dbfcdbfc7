"""disclosure's endpoints under /api/v1/ (included by portal.api_urls, in its "api" namespace)."""

from rest_framework.routers import SimpleRouter

from .api import AnnualReportViewSet, ChangeViewSet, DocumentViewSet, GazetteIssueViewSet
from .push import PushDocumentViewSet

router = SimpleRouter()
router.register("documents", DocumentViewSet, basename="document")
router.register("gazette-issues", GazetteIssueViewSet, basename="gazette-issue")
router.register("annual-reports", AnnualReportViewSet, basename="annual-report")
router.register("changes", ChangeViewSet, basename="change")
router.register("push/documents", PushDocumentViewSet, basename="push-document")

urlpatterns = router.urls
