"""Sitemaps: the column's pages, published catalogues and 主动公开 documents only."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from catalog.permissions import public_catalogues

from .permissions import public_documents


class DocumentSitemap(Sitemap):
    limit = 20000
    changefreq = "monthly"

    def items(self):
        return public_documents().only("pk", "updated_at").order_by("pk")

    def location(self, document):
        return reverse("disclosure:document_detail", args=[document.pk])

    def lastmod(self, document):
        return document.updated_at


class CatalogueSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return public_catalogues().select_related("domain").order_by("pk")

    def location(self, catalogue):
        return reverse("catalog:catalogue_detail", args=[catalogue.domain.slug, catalogue.organisation_id])

    def lastmod(self, catalogue):
        return catalogue.published_at


class ColumnSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "disclosure:column", "disclosure:guide_list", "disclosure:rules", "disclosure:document_list",
                "disclosure:normative_library", "disclosure:annual_reports", "disclosure:gazette_list", "catalog:domain_list"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"column": ColumnSitemap, "catalogues": CatalogueSitemap, "documents": DocumentSitemap}
