from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import admin as portal_admin
from . import views

admin.site.site_header = "政府信息公开管理后台"
admin.site.site_title = "政府信息公开管理后台"
admin.site.index_title = "工作台"

urlpatterns = [
    path("", views.home, name="home"),
    path("xxgk/catalogue/", include("catalog.urls")),
    path("xxgk/apply/", include("requests_app.urls")),
    path("xxgk/", include("disclosure.urls")),
    path("", include("disclosure.root_urls")),
    path("search/", views.search, name="search"),
    path("api/v1/", include("portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # Its script from its own address (?script), not inline: the Content-Security-Policy allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema", template_name="portal/api_docs.html"),
         name="api_docs"),
    path("healthz", views.healthz, name="healthz"),
    # The admin (at ADMIN_PATH, /admin/ by default). Its home is the user's to-do list; it comes first
    # so it answers admin:index.
    path(settings.ADMIN_PATH, admin.site.admin_view(portal_admin.index)),
    path(f"{settings.ADMIN_PATH}oversight/", include("disclosure.oversight_urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
]

handler500 = "portal.views.server_error"
