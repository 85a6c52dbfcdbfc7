"""Addresses at the site's root that disclosure provides: the sitemaps (cached as public pages)."""

from django.urls import path

from portal.cache import public_page

from . import sitemaps

urlpatterns = [
    path("sitemap.xml", public_page(sitemaps.index), name="sitemap"),
    path("sitemap-<section>.xml", public_page(sitemaps.section, params=("p",)), name="sitemap_section"),
]
