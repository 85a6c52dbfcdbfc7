"""Sitemaps: the column's pages, published catalogues and 主动公开 documents only.

/sitemap.xml is an index; documents come in sections of at most SITEMAP_SIZE addresses, section N
holding the public documents with ids from (N-1)×SITEMAP_SIZE+1 to N×SITEMAP_SIZE. A section is read
by that id range and the index needs only the highest public id, so neither counts rows nor skips
them with OFFSET (which Django's sitemap framework does), however many documents there are."""

from django.contrib.sitemaps.views import x_robots_tag
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse

from catalog.permissions import public_catalogues

from .feeds import revalidated
from .permissions import public_documents

SITEMAP_SIZE = 50_000  # the sitemap protocol's limit of addresses per file

COLUMN_PAGES = [
    "home", "disclosure:column", "disclosure:guide_list", "disclosure:rules", "disclosure:document_list",
    "disclosure:normative_library", "disclosure:annual_reports", "disclosure:gazette_list", "catalog:domain_list",
]


def _last_document_section():
    last_pk = public_documents().order_by("-pk").values_list("pk", flat=True).first()
    return (last_pk - 1) // SITEMAP_SIZE + 1 if last_pk else 1


def _column_urls():
    return [{"location": reverse(name), "changefreq": "daily"} for name in COLUMN_PAGES]


def _catalogue_urls():
    catalogues = public_catalogues().select_related("domain").order_by("pk")[:SITEMAP_SIZE]
    return [
        {
            "location": reverse("catalog:catalogue_detail", args=[catalogue.domain.slug, catalogue.organisation_id]),
            "lastmod": catalogue.published_at, "changefreq": "monthly",
        }
        for catalogue in catalogues
    ]


def _document_urls(section):
    low, high = (section - 1) * SITEMAP_SIZE, section * SITEMAP_SIZE
    rows = public_documents().filter(pk__gt=low, pk__lte=high).order_by("pk").values_list("pk", "updated_at")
    return [
        {"location": reverse("disclosure:document_detail", args=[pk]), "lastmod": updated_at, "changefreq": "monthly"}
        for pk, updated_at in rows
    ]


def _xml(request, template, context):
    return TemplateResponse(request, template, context, content_type="application/xml")


@revalidated
@x_robots_tag
def index(request):
    locations = [reverse("sitemap_section", args=["column"]), reverse("sitemap_section", args=["catalogues"])]
    documents = reverse("sitemap_section", args=["documents"])
    locations += [documents if n == 1 else f"{documents}?p={n}" for n in range(1, _last_document_section() + 1)]
    return _xml(request, "sitemap_index.xml", {
        "sitemaps": [{"location": request.build_absolute_uri(location)} for location in locations],
    })


@revalidated
@x_robots_tag
def section(request, section):
    if section == "documents":
        number = request.GET.get("p", "1")
        if not (number.isascii() and number.isdigit() and len(number) <= 9) or not 1 <= int(number) <= _last_document_section():
            raise Http404("没有这一页")
        urls = _document_urls(int(number))
    elif section == "catalogues":
        urls = _catalogue_urls()
    elif section == "column":
        urls = _column_urls()
    else:
        raise Http404("没有这个网站地图")
    for url in urls:
        url["location"] = request.build_absolute_uri(url["location"])
    return _xml(request, "sitemap.xml", {"urlset": urls})
