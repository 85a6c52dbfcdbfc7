"""JPEG and PNG: segment and chunk parsing, and removing EXIF, XMP, comments and text chunks, also from
images embedded in zip-based documents."""

import struct
import zlib

from PIL import Image

from .common import _Damaged, _note, _note_xmp

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_START = b"\xff\xd8\xff"
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


# ---------------------------------------------------------------- images inside documents


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
