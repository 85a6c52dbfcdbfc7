"""Attachment checks and metadata stripping, on real files built in the tests (python-docx, openpyxl,
reportlab and pypdf, Pillow, and ole_builder for Word 97 / Excel 97 files). Pure functions: no database."""

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import olefile
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Text
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject
from reportlab.pdfgen.canvas import Canvas

from disclosure.files import (
    ALLOWED_TYPES,
    MAX_ATTACHMENT_BYTES,
    AttachmentRefused,
    check_attachment,
    document_properties,
    property_label,
    strip_metadata,
)
from tests.disclosure import ole_builder as ole

TITLE = "关于户籍业务跨省通办的公告"
BODY = "自2026年2月1日起，户籍迁移业务实行跨省通办。"
PERSONAL_KEYS = {"author", "last_modified_by", "revision", "company", "manager", "comment_authors", "xmp_author",
                 "saved_by", "creator", "producer", "template_path", "file_path", "gps"}
OFD_NS = "http://www.ofdspec.org/2016"
PROJECT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------- building real files


def rezip(data, changes):
    """The archive with some parts replaced: {name: new bytes, or a function of the old bytes}."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        for name in names:
            change = changes.get(name)
            content = source.read(name)
            target.writestr(name, change(content) if callable(change) else (change or content))
        for name, change in changes.items():
            if name not in names:
                target.writestr(name, change)
    return out.getvalue()


def with_company(app_xml):
    return app_xml.replace(b"</Properties>", "<Company>青禾县公安局</Company><Manager>王五</Manager></Properties>".encode())


def jpeg_bytes(orientation=6):
    exif = Image.Exif()
    exif[0x013B] = "Zhang San"  # Artist
    exif[0x9C9D] = "张三".encode("utf-16-le") + b"\x00\x00"  # XPAuthor
    exif[0x010F], exif[0x0110] = "HUAWEI", "Mate 60"
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (35.0, 6.0, 0.0)
    xmp = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>张三</rdf:li>'
           "</rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>")
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, "JPEG", exif=exif, comment="内部草稿，勿外传", xmp=xmp.encode())
    return out.getvalue()


def png_bytes():
    info = PngInfo()
    info.add_text("Author", "张三")
    info.add_text("Comment", "draft 2")
    info.add(b"tIME", b"\x07\xea\x01\x05\x09\x00\x00")
    exif = Image.Exif()
    exif[0x013B] = "Zhang San"
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (30, 120, 200)).save(out, "PNG", pnginfo=info, exif=exif)
    return out.getvalue()


def docx_bytes():
    document = docx.Document()
    paragraph = document.add_paragraph(BODY)
    document.add_comment(paragraph.runs, text="这一段再核实一下", author="王五", initials="WW")
    insertion = OxmlElement("w:ins")
    insertion.set(qn("w:id"), "90")
    insertion.set(qn("w:author"), "赵六")
    insertion.set(qn("w:date"), "2026-01-05T09:00:00Z")
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "（修订稿）"
    run.append(text)
    insertion.append(run)
    paragraph._p.append(insertion)
    document.add_picture(io.BytesIO(jpeg_bytes()))
    properties = document.core_properties
    properties.author, properties.last_modified_by, properties.revision = "张三", "李四", 7
    properties.comments, properties.title, properties.keywords = "内部讨论稿", TITLE, "户籍"
    out = io.BytesIO()
    document.save(out)
    template = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" TargetMode="External" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
        'Target="file:///C:\\Users\\zhangsan\\AppData\\Roaming\\Microsoft\\Templates\\公文模板.dotx"/>'
        "</Relationships>"
    )
    return rezip(out.getvalue(), {"docProps/app.xml": with_company, "word/_rels/settings.xml.rels": template.encode()})


def xlsx_bytes():
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["B1"] = "户籍迁移办理量", 42
    sheet["B1"].comment = Comment("数字待核", "王五")
    workbook.properties.creator, workbook.properties.lastModifiedBy = "张三", "李四"
    workbook.properties.title = TITLE
    workbook.custom_doc_props.append(StringProperty(name="审核人", value="赵六"))
    out = io.BytesIO()
    workbook.save(out)
    absolute_path = (
        '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        '<mc:Choice Requires="x15"><x15ac:absPath xmlns:x15ac="http://schemas.microsoft.com/office/'
        'spreadsheetml/2010/11/ac" url="C:\\Users\\zhangsan\\Desktop\\"/></mc:Choice></mc:AlternateContent>'
    )

    def with_path(workbook_xml):
        return workbook_xml.replace(b"<workbookPr/>", b"<workbookPr/>" + absolute_path.encode())

    return rezip(out.getvalue(), {"docProps/app.xml": with_company, "xl/workbook.xml": with_path})


XMP = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:xmp="http://ns.adobe.com/xap/1.0/"><dc:creator><rdf:Seq><rdf:li>张三</rdf:li></rdf:Seq></dc:creator>'
    "<xmp:CreatorTool>WPS 文字</xmp:CreatorTool></rdf:Description></rdf:RDF></x:xmpmeta>"
    '<?xpacket end="w"?>'
)


def pdf_writer():
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setTitle(TITLE)
    canvas.drawString(72, 720, "Qinghe County household registration notice")
    canvas.showPage()
    canvas.drawString(72, 720, "Page two")
    canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=PdfReader(buffer))
    writer.add_metadata({"/Author": "张三", "/Creator": "WPS 文字", "/Company": "青禾县公安局"})
    writer.xmp_metadata = XMP.encode()
    writer.add_annotation(page_number=0, annotation=Text(rect=(50, 50, 80, 80), text="这里再改一下", title_bar="王五"))
    return writer


def pdf_bytes(writer=None):
    out = io.BytesIO()
    (writer or pdf_writer()).write(out)
    return out.getvalue()


def signed_pdf_bytes():
    writer = pdf_writer()
    signature = DictionaryObject({
        NameObject("/Type"): NameObject("/Sig"),
        NameObject("/Filter"): NameObject("/Adobe.PPKLite"),
        NameObject("/ByteRange"): ArrayObject([NumberObject(0)] * 4),
        NameObject("/Contents"): TextStringObject("0000"),
    })
    field = writer._add_object(DictionaryObject({
        NameObject("/FT"): NameObject("/Sig"),
        NameObject("/T"): TextStringObject("县公安局电子印章"),
        NameObject("/V"): writer._add_object(signature),
        NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
    }))
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): ArrayObject([field]), NameObject("/SigFlags"): NumberObject(3),
    })
    return pdf_bytes(writer)


OFD_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD">
  <ofd:DocBody>
    <ofd:DocInfo>
      <ofd:DocID>6a3d0e3bd0b64e1b9c1f4c8a3e6c2b11</ofd:DocID>
      <ofd:Title>{TITLE}</ofd:Title>
      <ofd:Author>张三</ofd:Author>
      <ofd:CreationDate>2026-01-05</ofd:CreationDate>
      <ofd:Creator>数科 OFD 版式办公套件</ofd:Creator>
      <ofd:CreatorVersion>3.0.21</ofd:CreatorVersion>
      <ofd:CustomDatas><ofd:CustomData Name="审核人">李四</ofd:CustomData></ofd:CustomDatas>
    </ofd:DocInfo>
    <ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>
    <ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures>
  </ofd:DocBody>
</ofd:OFD>
"""
OFD_DOCUMENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData><ofd:MaxUnitID>10</ofd:MaxUnitID></ofd:CommonData>
<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages>
<ofd:Annotations>Annots/Annotations.xml</ofd:Annotations></ofd:Document>
"""
OFD_ANNOTATION = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:PageAnnot xmlns:ofd="{OFD_NS}"><ofd:Annot ID="5" Type="Highlight" Creator="王五" LastModDate="2026-01-05">
<ofd:Appearance Boundary="0 0 10 10"/></ofd:Annot></ofd:PageAnnot>
"""


def ofd_bytes(signed_files=()):
    references = "".join(f'<ofd:Reference FileRef="{path}"><ofd:CheckValue>AAAA</ofd:CheckValue></ofd:Reference>'
                         for path in signed_files)
    signature = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Signature xmlns:ofd="{OFD_NS}"><ofd:SignedInfo>'
                 f'<ofd:References CheckMethod="1.2.156.10197.1.401">{references}</ofd:References>'
                 "</ofd:SignedInfo><ofd:SignedValue>SignedValue.dat</ofd:SignedValue></ofd:Signature>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", OFD_XML)
        archive.writestr("Doc_0/Document.xml", OFD_DOCUMENT)
        archive.writestr("Doc_0/Pages/Page_0/Content.xml", f'<ofd:Page xmlns:ofd="{OFD_NS}"/>')
        archive.writestr("Doc_0/Annots/Page_0/Annotation.xml", OFD_ANNOTATION)
        archive.writestr("Doc_0/Res/photo.jpg", jpeg_bytes())
        if signed_files:
            archive.writestr("Doc_0/Signs/Sign_0/Signature.xml", signature)
            archive.writestr("Doc_0/Signs/Sign_0/SignedValue.dat", b"\x30\x82")
    return out.getvalue()


def summary_information():
    return ole.property_set_stream([(ole.SUMMARY_FMTID, {
        1: ole.codepage(936),
        2: ole.lpstr(TITLE),
        4: ole.lpstr("张三"),
        7: ole.lpstr("公文模板.dot"),
        8: ole.lpstr("李四"),
        9: ole.lpstr("7"),
        10: ole.filetime(35 * 600_000_000),
        14: ole.i4(3),
    })])


def document_summary_information():
    return ole.property_set_stream([
        (ole.DOC_SUMMARY_FMTID, {1: ole.codepage(936), 14: ole.lpstr("王五"), 15: ole.lpstr("青禾县公安局")}),
        (ole.USER_DEFINED_FMTID, {0: ole.dictionary({2: "审核人"}), 1: ole.codepage(936), 2: ole.lpwstr("赵六")}),
    ])


WORD_DOCUMENT = b"\xec\xa5\xc1\x00" + BODY.encode("utf-16-le")


def doc_bytes(summary=None):
    return ole.compound_file({
        "WordDocument": WORD_DOCUMENT.ljust(4608, b"\x00"),
        "1Table": b"\x00" * 700,
        "\x05SummaryInformation": summary or summary_information(),
        "\x05DocumentSummaryInformation": document_summary_information(),
    })


def xls_bytes():
    return ole.compound_file({
        "Workbook": ole.workbook_stream("zhangsan").ljust(4608, b"\x00"),
        "\x05SummaryInformation": summary_information(),
        "\x05DocumentSummaryInformation": document_summary_information(),
    })


def zip_bytes():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("附件1-办理流程.txt", "一、受理；二、审核；三、办结。")
    return out.getvalue()


BUILDERS = {"pdf": pdf_bytes, "ofd": ofd_bytes, "doc": doc_bytes, "docx": docx_bytes, "xls": xls_bytes,
            "xlsx": xlsx_bytes, "wps": doc_bytes, "jpg": jpeg_bytes, "png": png_bytes, "zip": zip_bytes}


def zip_part(data, name):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


# ---------------------------------------------------------------- accepted


@pytest.mark.parametrize(("name", "kind"), [
    ("通知.pdf", "pdf"), ("通知.ofd", "ofd"), ("通知.doc", "doc"), ("通知.docx", "docx"), ("统计表.xls", "xls"),
    ("统计表.xlsx", "xlsx"), ("通知.wps", "wps"), ("现场照片.jpg", "jpg"), ("现场照片.jpeg", "jpg"),
    ("流程图.png", "png"), ("附件.zip", "zip"),
])
def test_each_allowed_kind_is_accepted(name, kind):
    assert check_attachment(name, BUILDERS[kind]()) == kind


def test_extension_case_does_not_matter():
    assert check_attachment("通知.PDF", pdf_bytes()) == "pdf"


def test_client_path_before_the_name_is_ignored():
    assert check_attachment("C:\\fakepath\\通知.docx", docx_bytes()) == "docx"


def test_pdf_with_a_few_bytes_before_its_header_is_accepted():
    assert check_attachment("通知.pdf", b"\x00" * 200 + pdf_bytes()) == "pdf"


# ---------------------------------------------------------------- refused


def refusal(name, data):
    with pytest.raises(AttachmentRefused) as caught:
        check_attachment(name, data)
    return str(caught.value)


def test_html_renamed_pdf_is_refused():
    message = refusal("通知.pdf", "<!DOCTYPE html><html><body>通知</body></html>".encode())
    assert "不是 PDF 文件" in message and "网页" in message


def test_executable_renamed_pdf_is_refused():
    message = refusal("通知.pdf", b"MZ\x90\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode.")
    assert "可执行程序" in message


def test_png_renamed_jpg_is_refused():
    message = refusal("照片.jpg", png_bytes())
    assert "JPEG" in message and "PNG" in message


def test_plain_zip_renamed_docx_is_refused():
    assert "普通 ZIP 压缩包" in refusal("通知.docx", zip_bytes())


def test_xlsx_renamed_docx_is_refused():
    message = refusal("通知.docx", xlsx_bytes())
    assert "不是 Word 文档" in message and "Excel" in message


def test_docx_renamed_xlsx_is_refused():
    assert "Word" in refusal("统计表.xlsx", docx_bytes())


def test_ofd_without_ofd_xml_is_refused():
    assert "OFD" in refusal("公告.ofd", zip_bytes())


def test_doc_that_is_really_text_is_refused():
    assert "纯文本" in refusal("通知.doc", "关于户籍业务的通知\r\n各乡镇：".encode("gbk"))


def test_doc_that_is_really_an_html_export_is_refused():
    assert "网页" in refusal("通知.doc", b"<html xmlns:o='urn:schemas-microsoft-com:office:office'><body></body></html>")


def test_xls_renamed_doc_is_refused():
    assert "Excel 97-2003" in refusal("通知.doc", xls_bytes())


def test_doc_renamed_xls_is_refused():
    assert "Word 97-2003" in refusal("统计表.xls", doc_bytes())


@pytest.mark.parametrize("name", ["setup.exe", "index.html", "tracker.js", "通知.pdf.exe"])
def test_forbidden_extension_is_refused_with_the_allowed_types(name):
    message = refusal(name, b"MZ\x90\x00")
    assert "不允许上传" in message
    assert ALLOWED_TYPES in message
    assert "PDF" in message and "DOCX" in message and "OFD" in message


def test_name_without_extension_is_refused():
    assert "没有扩展名" in refusal("通知", pdf_bytes())


def test_file_over_50_mb_is_refused():
    data = b"%PDF-1.7\n" + bytes(MAX_ATTACHMENT_BYTES)
    assert "超过了 50 MB" in refusal("年鉴.pdf", data)


def test_empty_file_is_refused():
    assert "空文件" in refusal("通知.pdf", b"")


def test_truncated_docx_is_refused():
    data = docx_bytes()
    assert "已损坏" in refusal("通知.docx", data[: len(data) // 2])


def test_zip_with_a_damaged_entry_is_refused():
    data = bytearray(zip_bytes())
    header_end = 30 + len("附件1-办理流程.txt".encode())
    data[header_end + 2] ^= 0xFF  # inside the compressed data: the CRC no longer matches
    assert "已损坏" in refusal("附件.zip", bytes(data))


def test_self_extracting_executable_named_zip_is_refused():
    assert "可执行程序" in refusal("附件.zip", b"MZ\x90\x00" + bytes(300) + zip_bytes())


def test_password_protected_zip_is_refused():
    data = bytearray(zip_bytes())
    data[6] |= 0x01  # local header: encrypted
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x01  # central directory: encrypted
    assert "设置了密码" in refusal("附件.zip", bytes(data))


def test_encrypted_pdf_is_refused():
    writer = pdf_writer()
    writer.encrypt(user_password="", owner_password="owner")
    assert "密码" in refusal("通知.pdf", pdf_bytes(writer))


def test_damaged_jpeg_is_refused():
    data = jpeg_bytes()
    assert "已损坏" in refusal("照片.jpg", data[:30])


def test_damaged_pdf_is_refused():
    assert "已损坏" in refusal("通知.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF")


# ---------------------------------------------------------------- stripping: every kind


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_no_author_like_property_survives_stripping(kind):
    cleaned = strip_metadata(BUILDERS[kind](), kind)
    assert not PERSONAL_KEYS & set(document_properties(cleaned, kind))
    assert check_attachment(f"附件.{kind}", cleaned) == kind


@pytest.mark.parametrize("kind", sorted(set(BUILDERS) - {"zip"}))
def test_the_built_files_do_carry_author_properties(kind):
    assert document_properties(BUILDERS[kind](), kind).get("author")


def test_document_properties_reports_only_non_empty_values():
    document = docx.Document()
    out = io.BytesIO()
    document.save(out)
    found = document_properties(out.getvalue(), "docx")
    assert "last_modified_by" not in found  # empty in python-docx's template
    assert "total_editing_time" not in found  # zero
    assert all(found.values())


# ---------------------------------------------------------------- docx and xlsx


def test_docx_author_is_removed():
    data = docx_bytes()
    before = document_properties(data, "docx")
    assert before["author"] == "张三"
    assert before["last_modified_by"] == "李四"
    assert before["revision"] == "7"
    assert before["company"] == "青禾县公安局"

    cleaned = strip_metadata(data, "docx")

    assert document_properties(cleaned, "docx") == {}
    document = docx.Document(io.BytesIO(cleaned))
    assert document.core_properties.author == ""
    assert document.core_properties.last_modified_by == ""
    assert document.core_properties.title == TITLE
    assert document.core_properties.keywords == "户籍"
    assert BODY in document.paragraphs[0].text


def test_docx_comment_and_tracked_change_authors_are_blanked():
    data = docx_bytes()
    assert set(document_properties(data, "docx")["comment_authors"].split("、")) == {"王五", "赵六"}

    cleaned = strip_metadata(data, "docx")

    comments, body = zip_part(cleaned, "word/comments.xml"), zip_part(cleaned, "word/document.xml")
    assert "王五".encode() not in comments and b'w:initials="WW"' not in comments
    assert "赵六".encode() not in body
    assert "这一段再核实一下".encode() in comments  # the comment text itself is content and stays
    assert "（修订稿）".encode() in body


def test_docx_template_path_is_reduced_to_its_file_name():
    data = docx_bytes()
    assert "zhangsan" in document_properties(data, "docx")["template_path"]

    relationships = zip_part(strip_metadata(data, "docx"), "word/_rels/settings.xml.rels").decode()

    assert "zhangsan" not in relationships
    assert 'Target="公文模板.dotx"' in relationships


def test_docx_picture_loses_its_exif_but_keeps_its_orientation():
    cleaned = strip_metadata(docx_bytes(), "docx")
    picture = Image.open(io.BytesIO(zip_part(cleaned, "word/media/image1.jpg")))
    assert dict(picture.getexif()) == {0x0112: 6}
    assert "comment" not in picture.info


def test_xlsx_author_is_removed():
    data = xlsx_bytes()
    before = document_properties(data, "xlsx")
    assert before["author"] == "张三"
    assert before["last_modified_by"] == "李四"
    assert before["company"] == "青禾县公安局"
    assert before["comment_authors"] == "王五"
    assert before["custom:审核人"] == "赵六"
    assert before["file_path"] == "C:\\Users\\zhangsan\\Desktop\\"

    cleaned = strip_metadata(data, "xlsx")

    assert document_properties(cleaned, "xlsx") == {}
    workbook = load_workbook(io.BytesIO(cleaned))
    assert workbook.properties.lastModifiedBy is None
    assert workbook.properties.title == TITLE
    assert workbook.active["A1"].value == "户籍迁移办理量"
    assert workbook.active["B1"].value == 42
    assert workbook.active["B1"].comment.text.startswith("数字待核")
    assert b"zhangsan" not in zip_part(cleaned, "xl/workbook.xml")


def test_zip_parts_keep_their_order():
    data = docx_bytes()
    cleaned = strip_metadata(data, "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as before, zipfile.ZipFile(io.BytesIO(cleaned)) as after:
        assert after.namelist() == before.namelist()
        assert after.namelist()[0] == "[Content_Types].xml"


# ---------------------------------------------------------------- pdf


def test_pdf_author_is_removed():
    data = pdf_bytes()
    before = document_properties(data, "pdf")
    assert before["author"] == "张三"
    assert before["creator"] == "WPS 文字"
    assert before["company"] == "青禾县公安局"
    assert before["xmp_author"] == "张三"
    assert before["comment_authors"] == "王五"
    assert "ReportLab" in before["producer"]

    cleaned = strip_metadata(data, "pdf")

    assert document_properties(cleaned, "pdf") == {}
    reader = PdfReader(io.BytesIO(cleaned))
    assert reader.metadata["/Title"] == TITLE
    assert set(reader.metadata) <= {"/Title", "/Subject", "/Keywords", "/CreationDate", "/ModDate"}
    assert reader.xmp_metadata is None
    assert len(reader.pages) == 2
    assert "household registration notice" in reader.pages[0].extract_text()
    annotation = reader.pages[0]["/Annots"][0].get_object()
    assert annotation["/Contents"] == "这里再改一下" and annotation["/T"] == ""


def test_pdf_keeps_no_orphaned_copy_of_the_metadata():
    data = pdf_bytes()
    assert b"xmpmeta" in data and b"/Author" in data  # pypdf writes these objects uncompressed

    cleaned = strip_metadata(data, "pdf")

    for leftover in (b"xmpmeta", b"/Metadata", b"/Author", b"/Company", b"/Producer"):
        assert leftover not in cleaned


def test_signed_pdf_is_left_unchanged():
    data = signed_pdf_bytes()
    assert check_attachment("通知.pdf", data) == "pdf"
    assert strip_metadata(data, "pdf") == data


# ---------------------------------------------------------------- ofd


def test_ofd_author_is_removed():
    data = ofd_bytes()
    before = document_properties(data, "ofd")
    assert before == {"author": "张三", "creator": "数科 OFD 版式办公套件", "creator_version": "3.0.21",
                      "custom:审核人": "李四", "comment_authors": "王五"}

    cleaned = strip_metadata(data, "ofd")

    assert document_properties(cleaned, "ofd") == {}
    root = etree.fromstring(zip_part(cleaned, "OFD.xml"))
    doc_info = root.find(f"{{{OFD_NS}}}DocBody/{{{OFD_NS}}}DocInfo")
    assert doc_info.findtext(f"{{{OFD_NS}}}Title") == TITLE
    assert doc_info.findtext(f"{{{OFD_NS}}}DocID") == "6a3d0e3bd0b64e1b9c1f4c8a3e6c2b11"
    assert root.findtext(f"{{{OFD_NS}}}DocBody/{{{OFD_NS}}}DocRoot") == "Doc_0/Document.xml"
    assert zip_part(cleaned, "Doc_0/Document.xml") == OFD_DOCUMENT.encode()
    annotation = etree.fromstring(zip_part(cleaned, "Doc_0/Annots/Page_0/Annotation.xml"))
    assert annotation[0].get("Creator") == ""
    assert dict(Image.open(io.BytesIO(zip_part(cleaned, "Doc_0/Res/photo.jpg"))).getexif()) == {0x0112: 6}


def test_sealed_ofd_parts_are_left_unchanged():
    data = ofd_bytes(signed_files=["/OFD.xml", "/Doc_0/Document.xml", "/Doc_0/Annots/Page_0/Annotation.xml"])

    cleaned = strip_metadata(data, "ofd")

    for name in ("OFD.xml", "Doc_0/Document.xml", "Doc_0/Annots/Page_0/Annotation.xml"):
        assert zip_part(cleaned, name) == zip_part(data, name)
    assert document_properties(cleaned, "ofd")["author"] == "张三"  # still reported: it could not be removed


def test_ofd_seal_on_other_parts_does_not_stop_cleaning_of_ofd_xml():
    cleaned = strip_metadata(ofd_bytes(signed_files=["/Doc_0/Document.xml"]), "ofd")
    assert "author" not in document_properties(cleaned, "ofd")


# ---------------------------------------------------------------- doc, wps, xls


@pytest.mark.parametrize("kind", ["doc", "wps"])
def test_word_97_author_is_removed(kind):
    data = doc_bytes()
    assert document_properties(data, kind) == {
        "manager": "王五", "company": "青禾县公安局", "custom:审核人": "赵六", "author": "张三",
        "template": "公文模板.dot", "last_modified_by": "李四", "revision": "7", "total_editing_time": "35",
    }

    cleaned = strip_metadata(data, kind)

    assert document_properties(cleaned, kind) == {}
    assert len(cleaned) == len(data)
    with olefile.OleFileIO(io.BytesIO(cleaned)) as result:
        metadata = result.get_metadata()
        assert metadata.author == b""
        assert metadata.last_saved_by == b""
        assert metadata.title == TITLE.encode("gbk")
        assert metadata.num_pages == 3
        assert result.openstream("WordDocument").read().startswith(WORD_DOCUMENT)


def test_word_97_author_is_removed_from_a_summary_stream_outside_the_mini_stream():
    data = doc_bytes(summary=summary_information().ljust(5000, b"\x00"))
    cleaned = strip_metadata(data, "doc")
    assert "author" not in document_properties(cleaned, "doc")
    with olefile.OleFileIO(io.BytesIO(cleaned)) as result:
        assert result.get_metadata().title == TITLE.encode("gbk")


def test_xls_author_and_excel_user_name_are_removed():
    data = xls_bytes()
    before = document_properties(data, "xls")
    assert before["author"] == "张三" and before["saved_by"] == "zhangsan"

    cleaned = strip_metadata(data, "xls")

    assert document_properties(cleaned, "xls") == {}
    with olefile.OleFileIO(io.BytesIO(cleaned)) as result:
        workbook = result.openstream("Workbook").read()
    assert b"z\x00h\x00a\x00n\x00g\x00" not in workbook
    assert workbook[:4] == b"\x09\x08\x10\x00"  # the BOF record is untouched


def test_built_word_97_file_opens_with_olefile():
    with olefile.OleFileIO(io.BytesIO(doc_bytes())) as result:
        assert result.exists("WordDocument")
        assert result.get_metadata().author == "张三".encode("gbk")


# ---------------------------------------------------------------- images and zip


def test_jpeg_exif_xmp_and_comment_are_removed():
    data = jpeg_bytes()
    before = document_properties(data, "jpg")
    assert before["author"] == "Zhang San、张三"
    assert before["xmp_author"] == "张三"
    assert before["comments"] == "内部草稿，勿外传"
    assert before["camera"] == "HUAWEI Mate 60"
    assert "gps" in before

    cleaned = strip_metadata(data, "jpg")

    assert document_properties(cleaned, "jpg") == {}
    image = Image.open(io.BytesIO(cleaned))
    assert image.size == (40, 20)
    assert "comment" not in image.info and "xmp" not in image.info
    assert image.convert("RGB").getpixel((5, 5)) == Image.open(io.BytesIO(data)).convert("RGB").getpixel((5, 5))


def test_jpeg_orientation_survives_stripping():
    image = Image.open(io.BytesIO(strip_metadata(jpeg_bytes(orientation=6), "jpg")))
    assert dict(image.getexif()) == {0x0112: 6}


def test_upright_jpeg_is_left_without_any_exif():
    image = Image.open(io.BytesIO(strip_metadata(jpeg_bytes(orientation=1), "jpg")))
    assert dict(image.getexif()) == {}


def test_png_text_and_exif_chunks_are_removed():
    data = png_bytes()
    before = document_properties(data, "png")
    assert before["author"] == "张三、Zhang San"
    assert before["comments"] == "draft 2"

    cleaned = strip_metadata(data, "png")

    assert document_properties(cleaned, "png") == {}
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"tIME"):
        assert chunk not in cleaned
    image = Image.open(io.BytesIO(cleaned))
    assert image.text == {}
    assert image.tobytes() == Image.open(io.BytesIO(data)).tobytes()


def test_zip_is_returned_unchanged():
    data = zip_bytes()
    assert strip_metadata(data, "zip") == data
    assert document_properties(data, "zip") == {}


# ---------------------------------------------------------------- labels and import


def test_property_labels_are_chinese():
    assert property_label("author") == "作者"
    assert property_label("custom:审核人") == "自定义属性：审核人"
    assert property_label("comment_authors") == "批注和修订人"


def test_importing_the_module_has_no_side_effects(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import disclosure.files"], capture_output=True, text=True, cwd=tmp_path,
        env={"PYTHONPATH": str(PROJECT), "DEBUG": "1"},
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert list(tmp_path.iterdir()) == []
