"""The county office's dashboard, under /admin/ (portal/urls.py includes it before the admin's own)."""

from django.contrib import admin
from django.urls import path

from .oversight import oversight_view

urlpatterns = [
    path("", admin.site.admin_view(oversight_view), name="oversight"),
]
