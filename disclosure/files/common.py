"""Shared by the attachment modules: the exceptions, what parsing a damaged file raises, property notes,
and XML and zip helpers."""

import io
import lzma
import struct
import zipfile
import zlib

from lxml import etree

from portal.archives import ArchiveRefused, open_archive, read_entries

ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError, NotImplementedError,
              struct.error)

# A part whose deflated size is within 3% of its size gains nothing from being deflated again.
STORE_RATIO = 0.97

CLEANING_FAILED = "文件内部结构有损坏，系统无法清除其中的作者信息。请用原软件重新保存或导出后再上传。"


class AttachmentRefused(Exception):
    """An upload that cannot be published; str(exc) tells the clerk why and what to do."""


class _Damaged(Exception):
    """A structure inside the file does not parse."""


# What parsing a damaged file raises, besides the library-specific cases caught where they occur.
PARSE_ERRORS = (_Damaged, etree.XMLSyntaxError, *ZIP_ERRORS, KeyError, IndexError)


# ---------------------------------------------------------------- property notes and XML


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


# ---------------------------------------------------------------- zip archives


def _zip_entries(data):
    """(info, content) of every entry, within the limits of portal.archives."""
    try:
        with open_archive(data) as archive:
            yield from read_entries(archive)
    except ArchiveRefused as exc:
        raise AttachmentRefused(f"文件{exc}") from None


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
    # A part deflate could not shrink (photos, embedded media) is stored: compressing it again would
    # cost most of the cleaning time for nothing. Cleaning leaves a part about as compressible as it was.
    stored = info.compress_type == zipfile.ZIP_STORED or info.compress_size >= STORE_RATIO * info.file_size
    fresh.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    fresh.external_attr = info.external_attr
    return fresh
