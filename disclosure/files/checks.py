"""Attachment checks: extension, size, and whether the content (magic bytes, structure) is what the
extension claims."""

import io
import math
from pathlib import Path

from portal.archives import BOUNDED_METHODS, MB, ArchiveRefused, open_archive, read_entries

from .common import ZIP_ERRORS, AttachmentRefused, _Damaged
from .images import JPEG_START, PNG_SIGNATURE, _jpeg_segments, _png_chunks
from .ole import _open_ole
from .pdf import _read_pdf

MAX_ATTACHMENT_BYTES = 50 * MB

EXTENSIONS = {".pdf": "pdf", ".ofd": "ofd", ".doc": "doc", ".docx": "docx", ".xls": "xls", ".xlsx": "xlsx",
              ".wps": "wps", ".jpg": "jpg", ".jpeg": "jpg", ".png": "png", ".zip": "zip"}
ALLOWED_TYPES = "、".join(extension[1:].upper() for extension in EXTENSIONS)
KIND_NAMES = {
    "pdf": "PDF 文件", "ofd": "OFD 版式文件", "doc": "Word 97-2003 文档", "docx": "Word 文档",
    "xls": "Excel 97-2003 工作簿", "xlsx": "Excel 工作簿", "wps": "WPS 文字文档", "jpg": "JPEG 图片",
    "png": "PNG 图片", "zip": "ZIP 压缩包",
}

PDF_HEADER_WINDOW = 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_LOCAL_HEADER = b"PK\x03\x04"
ZIP_ENCRYPTED_FLAG = 0x1
# The part each zip-based format cannot exist without.
REQUIRED_ZIP_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "ofd": "OFD.xml"}


def check_attachment(name: str, data: bytes, *, max_bytes: int = MAX_ATTACHMENT_BYTES) -> str:
    """The kind of the attachment ("pdf", "docx", ...), or AttachmentRefused if it must not be published."""
    name = base_name(name)
    kind = kind_by_extension(name)
    if not data:
        raise AttachmentRefused(f"文件“{name}”是空文件（0 字节），请检查后重新上传。")
    check_size(name, len(data), max_bytes)
    CHECKS[kind](name, kind, data)
    return kind


def kind_by_extension(name):
    """The kind the name's extension claims; AttachmentRefused for an extension not allowed at all."""
    extension = Path(name).suffix.lower()
    kind = EXTENSIONS.get(extension)
    if kind is None:
        raise AttachmentRefused(_extension_refusal(name, extension))
    return kind


def check_size(name, size, max_bytes):
    if size > max_bytes:
        shown = math.ceil(size * 10 / MB) / 10
        raise AttachmentRefused(
            f"文件“{name}”大小为 {shown} MB，超过了 {max_bytes // MB} MB 的上限。请压缩图片或拆分文件后再上传。"
        )


# ---------------------------------------------------------------- names and messages


def base_name(name):
    # Old browsers send the whole client path ("C:\fakepath\通知.pdf").
    return str(name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()


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
        with open_archive(data) as archive:
            names = set(archive.namelist())
    except ArchiveRefused:
        return "ZIP 压缩包"
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
    try:
        reader = _read_pdf(data)
    except AttachmentRefused as exc:
        raise AttachmentRefused(f"PDF 文件“{name}”{exc}") from None
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
        with open_archive(data) as archive:
            infos = archive.infolist()
            if any(info.flag_bits & ZIP_ENCRYPTED_FLAG for info in infos):
                raise AttachmentRefused(f"文件“{name}”设置了密码，公众无法打开。请去除密码后重新上传。")
            _verify_zip_entries(archive, infos, kind)
            names = set(archive.namelist())
    except ArchiveRefused as exc:
        raise AttachmentRefused(f"文件“{name}”{exc}") from None
    except ZIP_ERRORS:
        raise _damaged(name, kind) from None
    required = REQUIRED_ZIP_PART.get(kind)
    if required is not None and required not in names:
        raise _not_what_it_claims(name, kind, data)


def _verify_zip_entries(archive, infos, kind):
    # Reading every entry to its end makes zipfile compare its CRC-32. A .zip attachment may hold parts
    # packed with Deflate64 (Windows Explorer), bzip2 or LZMA: valid, published unchanged, not unpacked here.
    if kind == "zip":
        infos = [info for info in infos if info.compress_type in BOUNDED_METHODS]
    for _ in read_entries(archive, infos):
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
