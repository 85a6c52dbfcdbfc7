"""Minimal OLE2 compound files and property sets for tests: olefile reads and patches them but cannot
create them. Version 3 files, 512-byte sectors; streams under 4096 bytes go to the mini stream as in
files Word and Excel write."""

import math
import struct
import uuid

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREE, END_OF_CHAIN, FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NO_ENTRY = 0xFFFFFFFF
STORAGE_ROOT, STORAGE_STREAM = 5, 2
BLACK = 1

SUMMARY_FMTID = uuid.UUID("f29f85e0-4ff9-1068-ab91-08002b27b3d9").bytes_le
DOC_SUMMARY_FMTID = uuid.UUID("d5cdd502-2e9c-101b-9397-08002b2cf9ae").bytes_le
USER_DEFINED_FMTID = uuid.UUID("d5cdd505-2e9c-101b-9397-08002b2cf9ae").bytes_le
VT_I2, VT_I4, VT_LPSTR, VT_LPWSTR, VT_FILETIME = 0x0002, 0x0003, 0x001E, 0x001F, 0x0040


def compound_file(streams):
    """An OLE2 file holding the given {name: bytes} streams at its root (names up to 31 characters)."""
    fat = []
    body = bytearray()

    def allocate(data):
        """Append data in whole sectors, chained in the FAT; returns the first sector."""
        count = max(1, math.ceil(len(data) / SECTOR))
        first = len(fat)
        fat.extend(first + index + 1 for index in range(count - 1))
        fat.append(END_OF_CHAIN)
        body.extend(data.ljust(count * SECTOR, b"\x00"))
        return first

    mini_fat, mini_stream, starts = [], bytearray(), {}
    for name, data in streams.items():
        assert data, "empty streams are not supported"
        if len(data) < MINI_CUTOFF:
            count = math.ceil(len(data) / MINI_SECTOR)
            first = len(mini_fat)
            starts[name] = first
            mini_fat.extend(first + index + 1 for index in range(count - 1))
            mini_fat.append(END_OF_CHAIN)
            mini_stream.extend(data.ljust(count * MINI_SECTOR, b"\x00"))
    for name, data in streams.items():
        if len(data) >= MINI_CUTOFF:
            starts[name] = allocate(data)

    root_start = allocate(bytes(mini_stream)) if mini_stream else END_OF_CHAIN
    mini_fat_sectors = math.ceil(len(mini_fat) * 4 / SECTOR)
    mini_fat_start = allocate(_table(mini_fat, mini_fat_sectors)) if mini_fat else END_OF_CHAIN
    directory = _directory(streams, starts, root_start, len(mini_stream))
    directory_start = allocate(directory)

    fat_sectors = 1
    while fat_sectors * SECTOR // 4 < len(fat) + fat_sectors:
        fat_sectors += 1
    first_fat_sector = len(fat)
    fat.extend([FAT_SECTOR] * fat_sectors)
    body.extend(_table(fat, fat_sectors))

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", MAGIC, bytes(16), 0x003E, 0x0003, 0xFFFE, 9, 6, bytes(6),
        0, fat_sectors, directory_start, 0, MINI_CUTOFF, mini_fat_start, mini_fat_sectors, END_OF_CHAIN, 0,
    )
    difat = [first_fat_sector + index for index in range(fat_sectors)]
    header += struct.pack("<109I", *(difat + [FREE] * (109 - len(difat))))
    return header + bytes(body)


def _table(entries, sectors):
    per_sector = SECTOR // 4
    return struct.pack(f"<{sectors * per_sector}I", *(entries + [FREE] * (sectors * per_sector - len(entries))))


def _directory(streams, starts, root_start, mini_stream_size):
    names = list(streams)
    # Siblings form a binary search tree ordered by name length, then upper-cased name.
    order = sorted(range(len(names)), key=lambda index: (len(names[index]), names[index].upper()))
    links = {}

    def link(indexes):
        if not indexes:
            return NO_ENTRY
        middle = len(indexes) // 2
        entry = indexes[middle] + 1
        links[entry] = (link(indexes[:middle]), link(indexes[middle + 1:]))
        return entry

    top = link(order)
    entries = [_entry("Root Entry", STORAGE_ROOT, root_start, mini_stream_size, child=top)]
    for index, name in enumerate(names):
        left, right = links[index + 1]
        entries.append(_entry(name, STORAGE_STREAM, starts[name], len(streams[name]), left, right))
    while len(entries) % (SECTOR // 128):
        entries.append(_unused_entry())
    return b"".join(entries)


def _entry(name, kind, start, size, left=NO_ENTRY, right=NO_ENTRY, child=NO_ENTRY):
    encoded = (name + "\x00").encode("utf-16-le")
    return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, BLACK, left, right, child,
                       bytes(16), 0, 0, 0, start, size)


def _unused_entry():
    return struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NO_ENTRY, NO_ENTRY, NO_ENTRY, bytes(16), 0, 0, 0, 0, 0)


# ---------------------------------------------------------------- property sets (MS-OLEPS)


def property_set_stream(sections):
    """A property set stream from [(fmtid, {property id: encoded value}), ...]."""
    encoded_sections = [_section(properties) for _, properties in sections]
    header_size = 28 + 20 * len(sections)
    header = struct.pack("<HH4s16sI", 0xFFFE, 0, b"\x05\x01\x02\x00", bytes(16), len(sections))
    offset = header_size
    for (fmtid, _), encoded in zip(sections, encoded_sections):
        header += fmtid + struct.pack("<I", offset)
        offset += len(encoded)
    return header + b"".join(encoded_sections)


def _section(properties):
    table_size = 8 + 8 * len(properties)
    table, values, offset = b"", b"", table_size
    for property_id, value in properties.items():
        table += struct.pack("<II", property_id, offset)
        values += value
        offset += len(value)
    return struct.pack("<II", table_size + len(values), len(properties)) + table + values


def _padded(data):
    return data + bytes(-len(data) % 4)


def codepage(number):
    return struct.pack("<HHH", VT_I2, 0, number) + bytes(2)


def lpstr(text, encoding="gbk"):
    raw = text.encode(encoding) + b"\x00"
    return _padded(struct.pack("<HHI", VT_LPSTR, 0, len(raw)) + raw)


def lpwstr(text):
    raw = (text + "\x00").encode("utf-16-le")
    return _padded(struct.pack("<HHI", VT_LPWSTR, 0, len(text) + 1) + raw)


def i4(number):
    return struct.pack("<HHi", VT_I4, 0, number)


def filetime(value):
    return struct.pack("<HHQ", VT_FILETIME, 0, value)


def dictionary(names, encoding="gbk"):
    """The name dictionary of a user-defined section (property id 0), for a non-Unicode code page."""
    data = struct.pack("<I", len(names))
    for property_id, name in names.items():
        raw = name.encode(encoding) + b"\x00"
        data += struct.pack("<II", property_id, len(raw)) + raw
    return _padded(data)


# ---------------------------------------------------------------- BIFF8 workbook stream


def biff_record(record_type, payload):
    return struct.pack("<HH", record_type, len(payload)) + payload


def workbook_stream(user_name):
    """BOF, WRITEACCESS with the Windows user name (as Excel pads it to 112 bytes), EOF."""
    name = user_name.encode("utf-16-le")
    write_access = (struct.pack("<HB", len(user_name), 1) + name).ljust(112, b" ")
    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06)
    return biff_record(0x0809, bof) + biff_record(0x005C, write_access) + biff_record(0x000A, b"")
