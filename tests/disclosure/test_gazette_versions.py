"""A published gazette issue is corrected, not overwritten: a new PDF becomes the current one, the
earlier ones are kept and listed, and the public page serves the newest."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.models import GazetteIssue, GazettePdf


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# Each version is told apart by its page width, read back with pypdf.
WIDTHS = {"first": 201, "second": 202, "original": 203, "draft": 204, "final": 205}


def pdf_bytes(version):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=WIDTHS[version], height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def version_of(data):
    from pypdf import PdfReader

    width = int(PdfReader(io.BytesIO(data)).pages[0].mediabox.width)
    return {w: name for name, w in WIDTHS.items()}[width]


def issue_data(issue, *, pdf=None, note=""):
    data = {
        "year": str(issue.year), "number": str(issue.number), "publish_date": issue.publish_date.isoformat(),
        "is_published": "on" if issue.is_published else "", "correction_note": note,
        "entries-TOTAL_FORMS": "0", "entries-INITIAL_FORMS": "0", "entries-MIN_NUM_FORMS": "0", "entries-MAX_NUM_FORMS": "1000",
    }
    versions = list(issue.pdf_versions.all())
    data.update({"pdf_versions-TOTAL_FORMS": str(len(versions)), "pdf_versions-INITIAL_FORMS": str(len(versions)),
                 "pdf_versions-MIN_NUM_FORMS": "0", "pdf_versions-MAX_NUM_FORMS": "1000"})
    for n, version in enumerate(versions):
        data[f"pdf_versions-{n}-id"] = str(version.pk)
        data[f"pdf_versions-{n}-issue"] = str(issue.pk)
    if pdf is not None:
        data["pdf"] = SimpleUploadedFile("公报更正.pdf", pdf)
    return data


@pytest.fixture
def published_issue(client, county_reviewer):
    client.force_login(county_reviewer)
    response = client.post("/admin/disclosure/gazetteissue/add/", {
        "year": "2026", "number": "4", "publish_date": "2026-10-31", "is_published": "on",
        "pdf": SimpleUploadedFile("公报.pdf", pdf_bytes("first")),
        "entries-TOTAL_FORMS": "0", "entries-INITIAL_FORMS": "0", "entries-MIN_NUM_FORMS": "0", "entries-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    return GazetteIssue.objects.get()


def test_the_first_upload_is_the_first_version(published_issue, county_reviewer):
    version = published_issue.pdf_versions.get()
    assert version.uploaded_by == county_reviewer and published_issue.pdf.name == version.file.name
    assert version_of(published_issue.pdf.open("rb").read()) == "first"


def test_a_published_issue_needs_a_correction_note(client, published_issue):
    before = published_issue.pdf.name
    response = client.post(f"/admin/disclosure/gazetteissue/{published_issue.pk}/change/",
                           issue_data(published_issue, pdf=pdf_bytes("second")))
    assert response.status_code == 400
    assert "已发布的公报更换PDF须写明更正说明" in response.content.decode()
    published_issue.refresh_from_db()
    assert published_issue.pdf.name == before and published_issue.pdf_versions.count() == 1


def test_a_correction_keeps_the_old_pdf_and_the_public_gets_the_new_one(client, published_issue, county_reviewer):
    first = published_issue.pdf.name
    response = client.post(f"/admin/disclosure/gazetteissue/{published_issue.pk}/change/",
                           issue_data(published_issue, pdf=pdf_bytes("second"), note="第3页文号印错，已更正"))
    assert response.status_code == 302, response.content.decode()[:3000]
    published_issue.refresh_from_db()
    newest, older = published_issue.pdf_versions.all()
    assert newest.note == "第3页文号印错，已更正" and newest.uploaded_by == county_reviewer
    assert published_issue.pdf.name == newest.file.name != first
    assert older.file.name == first and version_of(older.file.open("rb").read()) == "first"
    page = client.get(f"/admin/disclosure/gazetteissue/{published_issue.pk}/change/").content.decode()
    assert "第3页文号印错，已更正" in page
    for version in (newest, older):
        url = f"/admin/disclosure/gazetteissue/{published_issue.pk}/pdf/{version.pk}/"
        assert url in page
    older_download = client.get(f"/admin/disclosure/gazetteissue/{published_issue.pk}/pdf/{older.pk}/")
    assert version_of(b"".join(older_download.streaming_content)) == "first"
    client.logout()
    public = client.get(f"/xxgk/gazette/{published_issue.pk}/pdf/")
    assert public.status_code == 200 and version_of(b"".join(public.streaming_content)) == "second"
    issue_page = client.get(f"/xxgk/gazette/{published_issue.pk}/").content.decode()
    assert "更正记录" in issue_page and "第3页文号印错，已更正" in issue_page


def test_an_issue_from_before_versions_keeps_its_original_when_corrected(client, county_reviewer):
    issue = GazetteIssue(year=2026, number=1, publish_date=datetime.date(2026, 6, 30), is_published=True)
    issue.pdf.save("g.pdf", ContentFile(pdf_bytes("original")), save=False)
    issue.save()
    original = issue.pdf.name
    client.force_login(county_reviewer)
    response = client.post(f"/admin/disclosure/gazetteissue/{issue.pk}/change/",
                           issue_data(issue, pdf=pdf_bytes("second"), note="补登漏印的文件"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(issue.pdf_versions.values_list("file", flat=True))[-1] == original
    assert issue.pdf_versions.count() == 2


def test_an_unpublished_issue_takes_a_new_pdf_without_a_note(client, county_reviewer):
    client.force_login(county_reviewer)
    client.post("/admin/disclosure/gazetteissue/add/", {
        "year": "2026", "number": "5", "publish_date": "2026-11-30", "pdf": SimpleUploadedFile("公报.pdf", pdf_bytes("draft")),
        "entries-TOTAL_FORMS": "0", "entries-INITIAL_FORMS": "0", "entries-MIN_NUM_FORMS": "0", "entries-MAX_NUM_FORMS": "1000",
    })
    issue = GazetteIssue.objects.get()
    response = client.post(f"/admin/disclosure/gazetteissue/{issue.pk}/change/", issue_data(issue, pdf=pdf_bytes("final")))
    assert response.status_code == 302
    assert GazettePdf.objects.filter(issue=issue).count() == 2


def test_a_clerk_cannot_read_the_versions(client, published_issue, gongan_clerk):
    version = published_issue.pdf_versions.get()
    client.force_login(gongan_clerk)
    assert client.get(f"/admin/disclosure/gazetteissue/{published_issue.pk}/pdf/{version.pk}/").status_code == 403
