"""The leak crawl (issue 19, invariant 1): information in every state the public must not see, each
with its own marker in its title, body, 文号, attachment name and attachment content, indexed for
search; then the whole public site crawled from / (pages, feeds, sitemaps, the API in every format,
the schema), searched for every marker, and every guessable address tried, with a cold page cache
and a warm one. No marker may appear anywhere. Then one of them is published and the crawl must find
it (so the crawl reaches content), and withdrawn, and it must be gone from every page again."""

import datetime
import io

import docx
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from reportlab.pdfgen import canvas

from catalog import workflow as catalog_workflow
from catalog.models import Catalogue, CatalogueItem, Domain
from disclosure import reports
from disclosure import workflow as document_workflow
from disclosure.models import AnnualReport, Attachment, Document, GazetteEntry, GazetteIssue
from portal import search
from requests_app import workflow as application_workflow
from requests_app.models import Application, Letter, ReplyType
from tests.factories import (
    ELEMENTS, make_application, make_document, make_domain, make_guideline, make_published_catalogue, make_topic,
    publish_document,
)

from .conftest import Cast, once_per_module
from .crawl import Crawl, text_of

# Lower-case letters only: one word for jieba and the index, valid in a 文号, found by a plain `in`.
DOCUMENT_MARKERS = {
    "draft": "zqdraftzq", "submitted": "zqsubmittedzq", "returned": "zqreturnedzq", "withdrawn": "zqwithdrawnzq",
    "on_request": "zqonrequestzq", "withheld": "zqwithheldzq", "late": "zqlatezq",
}
OTHER_MARKERS = {
    "catalogue_draft": "zqcataloguedraftzq", "catalogue_review": "zqcataloguereviewzq",
    "gazette": "zqgazettezq", "report_draft": "zqreportdraftzq", "report_submitted": "zqreportsubmittedzq",
    "application": "zqapplicationzq", "reply": "zqreplyzq",
}
HIDDEN = {key: marker for key, marker in {**DOCUMENT_MARKERS, **OTHER_MARKERS}.items() if key != "late"}
PUBLIC_TITLE = "关于户籍业务跨省通办的公告"

SEEDS = [
    "/", "/robots.txt", "/sitemap.xml", "/xxgk/feed/", "/xxgk/feed/atom/", "/api/v1/", "/api/schema/",
    "/api/schema/?format=json", "/api/docs/", "/xxgk/catalogue/county.xlsx",
]


def pdf_with(text):
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.save()
    return out.getvalue()


def docx_with(text):
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class World(Cast):
    def __init__(self):
        super().__init__()
        clerk, reviewer = self.gongan_clerk, self.gongan_reviewer
        make_topic()
        domain = make_domain()
        make_guideline(domain)
        self.catalogue = make_published_catalogue(
            self.gongan, domain, clerk=clerk, reviewer=reviewer, county_reviewer=self.county_reviewer
        )
        self.public = publish_document(
            make_document(self.gongan, clerk, title=PUBLIC_TITLE, document_number="青公发〔2026〕3号",
                          body="<p>跨省通办</p>", catalogue_item=self.catalogue.items.filter(parent__isnull=False).first()),
            clerk, reviewer,
        )
        self.attach(self.public, "公告附件", "public-attachment")
        self.documents = {}
        for n, (state, marker) in enumerate(DOCUMENT_MARKERS.items(), start=10):
            attribute = state if state in ("on_request", "withheld") else "proactive"
            document = make_document(
                self.gongan, clerk, title=f"关于{marker}的通知", body=f"<p>正文{marker}</p>", attribute=attribute,
                document_number=f"{marker}〔2026〕{n}号",
            )
            self.attach(document, marker, marker)
            if state == "submitted":
                document_workflow.submit(document, by=clerk)
            elif state == "returned":
                document_workflow.submit(document, by=clerk)
                document_workflow.return_to_draft(document, by=reviewer, note="请补充")
            elif state in ("withdrawn", "on_request", "withheld"):
                publish_document(document, clerk, reviewer)
                if state == "withdrawn":
                    document_workflow.withdraw(document, by=clerk, note="发布有误")
            self.documents[state] = document
        # Catalogues: another organisation's draft, and a revision of the published one in review.
        draft = Catalogue.objects.create(organisation=self.jiaoyu, domain=domain)
        CatalogueItem.objects.create(catalogue=draft, name=OTHER_MARKERS["catalogue_draft"], **ELEMENTS)
        revision = catalog_workflow.start_revision(self.catalogue, by=clerk)
        CatalogueItem.objects.create(catalogue=revision, name=OTHER_MARKERS["catalogue_review"], **ELEMENTS)
        catalog_workflow.submit(revision, by=clerk)
        # A published gazette issue listing every document, and an unpublished one with its own PDF.
        published = GazetteIssue(year=2026, number=1, publish_date=datetime.date(2026, 6, 30), is_published=True)
        published.pdf.save("g1.pdf", ContentFile(pdf_with("gazette one")), save=False)
        published.save()
        for position, document in enumerate([self.public, *self.documents.values()]):
            GazetteEntry.objects.create(issue=published, document=document, position=position, page=position + 1)
        hidden = GazetteIssue(year=2026, number=2, publish_date=datetime.date(2026, 11, 30), is_published=False)
        hidden.pdf.save("g2.pdf", ContentFile(pdf_with(OTHER_MARKERS["gazette"])), save=False)
        hidden.save()
        GazetteEntry.objects.create(issue=hidden, document=self.public, position=0, page=1)
        # Annual reports for 2025: 县公安局's draft and 县教育局's in review.
        reports.update(reports.start(self.gongan, 2025, by=clerk), by=clerk, overview=OTHER_MARKERS["report_draft"])
        reports.submit(
            reports.update(reports.start(self.jiaoyu, 2025, by=self.jiaoyu_clerk), by=self.jiaoyu_clerk,
                           overview=OTHER_MARKERS["report_submitted"]),
            by=self.jiaoyu_clerk,
        )
        # An application and its letters (the acknowledgement and a drafted reply).
        self.application = make_application(
            self.gongan, clerk, arrived_on=datetime.date(2026, 11, 2),
            description=f"申请公开{OTHER_MARKERS['application']}的统计数据", address=f"青禾县{OTHER_MARKERS['application']}路1号",
        )
        application_workflow.draft_reply(
            self.application, by=clerk, reply_type=ReplyType.DISCLOSED, reply_text=f"提供{OTHER_MARKERS['reply']}",
        )
        search.rebuild(workers=1)

    @staticmethod
    def attach(document, name, marker):
        Attachment.objects.create(
            document=document, file=ContentFile(pdf_with(f"attachment {marker}"), name="a.pdf"),
            original_name=f"{name}.pdf", kind="pdf", size=1000, position=0,
        )
        Attachment.objects.create(
            document=document, file=ContentFile(docx_with(f"attachment {marker}"), name="a.docx"),
            original_name=f"{name}.docx", kind="docx", size=1000, position=1,
        )


world = once_per_module(World)


def guessed_addresses():
    """Every address a visitor could try for every object there is, public or not."""
    addresses = []
    documents = list(Document.objects.values_list("pk", flat=True))
    attachments = list(Attachment.objects.values_list("pk", "file", "document_id"))
    for pk in documents:
        addresses += [f"/xxgk/documents/{pk}/", f"/api/v1/documents/{pk}/", f"/api/v1/documents/{pk}/?format=csv"]
        # Every attachment under every document (one document's number with another's attachment too).
        addresses += [f"/xxgk/documents/{pk}/attachments/{attachment}/" for attachment, _, _ in attachments]
    addresses += [f"/xxgk/documents/{document}/attachments/{pk}/?view=1" for pk, _, document in attachments]
    for catalogue in Catalogue.objects.select_related("domain"):
        addresses += [f"/api/v1/catalogues/{catalogue.pk}/"]
        if catalogue.organisation_id:
            base = f"/xxgk/catalogue/{catalogue.domain.slug}/{catalogue.organisation_id}/"
            addresses += [base, f"{base}export.xlsx"]
    for item in CatalogueItem.objects.all():
        addresses += [f"/api/v1/catalogue-items/{item.pk}/", f"/xxgk/catalogue/item/{item.key}/"]
    for domain in Domain.objects.all():
        addresses += [f"/xxgk/catalogue/{domain.slug}/", f"/api/v1/domains/{domain.slug}/"]
    for issue in GazetteIssue.objects.all():
        addresses += [f"/xxgk/gazette/{issue.pk}/", f"/xxgk/gazette/{issue.pk}/pdf/", f"/api/v1/gazette-issues/{issue.pk}/"]
    for report in AnnualReport.objects.all():
        addresses += [f"/xxgk/reports/{report.pk}/", f"/api/v1/annual-reports/{report.pk}/"]
        addresses += [f"/xxgk/reports/{report.pk}/report.{extension}" for extension in ("docx", "xlsx")]
    for letter in Letter.objects.all():
        addresses += [f"/xxgk/apply/status/letters/{letter.pk}/", f"{settings.MEDIA_URL}{letter.file.name}"]
    addresses += [f"{settings.MEDIA_URL}{name}" for _, name, _ in attachments]
    addresses += [f"{settings.MEDIA_URL}{name}" for name in GazetteIssue.objects.values_list("pdf", flat=True)]
    for application in Application.objects.all():
        addresses.append(f"/xxgk/apply/status/?tracking_number={application.tracking_number}")
    return addresses


def searches(markers):
    """The site search, the document list's and the API's keyword filter, for each marker, typed in
    upper case: the page repeats what was typed, a hit shows the title as written (lower case)."""
    addresses = []
    for marker in markers:
        typed = marker.upper()
        addresses += [f"/search/?q={typed}", f"/xxgk/documents/?q={typed}", f"/xxgk/normative/?q={typed}"]
        addresses += [f"/api/v1/documents/?q={typed}&format={fmt}" for fmt in ("json", "csv", "xlsx")]
    return addresses


def crawl():
    client = Client()
    site = Crawl(client, SEEDS + guessed_addresses() + searches([*HIDDEN.values(), DOCUMENT_MARKERS["late"]]))
    assert not site.server_errors(), site.server_errors()
    return site


def leaks(site, markers):
    return {key: site.found(marker) for key, marker in markers.items() if site.found(marker)}


def test_no_marker_of_anything_non_public_is_anywhere_on_the_public_site(
    world, db, django_capture_on_commit_callbacks, settings,
):
    settings.API_ANON_RATE = "100000/min"  # the crawl is one address asking thousands of times
    cold = crawl()
    # The crawl reaches the public content, files included.
    assert cold.found(PUBLIC_TITLE) and cold.found("public-attachment")
    assert len(cold.texts) > 100, sorted(cold.texts)
    assert not leaks(cold, {**HIDDEN, "late": DOCUMENT_MARKERS["late"]})
    warm = crawl()
    assert not leaks(warm, {**HIDDEN, "late": DOCUMENT_MARKERS["late"]})

    # Published: the crawl finds it (page, list, feed, search, the attachments' contents).
    late = world.documents["late"]
    with django_capture_on_commit_callbacks(execute=True):
        publish_document(late, world.gongan_clerk, world.gongan_reviewer)
    published = crawl()
    found = published.found(DOCUMENT_MARKERS["late"])
    assert f"/xxgk/documents/{late.pk}/" in found
    assert "/xxgk/feed/" in found and "/" in found
    assert f"/search/?q={DOCUMENT_MARKERS['late'].upper()}" in found
    assert any("/attachments/" in address for address in found)
    assert not leaks(published, HIDDEN)

    # Withdrawn: gone again from every address the last crawl read, cached ones included.
    with django_capture_on_commit_callbacks(execute=True):
        document_workflow.withdraw(late, by=world.gongan_clerk, note="发布有误")
    client = Client()
    again = {address: client.get(address) for address in published.texts}
    still = sorted(a for a, r in again.items() if r.status_code == 200 and DOCUMENT_MARKERS["late"] in text_of(r))
    assert not still
