"""Attachments for publication: refuse files that are not what their extension claims, and strip the
author and revision metadata that would put a clerk's name or draft history on the public site."""

import io
import lzma
import math
import posixpath
import struct
import uuid
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import olefile
from lxml import etree
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject, TextStringObject

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
# Total declared unpacked size of a zip-based file; beyond it the file is a zip bomb, not a document.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024

EXTENSIONS = {".pdf": "pdf", ".ofd": "ofd", ".doc": "doc", ".docx": "docx", ".xls": "xls", ".xlsx": "xlsx",
              ".wps": "wps", ".jpg": "jpg", ".jpeg": "jpg", ".png": "png", ".zip": "zip"}
ALLOWED_TYPES = "、".join(extension[1:].upper() for extension in EXTENSIONS)
KIND_NAMES = {
    "pdf": "PDF 文件", "ofd": "OFD 版式文件", "doc": "Word 97-2003 文档", "docx": "Word 文档",
    "xls": "Excel 97-2003 工作簿", "xlsx": "Excel 工作簿", "wps": "WPS 文字文档", "jpg": "JPEG 图片",
    "png": "PNG 图片", "zip": "ZIP 压缩包",
}

# Keys document_properties() can return, as a clerk should read them.
PROPERTY_LABELS = {
    "author": "作者", "last_modified_by": "最后修改者", "revision": "修订号", "comments": "备注",
    "template": "模板", "template_path": "模板路径", "total_editing_time": "总编辑时间（分钟）",
    "last_printed": "最后打印时间", "content_status": "内容状态", "version": "版本号", "company": "单位",
    "manager": "主管", "hyperlink_base": "超链接基础", "file_path": "文件保存路径",
    "comment_authors": "批注和修订人", "saved_by": "保存人（Excel 用户名）", "creator": "创建程序",
    "creator_version": "创建程序版本", "producer": "PDF 生成程序", "xmp_author": "作者（XMP）",
    "camera": "拍摄设备", "gps": "拍摄位置", "software": "处理软件", "copyright": "版权信息",
}

PDF_HEADER_WINDOW = 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_START = b"\xff\xd8\xff"
ZIP_LOCAL_HEADER = b"PK\x03\x04"
ZIP_ENCRYPTED_FLAG = 0x1
ZIP_READABLE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError, NotImplementedError,
              struct.error)
# The part each zip-based format cannot exist without.
REQUIRED_ZIP_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "ofd": "OFD.xml"}

CLEANING_FAILED = "文件内部结构有损坏，系统无法清除其中的作者信息。请用原软件重新保存或导出后再上传。"


class AttachmentRefused(Exception):
    """An upload that cannot be published; str(exc) tells the clerk why and what to do."""


class _Damaged(Exception):
    """A structure inside the file does not parse."""


# What parsing a damaged file raises, besides the library-specific cases caught where they occur.
PARSE_ERRORS = (_Damaged, etree.XMLSyntaxError, *ZIP_ERRORS, KeyError, IndexError)


# ---------------------------------------------------------------- public API


def check_attachment(name: str, data: bytes) -> str:
    """The kind of the attachment ("pdf", "docx", ...), or AttachmentRefused if it must not be published."""
    name = _base_name(name)
    extension = _extension(name)
    kind = EXTENSIONS.get(extension)
    if kind is None:
        raise AttachmentRefused(_extension_refusal(name, extension))
    if not data:
        raise AttachmentRefused(f"文件“{name}”是空文件（0 字节），请检查后重新上传。")
    if len(data) > MAX_ATTACHMENT_BYTES:
        size = math.ceil(len(data) * 10 / (1024 * 1024)) / 10
        raise AttachmentRefused(f"文件“{name}”大小为 {size} MB，超过了 50 MB 的上限。请压缩图片或拆分文件后再上传。")
    CHECKS[kind](name, kind, data)
    return kind


def strip_metadata(data: bytes, kind: str) -> bytes:
    """The file without author, revision and editing-history metadata; see the cleaners per kind below.

    Expects data that passed check_attachment. Raises AttachmentRefused if damage shows up that the check
    could not see. A digitally signed PDF is returned unchanged: rewriting it would break the electronic
    seal, which matters more than the producer name. Parts of an OFD covered by a seal are left as they are.
    Names on comments and tracked changes are blanked; their text stays, as it is part of the content."""
    try:
        return STRIPPERS[kind](data)
    except AttachmentRefused:
        raise
    except PARSE_ERRORS as exc:
        raise AttachmentRefused(CLEANING_FAILED) from exc


def document_properties(data: bytes, kind: str) -> dict:
    """Author-like properties found in the file, e.g. {"author": "张三", "revision": "7"}; only non-empty ones.

    The same code finds and removes them, so this is what strip_metadata takes out (except where a seal
    stops it). Several values of one key are joined with "、". property_label() names the keys in Chinese."""
    found = {}
    try:
        READERS[kind](data, found)
    except AttachmentRefused:
        raise
    except PARSE_ERRORS as exc:
        raise AttachmentRefused(CLEANING_FAILED) from exc
    return {key: "、".join(values) for key, values in found.items() if values}


def property_label(key: str) -> str:
    """The Chinese label of a document_properties() key, including custom and free-text ones."""
    if key.startswith("custom:"):
        return f"自定义属性：{key[len('custom:'):]}"
    if key.startswith("text:"):
        return f"图片文字信息：{key[len('text:'):]}"
    if key.startswith("info:"):
        return f"PDF 文档信息：{key[len('info:'):]}"
    return PROPERTY_LABELS.get(key, key)


# ---------------------------------------------------------------- names and messages


def _base_name(name):
    # Old browsers send the whole client path ("C:\fakepath\通知.pdf").
    return str(name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()


def _extension(name):
    stem, dot, suffix = name.rpartition(".")
    return f".{suffix.lower()}" if dot and stem else ""


def _extension_refusal(name, extension):
    if not extension:
        return f"文件“{name}”没有扩展名，无法判断文件类型。允许上传的类型：{ALLOWED_TYPES}。"
    return f"不允许上传“{extension}”类型的文件（“{name}”）。允许上传的类型：{ALLOWED_TYPES}。"


def _not_what_it_claims(name, kind, data):
    actual = _looks_like(data)
    hint = f"（看起来是“{actual}”）" if actual else ""
    return AttachmentRefused(
        f"文件“{name}”的内容不是 {KIND_NAMES[kind]}{hint}，与扩展名不符。"
        "请用原软件另存为正确的格式后再上传，不要直接修改扩展名。"
    )


def _damaged(name, kind):
    return AttachmentRefused(f"文件“{name}”已损坏，无法作为{KIND_NAMES[kind]}打开。请用原软件重新保存或导出后再上传。")


def _looks_like(data):
    """What the content really is, for the refusal message; "" when unknown."""
    head = data[:PDF_HEADER_WINDOW + 5]
    if head.startswith(b"MZ"):
        return "Windows 可执行程序"
    if head.startswith(PNG_SIGNATURE):
        return "PNG 图片"
    if head.startswith(JPEG_START):
        return "JPEG 图片"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF 图片"
    if b"%PDF-" in head:
        return "PDF 文件"
    if head.startswith(OLE_MAGIC):
        return _ole_looks_like(data)
    if head.startswith(ZIP_LOCAL_HEADER):
        return _zip_looks_like(data)
    if head.startswith(b"{\\rtf"):
        return "RTF 文档"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html")) or b"<html" in text or b"<body" in text:
        return "网页（HTML）"
    if head and not any(byte < 9 or 13 < byte < 32 for byte in head[:512]):
        return "纯文本"
    return ""


def _ole_looks_like(data):
    ole = _open_ole(io.BytesIO(data))
    if ole is None:
        return "损坏的 Office 复合文档"
    with ole:
        if ole.exists("EncryptedPackage"):
            return "加密的 Office 文档"
        if ole.exists("WordDocument"):
            return "Word 97-2003 或 WPS 文字文档"
        if ole.exists("Workbook") or ole.exists("Book"):
            return "Excel 97-2003 工作簿"
        if ole.exists("PowerPoint Document"):
            return "PowerPoint 97-2003 演示文稿"
    return "Office 97-2003 复合文档"


def _zip_looks_like(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except ZIP_ERRORS:
        return "损坏的 ZIP 压缩包"
    if "word/document.xml" in names:
        return "Word 文档（.docx）"
    if "xl/workbook.xml" in names:
        return "Excel 工作簿（.xlsx）"
    if "ppt/presentation.xml" in names:
        return "PowerPoint 演示文稿（.pptx）"
    if "OFD.xml" in names:
        return "OFD 版式文件"
    return "普通 ZIP 压缩包"


# ---------------------------------------------------------------- checks by content


def _check_pdf(name, kind, data):
    if data.find(b"%PDF-", 0, PDF_HEADER_WINDOW + 5) < 0:
        raise _not_what_it_claims(name, kind, data)
    reader = _read_pdf(data)
    if reader is None:
        raise _damaged(name, kind)
    if reader.is_encrypted:
        raise AttachmentRefused(
            f"PDF 文件“{name}”设置了密码或权限保护，系统无法清除其中的作者信息，公众也可能无法正常打开。"
            "请去除密码保护后重新上传。"
        )
    if len(reader.pages) == 0:
        raise _damaged(name, kind)


def _check_zip(name, kind, data):
    # Requiring the local header at offset 0 also refuses self-extracting .exe files, which zipfile accepts.
    if not data.startswith(ZIP_LOCAL_HEADER):
        raise _not_what_it_claims(name, kind, data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if any(info.flag_bits & ZIP_ENCRYPTED_FLAG for info in infos):
                raise AttachmentRefused(f"文件“{name}”设置了密码，公众无法打开。请去除密码后重新上传。")
            if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
                raise AttachmentRefused(f"文件“{name}”解压后超过 1 GB，无法处理。请拆分后再上传。")
            _verify_zip_entries(archive, infos, kind)
            names = set(archive.namelist())
    except ZIP_ERRORS:
        raise _damaged(name, kind) from None
    required = REQUIRED_ZIP_PART.get(kind)
    if required is not None and required not in names:
        raise _not_what_it_claims(name, kind, data)


def _verify_zip_entries(archive, infos, kind):
    for info in infos:
        if info.compress_type not in ZIP_READABLE_METHODS:
            if kind == "zip":
                continue  # e.g. Deflate64 from Windows Explorer: a valid archive Python cannot unpack
            raise zipfile.BadZipFile(f"unsupported compression in {info.filename}")
        with archive.open(info) as entry:
            # zipfile compares the CRC-32 once an entry has been read to its end.
            while entry.read(1024 * 1024):
                pass


def _check_ole(name, kind, data):
    if not data.startswith(OLE_MAGIC):
        raise _not_what_it_claims(name, kind, data)
    ole = _open_ole(io.BytesIO(data))
    if ole is None:
        raise _damaged(name, kind)
    with ole:
        if kind == "xls":
            expected = ole.exists("Workbook") or ole.exists("Book")
        else:
            expected = ole.exists("WordDocument")
    if not expected:
        raise _not_what_it_claims(name, kind, data)


def _check_jpeg(name, kind, data):
    if not data.startswith(JPEG_START):
        raise _not_what_it_claims(name, kind, data)
    try:
        _jpeg_segments(data)
    except _Damaged:
        raise _damaged(name, kind) from None


def _check_png(name, kind, data):
    if not data.startswith(PNG_SIGNATURE):
        raise _not_what_it_claims(name, kind, data)
    try:
        _png_chunks(data)
    except _Damaged:
        raise _damaged(name, kind) from None


CHECKS = {"pdf": _check_pdf, "ofd": _check_zip, "docx": _check_zip, "xlsx": _check_zip, "zip": _check_zip,
          "doc": _check_ole, "wps": _check_ole, "xls": _check_ole, "jpg": _check_jpeg, "png": _check_png}


# ---------------------------------------------------------------- shared helpers


def _note(found, key, value):
    """Record a property value worth reporting; empty values and zero counters are not."""
    text = str(value if value is not None else "").replace("\x00", "").strip()
    if text and text != "0" and text not in found.get(key, []):
        found.setdefault(key, []).append(text)


def _local_name(tag):
    return etree.QName(tag).localname


def _parse_xml(content):
    # A fresh parser per call: lxml parsers must not be shared between threads. No entities, no network.
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(content, parser)


def _serialise_xml(root):
    tree = root.getroottree()
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=tree.docinfo.standalone)


def _note_xmp(packet, found):
    """Note the dc:creator names of an XMP packet; an unreadable packet is removed all the same."""
    try:
        root = _parse_xml(packet.strip(b"\x00 \t\r\n"))
    except etree.XMLSyntaxError:
        return
    for creator in root.iter("{http://purl.org/dc/elements/1.1/}creator"):
        for item in creator.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}li"):
            _note(found, "xmp_author", item.text)


# ---------------------------------------------------------------- zip: docx, xlsx, ofd


def _zip_entries(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            yield info, archive.read(info)


def _rewrite_zip(data, clean):
    """The archive rebuilt entry by entry through clean(name, content), in the original order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info, content in _zip_entries(data):
            target.writestr(_fresh_zip_info(info), clean(info.filename, content))
    return out.getvalue()


def _fresh_zip_info(info):
    # A new ZipInfo leaves the original's extra fields, per-entry comments and flags behind.
    fresh = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    fresh.compress_type = zipfile.ZIP_STORED if info.compress_type == zipfile.ZIP_STORED else zipfile.ZIP_DEFLATED
    fresh.external_attr = info.external_attr
    return fresh


def _clean_embedded_image(name, content):
    """Photos pasted into a document keep their EXIF (camera, GPS, author) unless removed here."""
    lowered = name.lower()
    try:
        if lowered.endswith((".jpg", ".jpeg")) and content.startswith(JPEG_START):
            return _strip_jpeg(content)
        if lowered.endswith(".png") and content.startswith(PNG_SIGNATURE):
            return _strip_png(content)
    except _Damaged:
        pass  # the office application shows it as it is; better published unchanged than refused
    return content


CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DC_NS = "http://purl.org/dc/elements/1.1/"

# Title, subject, keywords, category and the created/modified dates stay: they describe the document.
CORE_PRIVATE = {
    f"{{{DC_NS}}}creator": "author",
    f"{{{CORE_NS}}}lastModifiedBy": "last_modified_by",
    f"{{{CORE_NS}}}revision": "revision",
    f"{{{DC_NS}}}description": "comments",
    f"{{{CORE_NS}}}lastPrinted": "last_printed",
    f"{{{CORE_NS}}}contentStatus": "content_status",
    f"{{{CORE_NS}}}version": "version",
}
EXTENDED_PRIVATE = {
    f"{{{EXTENDED_NS}}}{name}": key
    for name, key in [("Company", "company"), ("Manager", "manager"), ("Template", "template"),
                      ("TotalTime", "total_editing_time"), ("HyperlinkBase", "hyperlink_base")]
}
# Attributes naming people: w:author/w:initials on comments and tracked changes, w15:author in
# people.xml, userName in shared-workbook revision logs.
PERSON_ATTRIBUTES = {"author", "initials", "userName"}
# Parts without any of these byte strings have nothing to clean and are copied without parsing.
OOXML_NEEDLES = (CORE_NS.encode(), EXTENDED_NS.encode(), CUSTOM_NS.encode(), b"author", b"initials",
                 b"userName", b"presenceInfo", b"displayName", b"absPath", b"attachedTemplate")


def _clean_ooxml_part(name, content, found):
    """The XML part without personal data; what was removed is noted in found."""
    if not name.lower().endswith((".xml", ".rels")) or not any(needle in content for needle in OOXML_NEEDLES):
        return content
    root = _parse_xml(content)
    if root.tag == f"{{{CORE_NS}}}coreProperties":
        _clean_core_properties(root, found)
    elif root.tag == f"{{{EXTENDED_NS}}}Properties":
        _clean_extended_properties(root, found)
    elif root.tag == f"{{{CUSTOM_NS}}}Properties":
        _clean_custom_properties(root, found)
    elif root.tag == f"{{{RELATIONSHIPS_NS}}}Relationships":
        _clean_relationships(root, found)
    else:
        _clean_people(root, found)
    return _serialise_xml(root)


def _clean_core_properties(root, found):
    for element in list(root):
        key = CORE_PRIVATE.get(element.tag)
        if key is not None:
            _note(found, key, element.text)
            root.remove(element)


def _clean_extended_properties(root, found):
    for element in list(root):
        key = EXTENDED_PRIVATE.get(element.tag)
        if key is not None:
            _note(found, key, element.text)
            root.remove(element)


def _clean_custom_properties(root, found):
    # The part stays, empty, so that the package relationships pointing at it remain valid.
    for element in list(root.iterchildren(etree.Element)):
        _note(found, f"custom:{element.get('name', '')}", "".join(element.itertext()))
        root.remove(element)


def _clean_relationships(root, found):
    """An attached template is recorded with its full path, which holds the Windows user name."""
    for relationship in root.iterchildren(etree.Element):
        target = relationship.get("Target", "")
        if not relationship.get("Type", "").endswith("/attachedTemplate"):
            continue
        file_name = target.replace("\\", "/").rsplit("/", 1)[-1]
        if file_name != target:
            _note(found, "template_path", target)
            relationship.set("Target", file_name)


def _clean_people(root, found):
    """Blank the names on comments, tracked changes and their people lists; text and changes stay."""
    for element in list(root.iter(etree.Element)):
        local = _local_name(element)
        for attribute in list(element.attrib):
            attribute_name = _local_name(attribute)
            if attribute_name in PERSON_ATTRIBUTES:
                if attribute_name != "initials":
                    _note(found, "comment_authors", element.get(attribute))
                element.set(attribute, "")
        if local == "author" and len(element) == 0:  # spreadsheet comments: <authors><author>
            _note(found, "comment_authors", element.text)
            element.text = ""
        elif local == "person" and element.get("displayName") is not None:  # threaded comment persons
            _note(found, "comment_authors", element.get("displayName"))
            element.set("displayName", "")
            if element.get("userId") is not None:
                element.set("userId", "")
        elif local == "presenceInfo" and element.getparent() is not None:  # account ids, e-mail addresses
            element.getparent().remove(element)
        elif local == "absPath":  # where Excel last saved the workbook, e.g. C:\Users\zhangsan\Desktop\
            _note(found, "file_path", element.get("url"))
            element.set("url", "")


def _strip_ooxml(data):
    def clean(name, content):
        return _clean_embedded_image(name, _clean_ooxml_part(name, content, {}))

    return _rewrite_zip(data, clean)


def _read_ooxml(data, found):
    for info, content in _zip_entries(data):
        _clean_ooxml_part(info.filename, content, found)


OFD_DOC_INFO_PRIVATE = {"Author": "author", "Creator": "creator", "CreatorVersion": "creator_version"}


def _clean_ofd_part(name, content, found):
    if not name.lower().endswith(".xml"):
        return content
    if name == "OFD.xml":
        root = _parse_xml(content)
        _clean_ofd_doc_info(root, found)
        return _serialise_xml(root)
    if b"Annot" in content and b"Creator" in content:
        root = _parse_xml(content)
        _clean_ofd_annotations(root, found)
        return _serialise_xml(root)
    return content


def _clean_ofd_doc_info(root, found):
    # Title, subject, abstract, keywords and dates stay: they describe the document.
    for doc_info in [element for element in root.iter(etree.Element) if _local_name(element) == "DocInfo"]:
        for child in list(doc_info.iterchildren(etree.Element)):
            local = _local_name(child)
            if local in OFD_DOC_INFO_PRIVATE:
                _note(found, OFD_DOC_INFO_PRIVATE[local], child.text)
                doc_info.remove(child)
            elif local == "CustomDatas":
                for custom in child.iterchildren(etree.Element):
                    _note(found, f"custom:{custom.get('Name', '')}", custom.text)
                doc_info.remove(child)


def _clean_ofd_annotations(root, found):
    # Creator is a required attribute of Annot, so it is blanked rather than removed.
    for element in root.iter(etree.Element):
        if _local_name(element) == "Annot" and element.get("Creator"):
            _note(found, "comment_authors", element.get("Creator"))
            element.set("Creator", "")


def _ofd_signed_parts(data):
    """Paths of the parts an electronic seal covers (Reference/@FileRef in every Signature.xml)."""
    signed = set()
    for info, content in _zip_entries(data):
        if not info.filename.lower().endswith(".xml") or b"FileRef" not in content:
            continue
        base = posixpath.dirname(info.filename)
        for element in _parse_xml(content).iter(etree.Element):
            reference = element.get("FileRef")
            if _local_name(element) == "Reference" and reference:
                signed.add(_ofd_path(base, reference))
    return signed


def _ofd_path(base, reference):
    reference = reference.strip().replace("\\", "/")
    path = reference.lstrip("/") if reference.startswith("/") else posixpath.join(base, reference)
    return posixpath.normpath(path)


def _strip_ofd(data):
    signed = _ofd_signed_parts(data)

    def clean(name, content):
        if posixpath.normpath(name) in signed:
            return content  # changing a sealed part would make the seal show as forged
        return _clean_embedded_image(name, _clean_ofd_part(name, content, {}))

    return _rewrite_zip(data, clean)


def _read_ofd(data, found):
    for info, content in _zip_entries(data):
        _clean_ofd_part(info.filename, content, found)


# ---------------------------------------------------------------- OLE2: doc, wps, xls


SUMMARY_FMTID = uuid.UUID("f29f85e0-4ff9-1068-ab91-08002b27b3d9").bytes_le
DOC_SUMMARY_FMTID = uuid.UUID("d5cdd502-2e9c-101b-9397-08002b2cf9ae").bytes_le
USER_DEFINED_FMTID = uuid.UUID("d5cdd505-2e9c-101b-9397-08002b2cf9ae").bytes_le
PROPERTY_STREAMS = {"\x05SummaryInformation", "\x05DocumentSummaryInformation"}
# Title, subject, keywords, dates and counts stay: they describe the document.
SUMMARY_PRIVATE = {4: "author", 6: "comments", 7: "template", 8: "last_modified_by", 9: "revision",
                   10: "total_editing_time", 11: "last_printed"}
DOC_SUMMARY_PRIVATE = {14: "manager", 15: "company"}
VT_I2, VT_LPSTR, VT_LPWSTR, VT_FILETIME = 0x0002, 0x001E, 0x001F, 0x0040
CODEPAGE_UTF16 = 1200
CODEPAGE_CODECS = {1200: "utf-16-le", 65001: "utf-8", 936: "gbk", 54936: "gb18030", 950: "big5"}
FILETIME_PER_MINUTE = 600_000_000
# BIFF records of the workbook globals.
BIFF_BOF, BIFF_EOF, BIFF_FILEPASS, BIFF_WRITEACCESS = 0x0809, 0x000A, 0x002F, 0x005C
BIFF8_VERSION = 0x0600


@dataclass
class _Section:
    fmtid: bytes
    codepage: int = 1252
    properties: list = field(default_factory=list)  # (property id, VT type, offset of the typed value)
    names: dict = field(default_factory=dict)  # property id -> name, from a user-defined dictionary


def _open_ole(buffer):
    """An OleFileIO on a file object, or None. Never bytes: short bytes olefile would take for a path."""
    try:
        return olefile.OleFileIO(buffer)
    except Exception:  # olefile raises anything from OSError to IndexError on damaged files
        return None


def _open_ole_or_refuse(buffer):
    ole = _open_ole(buffer)
    if ole is None:
        raise AttachmentRefused(CLEANING_FAILED)
    return ole


def _clean_ole(ole, found, write):
    """Blank the personal properties of every property-set stream (embedded objects have their own)
    and the Excel user name; with write=False only note them."""
    for path in ole.listdir(streams=True, storages=False):
        if path[-1] in PROPERTY_STREAMS:
            _clean_ole_stream(ole, path, _clean_property_sets, found, write)
        elif path[-1] in ("Workbook", "Book"):
            _clean_ole_stream(ole, path, _clean_write_access, found, write)


def _clean_ole_stream(ole, path, clean, found, write):
    original = ole.openstream(path).read()
    stream = bytearray(original)
    clean(stream, found)
    if write and stream != original:
        # Same size, overwritten in place: olefile cannot resize streams, and nothing else moves.
        ole.write_stream(path, bytes(stream))


def _strip_ole(data):
    buffer = io.BytesIO(data)  # a copy: write_stream patches it, not the caller's bytes
    with _open_ole_or_refuse(buffer) as ole:
        _clean_ole(ole, {}, write=True)
    return buffer.getvalue()


def _read_ole(data, found):
    with _open_ole_or_refuse(io.BytesIO(data)) as ole:
        _clean_ole(ole, found, write=False)


def _clean_property_sets(stream, found):
    for section in _property_sections(stream):
        for property_id, value_type, offset in section.properties:
            key = _private_property_key(section, property_id)
            if key is None:
                continue
            if value_type in (VT_LPSTR, VT_LPWSTR):
                _note(found, key, _property_string(stream, value_type, offset, section.codepage))
                _blank_property_string(stream, value_type, offset)
            elif value_type == VT_FILETIME and offset + 12 <= len(stream):
                _note(found, key, _filetime_text(key, int.from_bytes(stream[offset + 4:offset + 12], "little")))
                stream[offset + 4:offset + 12] = bytes(8)


def _private_property_key(section, property_id):
    if section.fmtid == SUMMARY_FMTID:
        return SUMMARY_PRIVATE.get(property_id)
    if section.fmtid == DOC_SUMMARY_FMTID:
        return DOC_SUMMARY_PRIVATE.get(property_id)
    # User-defined properties: id 0 is the name dictionary, 1 the code page, high ids are reserved.
    if section.fmtid == USER_DEFINED_FMTID and 1 < property_id < 0x80000000:
        return f"custom:{section.names.get(property_id, property_id)}"
    return None


def _property_sections(stream):
    """The sections of a property set stream (MS-OLEPS); malformed parts are skipped, never trusted."""
    if len(stream) < 28 or stream[:2] != b"\xfe\xff":
        return []
    sections = []
    for index in range(min(_u32(stream, 24), 4)):
        entry = 28 + 20 * index
        if entry + 20 > len(stream):
            break
        section = _read_section(stream, bytes(stream[entry:entry + 16]), _u32(stream, entry + 16))
        if section is not None:
            sections.append(section)
    return sections


def _read_section(stream, fmtid, start):
    if start + 8 > len(stream):
        return None
    section = _Section(fmtid)
    dictionary_offset = None
    for index in range(min(_u32(stream, start + 4), (len(stream) - start - 8) // 8)):
        property_id, relative = struct.unpack_from("<II", stream, start + 8 + 8 * index)
        offset = start + relative
        if offset + 4 > len(stream):
            continue
        if property_id == 0:
            dictionary_offset = offset  # the dictionary has no type header
            continue
        value_type = _u16(stream, offset)
        if property_id == 1 and value_type == VT_I2 and offset + 6 <= len(stream):
            section.codepage = _u16(stream, offset + 4)
        section.properties.append((property_id, value_type, offset))
    if dictionary_offset is not None:
        section.names = _property_names(stream, dictionary_offset, section.codepage)
    return section


def _property_names(stream, offset, codepage):
    names = {}
    if offset + 4 > len(stream):
        return names
    position = offset + 4
    for _ in range(min(_u32(stream, offset), 1000)):
        if position + 8 > len(stream):
            break
        property_id, length = struct.unpack_from("<II", stream, position)
        position += 8
        if codepage == CODEPAGE_UTF16:
            raw = stream[position:position + 2 * length]
            position += 2 * length + (-2 * length) % 4
        else:
            raw = stream[position:position + length]
            position += length
        names[property_id] = _decode(raw, codepage)
    return names


def _property_string(stream, value_type, offset, codepage):
    if offset + 8 > len(stream):
        return ""
    size = _u32(stream, offset + 4)
    if value_type == VT_LPWSTR:
        return _decode(stream[offset + 8:offset + 8 + 2 * size], CODEPAGE_UTF16)
    return _decode(stream[offset + 8:offset + 8 + size], codepage)


def _blank_property_string(stream, value_type, offset):
    """Zero the characters and keep the declared length, so no offset in the stream moves."""
    if offset + 8 > len(stream):
        return
    size = _u32(stream, offset + 4)
    length = 2 * size if value_type == VT_LPWSTR else size
    end = min(offset + 8 + length, len(stream))
    stream[offset + 8:end] = bytes(end - offset - 8)


def _filetime_text(key, value):
    if not value:
        return ""
    if key == "total_editing_time":  # a duration, in 100-nanosecond units
        return str(value // FILETIME_PER_MINUTE)
    try:
        return (datetime(1601, 1, 1) + timedelta(microseconds=value // 10)).isoformat(timespec="seconds")
    except OverflowError:
        return str(value)


def _decode(raw, codepage):
    codec = CODEPAGE_CODECS.get(codepage, f"cp{codepage}")
    try:
        text = bytes(raw).decode(codec, "replace")
    except LookupError:
        text = bytes(raw).decode("gb18030", "replace")
    return text.split("\x00", 1)[0].strip()


def _clean_write_access(stream, found):
    """Excel records the Windows user name of whoever saved the workbook in a WRITEACCESS record."""
    if len(stream) < 8:
        return
    first_record, _, version = struct.unpack_from("<HHH", stream, 0)
    biff8 = first_record == BIFF_BOF and version == BIFF8_VERSION
    position = 0
    while position + 4 <= len(stream):
        record, size = struct.unpack_from("<HH", stream, position)
        body = position + 4
        if record in (BIFF_FILEPASS, BIFF_EOF):
            return  # after FILEPASS the records are encrypted; EOF ends the workbook globals
        if record == BIFF_WRITEACCESS:
            _blank_user_name(stream, body, min(body + size, len(stream)), biff8, found)
            return
        position = body + size


def _blank_user_name(stream, body, end, biff8, found):
    if biff8:  # XLUnicodeString: character count, flags, characters (1 or 2 bytes each)
        if body + 3 > end:
            return
        count, wide = _u16(stream, body), stream[body + 2] & 1
        start, space, codec = body + 3, (b" \x00" if wide else b" "), ("utf-16-le" if wide else "latin-1")
    else:  # BIFF5: one length byte, then characters in the workbook's code page
        if body + 1 > end:
            return
        count, start, space, codec = stream[body], body + 1, b" ", "gb18030"
    stop = min(start + count * len(space), end)
    _note(found, "saved_by", bytes(stream[start:stop]).decode(codec, "replace"))
    # Spaces, as Excel itself pads the record: the count and the record length stay as they were.
    stream[start:stop] = (space * count)[:stop - start]


def _u16(data, offset):
    return struct.unpack_from("<H", data, offset)[0]


def _u32(data, offset):
    return struct.unpack_from("<I", data, offset)[0]


# ---------------------------------------------------------------- PDF


# Kept: they describe the document. Everything else in /Info (Author, Creator, Producer, Company, any
# custom key) goes.
PDF_KEPT_INFO = ("/Title", "/Subject", "/Keywords", "/CreationDate", "/ModDate")
PDF_INFO_KEYS = {"/Author": "author", "/Creator": "creator", "/Producer": "producer", "/Company": "company",
                 "/Manager": "manager"}
# Annotations whose /T is the name of the person who wrote them (for a form field /T is the field name).
MARKUP_ANNOTATIONS = {"/Text", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine",
                      "/Highlight", "/Underline", "/Squiggly", "/StrikeOut", "/Stamp", "/Caret", "/Ink",
                      "/FileAttachment", "/Sound", "/Redact"}


def _read_pdf(data):
    """A PdfReader whose page tree loads, or None."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if not reader.is_encrypted:
            len(reader.pages)  # most damage shows when the page tree is read
        return reader
    except Exception:  # pypdf raises anything from KeyError to RecursionError on damaged files
        return None


def _read_pdf_or_refuse(data):
    reader = _read_pdf(data)
    if reader is None or reader.is_encrypted:
        raise AttachmentRefused(CLEANING_FAILED)
    return reader


def _pdf_text(value):
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return str(value)


def _pdf_is_signed(reader):
    fields = reader.get_fields() or {}
    return any(field.get("/FT") == "/Sig" and field.get("/V") is not None for field in fields.values())


def _walk_pdf(root, found, clean):
    """Visit every dictionary reachable from the catalogue once, noting (and with clean=True removing)
    XMP streams, /PieceInfo application data and the authors of markup annotations."""
    seen = set()
    pending = [root]
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            _clean_pdf_dictionary(item, found, clean)
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)


def _clean_pdf_dictionary(dictionary, found, clean):
    if "/Metadata" in dictionary:
        metadata = dictionary["/Metadata"]
        if isinstance(metadata, StreamObject):
            _note_xmp(metadata.get_data(), found)
        if clean:
            del dictionary["/Metadata"]
    if "/PieceInfo" in dictionary and clean:
        # Private data of the authoring application (Illustrator keeps a whole editable copy here).
        del dictionary["/PieceInfo"]
    if dictionary.get("/Subtype") in MARKUP_ANNOTATIONS and "/T" in dictionary:
        _note(found, "comment_authors", _pdf_text(dictionary["/T"]))
        if clean:
            dictionary[NameObject("/T")] = TextStringObject("")


def _strip_pdf(data):
    reader = _read_pdf_or_refuse(data)
    try:
        if _pdf_is_signed(reader):
            return data
        info = reader.metadata or {}
        kept = {key: _pdf_text(info[key]) for key in PDF_KEPT_INFO if key in info}
        writer = PdfWriter(clone_from=reader)
        _walk_pdf(writer.root_object, {}, clean=True)
        writer.metadata = None
        if kept:
            writer.add_metadata(kept)
        # Written out and cloned again: a clone copies only objects reachable from the catalogue, so the
        # XMP streams and application data detached above are not left in the file as orphans.
        return _pdf_bytes(PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes(writer)))))
    except Exception as exc:  # pypdf raises anything from KeyError to RecursionError on damaged files
        raise AttachmentRefused(CLEANING_FAILED) from exc


def _pdf_bytes(writer):
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _read_pdf_properties(data, found):
    reader = _read_pdf_or_refuse(data)
    try:
        info = reader.metadata or {}
        for key in info:
            if key not in PDF_KEPT_INFO and key != "/Trapped":
                _note(found, PDF_INFO_KEYS.get(key, f"info:{key.lstrip('/')}"), _pdf_text(info.raw_get(key)))
        _walk_pdf(reader.root_object, found, clean=False)
    except Exception as exc:  # pypdf raises anything from KeyError to RecursionError on damaged files
        raise AttachmentRefused(CLEANING_FAILED) from exc


# ---------------------------------------------------------------- images


APP0, APP1, APP2, APP13, APP14, APP15 = 0xE0, 0xE1, 0xE2, 0xED, 0xEE, 0xEF
SOI, SOS, EOI, COM = 0xD8, 0xDA, 0xD9, 0xFE
STANDALONE_MARKERS = {0x01, *range(0xD0, 0xD8)}
EXIF_HEADER = b"Exif\x00\x00"
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
EXIF_ORIENTATION = 0x0112
EXIF_TEXT_TAGS = {0x013B: "author", 0x010E: "comments", 0x0131: "software", 0x8298: "copyright"}
EXIF_UTF16_TAGS = {0x9C9D: "author", 0x9C9C: "comments"}  # Windows "XP" tags, UTF-16LE bytes
EXIF_MAKE, EXIF_MODEL, EXIF_GPS_IFD = 0x010F, 0x0110, 0x8825
PNG_METADATA_CHUNKS = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
PNG_TEXT_KEYS = {"Author": "author", "Comment": "comments", "Description": "comments", "Software": "software",
                 "Copyright": "copyright"}
PNG_XMP_KEYWORD = "XML:com.adobe.xmp"
TEXT_LIMIT = 1024 * 1024


def _jpeg_segments(data):
    """(marker, bytes) of every segment up to EOI; the entropy-coded data of a scan stays with its SOS."""
    segments = [(SOI, data[:2])]
    position = 2
    while position < len(data):
        if data[position] != 0xFF:
            raise _Damaged("JPEG marker expected")
        while position + 1 < len(data) and data[position + 1] == 0xFF:
            position += 1  # fill bytes before a marker
        if position + 1 >= len(data):
            break
        marker = data[position + 1]
        if marker == EOI:
            segments.append((marker, data[position:position + 2]))
            break
        if marker in STANDALONE_MARKERS:
            segments.append((marker, data[position:position + 2]))
            position += 2
            continue
        if position + 4 > len(data):
            raise _Damaged("JPEG segment cut short")
        end = position + 2 + int.from_bytes(data[position + 2:position + 4], "big")
        if end < position + 4 or end > len(data):
            raise _Damaged("JPEG segment length out of range")
        if marker == SOS:
            end = _scan_end(data, end)
        segments.append((marker, data[position:end]))
        position = end
    return segments


def _scan_end(data, position):
    """Where the entropy-coded data after an SOS header stops: the next real marker."""
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            return len(data)  # a truncated file: viewers still show what is there
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position += 2  # a stuffed 0xFF byte or a restart marker belong to the scan
        elif following == 0xFF:
            position += 1
        else:
            return position


def _keep_jpeg_segment(marker, segment):
    """Only what decoding needs: JFIF, ICC colour profiles and the Adobe colour transform among the APPn
    segments; EXIF, XMP, IPTC, maker and multi-picture data and comments go."""
    if marker == APP2:
        return segment[4:16] == b"ICC_PROFILE\x00"
    if marker in (APP0, APP14):
        return True
    return not (APP0 <= marker <= APP15 or marker == COM)


def _strip_jpeg(data):
    segments = _jpeg_segments(data)
    orientation = _jpeg_orientation(segments)
    kept = [(marker, segment) for marker, segment in segments if _keep_jpeg_segment(marker, segment)]
    if orientation:
        # Without it a phone photo taken upright would be shown lying on its side.
        at = 2 if len(kept) > 1 and kept[1][0] == APP0 else 1
        kept.insert(at, (APP1, _orientation_segment(orientation)))
    return b"".join(segment for _, segment in kept)


def _jpeg_orientation(segments):
    for marker, segment in segments:
        if marker == APP1 and segment[4:].startswith(EXIF_HEADER):
            exif = _load_exif(segment[4:])
            orientation = exif.get(EXIF_ORIENTATION) if exif is not None else None
            if orientation in range(2, 9):
                return orientation
    return None


def _orientation_segment(orientation):
    """An EXIF segment holding nothing but the orientation tag."""
    ifd = struct.pack(">HHHIHHI", 1, EXIF_ORIENTATION, 3, 1, orientation, 0, 0)
    payload = EXIF_HEADER + b"MM\x00\x2a" + struct.pack(">I", 8) + ifd
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def _load_exif(payload):
    try:
        exif = Image.Exif()
        exif.load(payload)  # Pillow accepts the data with or without the "Exif\0\0" header
        return exif
    except Exception:  # Pillow raises several types on malformed TIFF structures
        return None


def _note_exif(payload, found):
    exif = _load_exif(payload)
    if exif is None:
        return
    try:
        for tag, key in EXIF_TEXT_TAGS.items():
            _note(found, key, exif.get(tag))
        for tag, key in EXIF_UTF16_TAGS.items():
            value = exif.get(tag)
            if isinstance(value, (bytes, tuple)):
                _note(found, key, bytes(value).decode("utf-16-le", "replace"))
        _note(found, "camera", f"{exif.get(EXIF_MAKE) or ''} {exif.get(EXIF_MODEL) or ''}")
        if exif.get_ifd(EXIF_GPS_IFD):
            _note(found, "gps", "含拍摄位置（GPS）")
    except Exception:  # Pillow raises several types on malformed TIFF structures
        return


def _read_jpeg(data, found):
    for marker, segment in _jpeg_segments(data):
        payload = segment[4:]
        if marker == APP1 and payload.startswith(EXIF_HEADER):
            _note_exif(payload, found)
        elif marker == APP1 and payload.startswith(XMP_HEADER):
            _note_xmp(payload[len(XMP_HEADER):], found)
        elif marker == COM:
            _note(found, "comments", _decode_text(payload))


def _decode_text(raw):
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _png_chunks(data):
    """(type, bytes) of every chunk up to IEND; whatever trails IEND is not part of the image."""
    chunks = []
    position = len(PNG_SIGNATURE)
    while position < len(data):
        if position + 12 > len(data):
            raise _Damaged("PNG chunk cut short")
        end = position + 12 + int.from_bytes(data[position:position + 4], "big")
        if end > len(data):
            raise _Damaged("PNG chunk length out of range")
        chunk_type = data[position + 4:position + 8]
        chunks.append((chunk_type, data[position:end]))
        position = end
        if chunk_type == b"IEND":
            break
    if not chunks or chunks[0][0] != b"IHDR":
        raise _Damaged("PNG without IHDR")
    return chunks


def _strip_png(data):
    chunks = _png_chunks(data)
    return PNG_SIGNATURE + b"".join(chunk for chunk_type, chunk in chunks if chunk_type not in PNG_METADATA_CHUNKS)


def _read_png(data, found):
    for chunk_type, chunk in _png_chunks(data):
        body = chunk[8:-4]
        if chunk_type == b"eXIf":
            _note_exif(body, found)
        elif chunk_type in (b"tEXt", b"zTXt", b"iTXt"):
            keyword, text = _png_text(chunk_type, body)
            if keyword == PNG_XMP_KEYWORD:
                _note_xmp(text.encode("utf-8"), found)
            else:
                _note(found, PNG_TEXT_KEYS.get(keyword, f"text:{keyword}"), text)


def _png_text(chunk_type, body):
    keyword, _, rest = body.partition(b"\x00")
    if chunk_type == b"tEXt":
        text = rest.decode("latin-1")
    elif chunk_type == b"zTXt":  # compression method byte, then zlib data
        text = _inflate(rest[1:]).decode("latin-1")
    else:  # iTXt: compression flag, method, language tag, translated keyword, UTF-8 text
        compressed = rest[:1] == b"\x01"
        _, _, rest = rest[2:].partition(b"\x00")
        _, _, raw = rest.partition(b"\x00")
        text = (_inflate(raw) if compressed else raw).decode("utf-8", "replace")
    return keyword.decode("latin-1"), text


def _inflate(raw):
    # Bounded, so a compressed text chunk cannot blow up in memory.
    try:
        return zlib.decompressobj().decompress(raw, TEXT_LIMIT)
    except zlib.error:
        return b""


def _unchanged(data):
    return data


def _read_nothing(data, found):
    return None


STRIPPERS = {"pdf": _strip_pdf, "ofd": _strip_ofd, "docx": _strip_ooxml, "xlsx": _strip_ooxml,
             "doc": _strip_ole, "wps": _strip_ole, "xls": _strip_ole, "jpg": _strip_jpeg, "png": _strip_png,
             "zip": _unchanged}
READERS = {"pdf": _read_pdf_properties, "ofd": _read_ofd, "docx": _read_ooxml, "xlsx": _read_ooxml,
           "doc": _read_ole, "wps": _read_ole, "xls": _read_ole, "jpg": _read_jpeg, "png": _read_png,
           "zip": _read_nothing}
