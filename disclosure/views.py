"""The public 政府信息公开 column: its landing and four parts, organisation pages, document lists and
pages, attachments, the normative-document library and the gazette. Everything here reads through
permissions.public_documents(): nothing else is ever shown to the public."""

from django.http import FileResponse, Http404, HttpResponse
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from catalog.models import Domain
from catalog.permissions import public_catalogues
from portal.cache import is_anonymous_read, public_page, rendered_once
from portal.faults import open_stored
from portal.selectors import COMMITTEES, disclosure_bodies, grouped_disclosure_bodies, public_organisations

from .files.pdf import PDF_CLEANING_VERSION
from .filters import AnnualReportFilter, DocumentFilter
from .models import AnnualReport, Document, GazetteIssue, Guide, Topic
from .permissions import public_documents, public_reports
from .report_files import report_docx, report_xlsx
from .reports import table_three_layout, tables
from .selectors import document_attachments, document_page, public_listing, public_names, related_documents, table_page

LANDING_LIST_SIZE = 6
# The lists' first pages, filtered or not, come from the page cache; a later page (after=) or a search
# by words (q=) is rendered each time.
CACHED_LIST_PARAMS = ("organisation", "topic", "domain", "item", "genre", "validity", "year")
REPORT_LIST_SIZE = 200  # a county has some 60 bodies: three years of reports on one page
REPORT_FILES = {
    "docx": (report_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (report_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@public_page
def column(request):
    """The 政府信息公开 landing with its four parts."""
    return render(request, "disclosure/column.html", {
        "organisation_groups": grouped_disclosure_bodies(),
        "guides": list(Guide.objects.select_related("organisation").order_by("organisation__tree_id", "organisation__lft")[:12]),
        "rules": list(public_listing().filter(is_disclosure_rule=True)[:LANDING_LIST_SIZE]),
        "latest": list(public_listing()[:LANDING_LIST_SIZE]),
        "annual_reports": list(
            public_reports().filter(status=AnnualReport.Status.PUBLISHED).select_related("organisation")[:LANDING_LIST_SIZE]
        ),
        "reports": list(public_listing().filter(genre=Document.Genre.ANNUAL_REPORT)[:LANDING_LIST_SIZE]),
        "topics": list(Topic.objects.filter(parent__isnull=True)),
        "domains": list(Domain.objects.all()),
    })


@public_page
def organisation_detail(request, pk):
    """A disclosure body's page; or a village or residents' committee's, which shows its township's
    catalogues and documents, saying so, when it has none of its own."""
    organisation = get_object_or_404(public_organisations().select_related("guide", "parent"), pk=pk)
    is_committee = organisation.kind in COMMITTEES
    township = organisation.parent if is_committee else None

    def catalogues_of(owner):
        return list(public_catalogues().filter(organisation=owner).select_related("domain").order_by("domain__order"))

    def latest_of(owner):
        return list(public_listing().filter(organisation=owner)[:10])

    catalogues, catalogues_from = catalogues_of(organisation), organisation
    if not catalogues and township is not None:
        catalogues, catalogues_from = catalogues_of(township), township
    latest, documents_from = latest_of(organisation), organisation
    if not latest and township is not None:
        latest, documents_from = latest_of(township), township
    units = [] if is_committee else organisation.get_children().filter(kind__in=COMMITTEES)
    return render(request, "disclosure/organisation_detail.html", {
        "organisation": organisation,
        "is_committee": is_committee,
        "township": township,
        "units": units,
        "catalogues": catalogues,
        "catalogues_from": catalogues_from,
        "latest": latest,
        "documents_from": documents_from,
        # The document list's filter and the feeds know disclosure bodies only.
        "documents_from_is_body": documents_from.is_disclosure_body and documents_from.kind not in COMMITTEES,
    })


@public_page
def guide_list(request):
    return render(request, "disclosure/guide_list.html", {"organisation_groups": grouped_disclosure_bodies()})


@public_page
def guide_detail(request, pk):
    organisation = get_object_or_404(disclosure_bodies(), pk=pk)
    guide = Guide.objects.filter(organisation=organisation).first()
    return render(request, "disclosure/guide_detail.html", {"organisation": organisation, "guide": guide})


# Where a page's shell, rendered once, takes each request's parts: a list's table and pager, a
# document page's title and article.
LIST_SLOT = mark_safe("<!-- the list's table and pager -->")
TITLE_SLOT = mark_safe("<!-- the document's title -->")
DOCUMENT_SLOT = mark_safe("<!-- the document -->")


def _page_shell(request, key, template, context, slots):
    """`template` rendered for an anonymous visitor with each of `slots` (name → *_SLOT marker, in the
    order the page shows them) in its context, as the list of its parts between them: made once per
    public generation (portal.cache.rendered_once). What is around a list's table or a document is the
    same page for every anonymous visitor, and was a third of those pages' time. Only for an anonymous
    visitor (portal.cache.is_anonymous_read), as the page cache stores only theirs: the shell takes
    what it shows of the request (the path) from the first, and must never take anything of a
    signed-in member of staff."""

    def make():
        rest = render_to_string(template, {**context, **slots}, request)
        parts = []
        for marker in slots.values():
            part, rest = rest.split(marker)
            parts.append(part)
        return [*parts, rest]

    return rendered_once(("page-shell", *key), make)


def _filtered_list(request, queryset, template, context):
    # The cursor is not a filter: a later page of an unfiltered list has page 1's blank form.
    filters = request.GET.copy()
    filters.pop("after", None)
    # Without filters no FilterSet is built (it copies every filter, and its form every field): the
    # blank form is rendered once (public_lists.filter_form) and the list is the queryset as it is.
    filterset = DocumentFilter(filters, queryset=queryset) if filters else None
    status = 200
    if filterset is None:
        page = table_page(queryset, request.GET.get("after", ""))
        if is_anonymous_read(request):
            # Around its table and pager, a list without filters is the same page for every cursor.
            head, tail = _page_shell(
                request, (template, request.path), template, {**context, "filterset": None, "page": None},
                {"list_slot": LIST_SLOT},
            )
            body = render_to_string("disclosure/_document_list.html", {**context, "page": page, "query_string": ""})
            return HttpResponse(head + body + tail)
    elif not filterset.is_valid():
        status = 400
        page = table_page(queryset.none())
    else:
        page = table_page(filterset.qs, request.GET.get("after", ""))
    context.update(filterset=filterset, page=page, query_string=filters.urlencode())
    return render(request, template, context, status=status)


@public_page(params=CACHED_LIST_PARAMS)
def document_list(request):
    return _filtered_list(request, public_listing(), "disclosure/document_list.html", {"heading": "法定主动公开内容"})


@public_page(params=CACHED_LIST_PARAMS)
def rules(request):
    return _filtered_list(
        request, public_listing().filter(is_disclosure_rule=True), "disclosure/document_list.html",
        {"heading": "政府信息公开制度"},
    )


@public_page(params=("year", "organisation"))
def annual_reports(request):
    """政府信息公开工作年度报告: each body's current report, newest year first."""
    filterset = AnnualReportFilter(
        request.GET or None, queryset=public_reports().filter(status=AnnualReport.Status.PUBLISHED).select_related("organisation"),
    )
    valid = not filterset.is_bound or filterset.is_valid()
    reports = list(filterset.qs[:REPORT_LIST_SIZE]) if valid else []
    return render(request, "disclosure/annual_report_list.html", {
        "filterset": filterset, "reports": reports, "more": len(reports) == REPORT_LIST_SIZE,
    }, status=200 if valid else 400)


@public_page
def annual_report_detail(request, pk):
    report = get_object_or_404(public_reports().select_related("organisation", "corrects"), pk=pk)
    report_tables = tables(report)
    return render(request, "disclosure/annual_report_detail.html", {
        "report": report, "tables": report_tables, "table_three": table_three_layout(report_tables.table_three),
        "versions": list(public_reports().filter(organisation=report.organisation_id, year=report.year).order_by("-version")),
    })


@public_page  # a published report never changes: its files are made once, not on every download
@require_safe
def annual_report_file(request, pk, extension):
    if extension not in REPORT_FILES:
        raise Http404("只提供 .docx 和 .xlsx 格式")
    report = get_object_or_404(public_reports().select_related("organisation"), pk=pk)
    maker, content_type = REPORT_FILES[extension]
    response = HttpResponse(maker(report), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{report}.{extension}")
    return response


@public_page(params=CACHED_LIST_PARAMS)
def normative_library(request):
    return _filtered_list(
        request, public_listing().filter(is_normative=True), "disclosure/normative_list.html",
        {"heading": "行政规范性文件库", "show_validity": True},
    )


@public_page
def topic_list(request):
    return render(request, "disclosure/topic_list.html", {"topics": Topic.objects.all()})


@public_page
def document_detail(request, pk):
    # Three queries, each compiled once per connection (portal.queries): the document with its catalogue
    # item, its related documents, its attachments. The names come from one map per generation.
    found = document_page(pk)
    if found is None:
        raise Http404("没有找到这条政府信息")
    document, catalogue_item = found
    names = public_names({document.organisation_id}, {document.topic_id})
    context = {
        "document": document,
        "catalogue_item": catalogue_item,
        "organisation": names.organisations[document.organisation_id],
        "topic": names.topics[document.topic_id],
        "attachments": document_attachments(document.pk),
        **related_documents(document),
    }
    if not is_anonymous_read(request):
        return render(request, "disclosure/document_detail.html", context)
    # Around its title and article (breadcrumbs to 相关信息), every document page is the same page.
    head, middle, tail = _page_shell(
        request, ("document",), "disclosure/document_detail.html", {},
        {"title_slot": TITLE_SLOT, "document_slot": DOCUMENT_SLOT},
    )
    return HttpResponse(head + escape(document.title) + middle + render_to_string("disclosure/_document.html", context) + tail)


@require_safe
def attachment_download(request, pk, attachment_pk):
    document = get_object_or_404(public_documents(), pk=pk)
    attachment = get_object_or_404(document.attachments, pk=attachment_pk)
    inline = attachment.kind == "pdf" and request.GET.get("view") == "1"
    return _file_response(attachment.file, attachment.original_name, inline=inline, cleaned_version=attachment.cleaned_version)


@public_page
def gazette_list(request):
    issues = GazetteIssue.objects.filter(is_published=True)
    years = {}
    for issue in issues:
        years.setdefault(issue.year, []).append(issue)
    return render(request, "disclosure/gazette_list.html", {"years": sorted(years.items(), reverse=True)})


@public_page
def gazette_detail(request, pk):
    issue = get_object_or_404(GazetteIssue, pk=pk, is_published=True)
    entries = issue.entries.filter(document__in=public_documents()).select_related("document__organisation")
    # A corrected issue says so: readers of an earlier download learn what changed and when.
    corrections = issue.pdf_versions.exclude(note="").only("uploaded_at", "note")
    return render(request, "disclosure/gazette_detail.html", {"issue": issue, "entries": entries, "corrections": corrections})


@require_safe
def gazette_pdf(request, pk):
    issue = get_object_or_404(GazetteIssue, pk=pk, is_published=True)
    return _file_response(issue.pdf, f"{issue.title}.pdf", inline=request.GET.get("view") == "1",
                          cleaned_version=issue.cleaned_version, content_type="application/pdf")


def _file_response(file, filename, *, inline, cleaned_version, content_type=None):
    """A stored file, downloaded or (a PDF asked for with ?view=1) shown in the browser. Shown only when
    it went through today's cleaning (no scripts, no automatic actions); always sandboxed: a PDF the
    browser shows runs no script of ours or its own, and is never read as another type. Missing or
    unreadable storage is a 404 or the 503 page (portal.faults), never a 500."""
    handle = open_stored(file)
    inline = inline and cleaned_version >= PDF_CLEANING_VERSION
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Every stored file is sandboxed, downloaded or shown: a browser that opens a download in place
    # (some do for PDFs) still runs nothing. The site's policy (django-csp) leaves a set header alone.
    response["Content-Security-Policy"] = "sandbox"
    # Revalidate every time: a withdrawn document's files must not live on in caches.
    response["Cache-Control"] = "no-cache"
    return response
