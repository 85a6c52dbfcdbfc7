"""Metadata stripping and reporting: strip_metadata() and document_properties() dispatch by kind to the
format modules; property_label() names what they report."""

from .common import CLEANING_FAILED, PARSE_ERRORS, AttachmentRefused
from .images import _read_jpeg, _read_png, _strip_jpeg, _strip_png
from .ofd import _read_ofd, _strip_ofd
from .ole import _read_ole, _strip_ole
from .ooxml import _read_ooxml, _strip_ooxml
from .pdf import _read_pdf_properties, _strip_pdf

# Keys document_properties() can return, as a clerk should read them.
PROPERTY_LABELS = {
    "author": "作者", "last_modified_by": "最后修改者", "revision": "修订号", "comments": "备注",
    "template": "模板", "template_path": "模板路径", "total_editing_time": "总编辑时间（分钟）",
    "last_printed": "最后打印时间", "content_status": "内容状态", "version": "版本号", "company": "单位",
    "manager": "主管", "hyperlink_base": "超链接基础", "file_path": "文件保存路径",
    "comment_authors": "批注和修订人", "saved_by": "保存人（Excel 用户名）", "creator": "创建程序",
    "creator_version": "创建程序版本", "producer": "PDF 生成程序", "xmp_author": "作者（XMP）",
    "camera": "拍摄设备", "gps": "拍摄位置", "software": "处理软件", "copyright": "版权信息",
    "active_content": "脚本、自动动作和嵌入内容",
}


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
