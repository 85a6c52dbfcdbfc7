"""Zip-based uploads (Word and Excel files, OFD, .zip attachments, imported catalogues): how much they may
unpack to. Checked from the central directory before anything is decompressed, and again while reading,
since the sizes a zip declares can lie."""

import io
import struct
import zipfile

MB = 1024 * 1024
MAX_UNPACKED_BYTES = 100 * MB
MAX_ENTRIES = 10_000
# Beyond 100:1 a part is padding, not content (Apache POI refuses at the same ratio). Small parts are
# exempt: an empty sheet or a style list compresses far better than that.
MAX_RATIO = 100
RATIO_GRACE_BYTES = 1 * MB
# Deflate and stored parts only: zipfile decompresses bzip2 and LZMA parts without an output bound, so
# their declared sizes would not limit memory. Office, WPS and OFD writers use only these two.
BOUNDED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}

END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"
CENTRAL_DIRECTORY_HEADER = b"PK\x01\x02"
END_RECORD_SIZE = 22
MAX_COMMENT = 0xFFFF

# Each follows the file's name: "文件“通知.docx”解压后超过 100 MB……".
TOO_BIG = (f"解压后超过 {MAX_UNPACKED_BYTES // MB} MB（或压缩比异常，可能是“压缩炸弹”），系统不予处理。"
           "请删除无关内容或拆分后再上传。")
TOO_MANY = f"内含超过 {MAX_ENTRIES} 个部件，系统不予处理。请删除无关内容或拆分后再上传。"


class ArchiveRefused(Exception):
    """The archive unpacks to more than the limits allow; str(exc) says so to a person, in Chinese."""


def open_archive(data: bytes) -> zipfile.ZipFile:
    """The archive, once its entry count and declared sizes are within the limits. Raises ArchiveRefused,
    or zipfile.BadZipFile (and the like) for something that is not a zip at all."""
    _check_entry_count(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    try:
        check_declared_sizes(archive.infolist())
    except ArchiveRefused:
        archive.close()
        raise
    return archive


def check_declared_sizes(infos):
    if len(infos) > MAX_ENTRIES:
        raise ArchiveRefused(TOO_MANY)
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise ArchiveRefused(TOO_BIG)
    for info in infos:
        if info.file_size > RATIO_GRACE_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ArchiveRefused(TOO_BIG)


def read_entries(archive: zipfile.ZipFile, infos=None):
    """(info, content) of every entry, reading no more than the limit in all, whatever the headers say."""
    budget = MAX_UNPACKED_BYTES
    for info in archive.infolist() if infos is None else infos:
        content = read_entry(archive, info, budget)
        budget -= len(content)
        yield info, content


def read_entry(archive, info, budget=MAX_UNPACKED_BYTES):
    if info.compress_type not in BOUNDED_METHODS:
        raise zipfile.BadZipFile(f"unsupported compression in {info.filename}")
    with archive.open(info) as entry:
        # zipfile stops at the declared size and then compares the CRC-32; one byte more than allowed
        # tells an entry that claims less than it holds.
        content = entry.read(min(info.file_size, budget) + 1)
    if len(content) > min(info.file_size, budget):
        raise ArchiveRefused(TOO_BIG)
    return content


def _check_entry_count(data):
    """Count the central directory's headers before zipfile parses them all: a file of 100 000 empty
    entries costs seconds to open. An upper bound (a name may contain the signature); enough to refuse."""
    end = data.rfind(END_OF_CENTRAL_DIRECTORY, max(0, len(data) - END_RECORD_SIZE - MAX_COMMENT))
    if end < 0 or end + END_RECORD_SIZE > len(data):
        return  # not a zip: zipfile says so
    directory_size = struct.unpack_from("<I", data, end + 12)[0]
    start = 0 if directory_size == 0xFFFFFFFF else max(0, end - directory_size)  # zip64: look at it all
    if data.count(CENTRAL_DIRECTORY_HEADER, start, end) > MAX_ENTRIES:
        raise ArchiveRefused(TOO_MANY)
