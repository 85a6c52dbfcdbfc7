"""Zip-based uploads that unpack to too much are refused from the central directory, quickly and in
little memory, on every path that stores a file: accept_upload, the admin's attachments, the public
form. Every bomb is built here, small, in memory."""

import functools
import io
import struct
import tracemalloc
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.files import AttachmentRefused, accept_upload, check_attachment, strip_metadata
from disclosure.models import Attachment, Document
from portal.archives import MAX_ENTRIES, MAX_UNPACKED_BYTES, MB
from tests.disclosure.test_admin import form_data

def docx_bytes():
    document = docx.Document()
    document.add_paragraph("自2026年2月1日起，户籍迁移业务实行跨省通办。")
    document.core_properties.author = "张三"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def with_entries(data, entries):
    """The archive with entries added: {name: size in bytes of zeros}, streamed so nothing big is held."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for name, size in entries.items():
            with target.open(name, "w") as entry:
                for _ in range(size // MB):
                    entry.write(bytes(MB))
                entry.write(bytes(size % MB))
    return out.getvalue()


@functools.cache
def zip_bomb_docx():
    """About 150 KB on the wire, 1.5 times the unpacked limit once opened."""
    return with_entries(docx_bytes(), {"word/media/padding.xml": MAX_UNPACKED_BYTES + MAX_UNPACKED_BYTES // 2})


@functools.cache
def entry_count_bomb_docx():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for number in range(MAX_ENTRIES + 1):
            target.writestr(f"customXml/x{number}.xml", b"")
    return out.getvalue()


def lying_docx():
    """A part that declares 1 000 bytes in the central directory and holds 64 MB."""
    data = with_entries(docx_bytes(), {"word/media/padding.xml": 64 * MB})
    name = b"word/media/padding.xml"
    header = struct.unpack_from("<I", data, data.rfind(b"PK\x05\x06") + 16)[0]  # the central directory
    while data[header + 46:header + 46 + len(name)] != name:
        header += 46 + sum(struct.unpack_from("<HHH", data, header + 28))  # name, extra field, comment
    return data[:header + 24] + struct.pack("<I", 1000) + data[header + 28:]


def photo_docx():
    """About 1 MB: pages of text and a photo, as clerks upload them."""
    from PIL import Image

    photo = io.BytesIO()
    Image.effect_noise((1000, 1000), 60).convert("RGB").save(photo, "JPEG", quality=95)
    document = docx.Document()
    for _ in range(100):
        document.add_paragraph("自2026年2月1日起，户籍迁移业务实行跨省通办。" * 5)
    document.add_picture(photo)
    document.core_properties.author = "张三"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def refused_quickly(build, name="通知.docx"):
    """Refused before the parts are unpacked: what unpacking would take (100 MB and more) never
    reaches memory. Measured in bytes, not seconds, so a loaded machine cannot change the result."""
    data = build()
    tracemalloc.start()
    try:
        with pytest.raises(AttachmentRefused) as caught:
            accept_upload(SimpleUploadedFile(name, data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * MB  # the upload itself is well under 2 MB
    return str(caught.value), len(data)


def test_a_zip_bomb_docx_is_refused_before_anything_is_unpacked():
    message, size = refused_quickly(zip_bomb_docx)
    assert size < 1 * MB
    assert message.startswith("文件“通知.docx”解压后超过 100 MB")


def test_one_highly_compressed_part_is_refused_even_under_the_total():
    message, _ = refused_quickly(lambda: with_entries(docx_bytes(), {"word/media/padding.xml": 20 * MB}))
    assert "压缩比异常" in message


def test_an_entry_count_bomb_is_refused():
    message, _ = refused_quickly(entry_count_bomb_docx)
    assert message.startswith("文件“通知.docx”内含超过 10000 个部件")


def test_a_part_that_holds_more_than_it_declares_is_refused_while_reading():
    message, _ = refused_quickly(lying_docx)
    assert "已损坏" in message


@pytest.mark.parametrize("name", ["目录.xlsx", "公文.ofd", "材料.zip"])
def test_every_zip_based_kind_has_the_limits(name):
    with pytest.raises(AttachmentRefused, match="内含超过 10000 个部件"):
        check_attachment(name, entry_count_bomb_docx())


def test_a_normal_docx_is_accepted_cleaned_with_its_photo_stored_as_it_came():
    # Deflating a megabyte of JPEG again was most of an upload's time, for nothing.
    data = photo_docx()
    assert len(data) > 900_000
    cleaned = accept_upload(SimpleUploadedFile("通知.docx", data))
    assert docx.Document(cleaned.content).core_properties.author == ""
    with zipfile.ZipFile(cleaned.content) as archive:
        assert archive.getinfo("word/media/image1.jpg").compress_type == zipfile.ZIP_STORED


def test_cleaning_stores_the_photo_instead_of_deflating_it_again():
    cleaned = strip_metadata(photo_docx(), "docx")
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        assert archive.getinfo("word/media/image1.jpg").compress_type == zipfile.ZIP_STORED
        assert archive.getinfo("word/document.xml").compress_type == zipfile.ZIP_DEFLATED
    assert "通办" in docx.Document(io.BytesIO(cleaned)).paragraphs[0].text


def test_the_admin_refuses_a_zip_bomb_attachment_and_saves_nothing(client, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    data = form_data(gongan, **{"attachments-0-file": SimpleUploadedFile("附件.docx", zip_bomb_docx())})
    response = client.post("/admin/disclosure/document/add/", data)
    assert response.status_code == 400
    assert "解压后超过 100 MB" in response.content.decode()
    assert not Document.objects.exists() and not Attachment.objects.exists()


def test_the_public_form_refuses_a_zip_bomb_supporting_file(client, gongan):
    from requests_app.models import Application
    from tests.requests_app.test_views import form_data as application_data

    response = client.post("/xxgk/apply/", application_data(gongan, supporting_file=SimpleUploadedFile("证明.docx", zip_bomb_docx())))
    assert response.status_code == 400 and "解压后超过 100 MB" in response.content.decode()
    assert not Application.objects.exists()


def pdf_of(pages):
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, NumberObject

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    writer._root_object["/Pages"].get_object()[NameObject("/Count")] = NumberObject(1)  # a /Count that lies
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_of_too_many_pages_is_refused_before_pypdf_reads_them_all(monkeypatch):
    """8000 pages in 7 MB cost the public form 5 s of CPU to check and 12 s to clean: the page tree's
    nodes are counted, and pypdf never builds its list of pages (PdfReader._flatten, watched here)."""
    from pypdf import PdfReader

    flattened = []
    flatten = PdfReader._flatten
    monkeypatch.setattr(PdfReader, "_flatten", lambda self, *args, **kwargs: flattened.append(1) or flatten(self, *args, **kwargs))
    data = pdf_of(3000)
    with pytest.raises(AttachmentRefused, match="PDF 文件“证明.pdf”超过 1000 页"):
        accept_upload(SimpleUploadedFile("证明.pdf", data))
    assert flattened == []
    assert accept_upload(SimpleUploadedFile("年鉴.pdf", pdf_of(10))).kind == "pdf" and flattened  # it is watched


def test_a_pdf_of_a_thousand_pages_is_accepted():
    assert accept_upload(SimpleUploadedFile("年鉴.pdf", pdf_of(1000))).kind == "pdf"
