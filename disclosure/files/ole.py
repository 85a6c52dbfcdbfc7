"""OLE2 compound files (doc, wps, xls): blanking personal properties in the property-set streams and the
Excel user name, in place."""

import io
import struct
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import olefile

from .common import CLEANING_FAILED, AttachmentRefused, _note

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
