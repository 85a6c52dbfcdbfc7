"""Public catalogue pages under /xxgk/catalogue/, and the county office's coverage overview."""

from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from portal.cache import public_page
from portal.models import Organisation
from portal.permissions import is_county_office

from .excel import export_catalogue, export_county
from .models import Catalogue, CatalogueItem, Domain
from .permissions import public_catalogues
from .selectors import rows_by_top_item


@public_page
def domain_list(request):
    domains = Domain.objects.annotate(
        published_count=Count("catalogues", filter=Q(catalogues__state=Catalogue.State.PUBLISHED, catalogues__is_guideline=False))
    )
    return render(request, "catalog/domain_list.html", {"domains": domains})


@public_page
def domain_detail(request, slug):
    domain = get_object_or_404(Domain.objects.select_related("lead_department"), slug=slug)
    catalogues = (
        public_catalogues().filter(domain=domain).select_related("organisation").order_by("organisation__tree_id", "organisation__lft")
    )
    return render(request, "catalog/domain_detail.html", {"domain": domain, "catalogues": catalogues})


def _published(slug, organisation_pk):
    return get_object_or_404(
        public_catalogues().select_related("organisation", "domain"), domain__slug=slug, organisation__pk=organisation_pk
    )


@public_page
def catalogue_detail(request, slug, organisation_pk):
    catalogue = _published(slug, organisation_pk)
    return render(request, "catalog/catalogue_detail.html", {"catalogue": catalogue, "groups": rows_by_top_item(catalogue)})


def catalogue_export(request, slug, organisation_pk):
    catalogue = _published(slug, organisation_pk)
    return xlsx_response(catalogue)


def xlsx_response(catalogue):
    name = f"{catalogue.organisation.display_name if catalogue.organisation else '国家标准指引'}-{catalogue.title}-第{catalogue.version}版.xlsx"
    response = HttpResponse(
        export_catalogue(catalogue), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename=\"catalogue.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response


def county_export(request):
    """Every published catalogue of the county in one workbook, a sheet per domain (for the city's collectors)."""
    catalogues = public_catalogues().select_related("domain", "organisation").order_by(
        "domain__order", "organisation__tree_id", "organisation__lft",
    )
    name = f"{settings.SITE_NAME}基层政务公开标准目录（全县汇总）.xlsx"
    response = HttpResponse(
        export_county(catalogues, county_name=settings.SITE_NAME.removesuffix("人民政府")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename=\"county-catalogues.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response


@public_page
def item_detail(request, key):
    """An item of a published catalogue, addressed by its key so the address survives new versions."""
    item = (
        CatalogueItem.objects.filter(key=key, catalogue__in=public_catalogues())
        .select_related("catalogue__organisation", "catalogue__domain", "parent")
        .first()
    )
    if item is None:
        raise Http404
    children = list(item.get_children()) if item.parent_id is None else []
    return render(request, "catalog/item_detail.html", {"item": item, "catalogue": item.catalogue, "children": children})


@login_required
def overview(request):
    """Organisations × domains: which have a published catalogue, one in review or a draft, or none."""
    if not is_county_office(request.user):
        raise PermissionDenied("只有县政府办公室可以查看全县目录编制情况")
    domains = list(Domain.objects.all())
    organisations = list(
        Organisation.objects.filter(is_disclosure_body=True)
        .exclude(kind__in=[Organisation.Kind.VILLAGE, Organisation.Kind.RESIDENTS])
        .order_by("tree_id", "lft")
    )
    status = {}
    for catalogue in Catalogue.objects.filter(is_guideline=False).exclude(state=Catalogue.State.SUPERSEDED).only(
        "organisation_id", "domain_id", "state"
    ):
        cell = status.setdefault((catalogue.organisation_id, catalogue.domain_id), set())
        cell.add(catalogue.state)
    rows = []
    for organisation in organisations:
        cells = []
        for domain in domains:
            states = status.get((organisation.pk, domain.pk), set())
            if Catalogue.State.PUBLISHED in states:
                cells.append(("published", "已发布", "修订中" if len(states) > 1 else ""))
            elif states & {Catalogue.State.SUBMITTED, Catalogue.State.FIRST_REVIEWED}:
                cells.append(("review", "审核中", ""))
            elif Catalogue.State.RETURNED in states:
                cells.append(("draft", "已退回", ""))
            elif states:
                cells.append(("draft", "草稿", ""))
            else:
                cells.append(("none", "—", ""))
        rows.append((organisation, cells))
    totals = {
        state: sum(1 for _, cells in rows for kind, _, _ in cells if kind == state) for state in ("published", "review", "draft")
    }
    return render(request, "catalog/overview.html", {"domains": domains, "rows": rows, "totals": totals})
