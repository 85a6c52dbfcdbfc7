"""PDF: reading with pypdf, and removing /Info authors, XMP, application data and annotation authors,
and everything a reader runs or opens by itself: JavaScript, automatic actions, launching programs,
submitting or importing form data, embedded media and files. A digitally signed PDF is left unchanged,
or refused when it holds such active content (removing it would break the signature)."""

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject, TextStringObject

from .common import CLEANING_FAILED, AttachmentRefused, _note, _note_xmp

MAX_PDF_PAGES = 1000
TOO_MANY_PAGES = f"超过 {MAX_PDF_PAGES} 页，系统不予处理。请拆分后再上传。"
# Kept: they describe the document. Everything else in /Info (Author, Creator, Producer, Company, any
# custom key) goes.
PDF_KEPT_INFO = ("/Title", "/Subject", "/Keywords", "/CreationDate", "/ModDate")
PDF_INFO_KEYS = {"/Author": "author", "/Creator": "creator", "/Producer": "producer", "/Company": "company",
                 "/Manager": "manager"}
# Annotations whose /T is the name of the person who wrote them (for a form field /T is the field name).
# Bumped whenever the cleaning removes more: a stored file whose row holds an older number did not go
# through today's cleaning and is never shown inline (disclosure.models: Attachment, GazetteIssue).
PDF_CLEANING_VERSION = 2
# Actions that run code, start programs, send or load data, or open embedded content. Links (/URI,
# /GoTo, /Named) stay: a reader follows them only when clicked, and asks first for outside addresses.
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute", "/GoToE",
                  "/GoToR", "/Rendition", "/Movie", "/Sound"}
# Keys that fire actions by themselves (opening the file, a page, a field, an annotation) or hold
# scripts, XFA forms (which carry their own scripts) and embedded or associated files.
ACTIVE_KEYS = ("/OpenAction", "/AA", "/JS", "/XFA", "/AF", "/EmbeddedFiles", "/JavaScript")
# Annotations that play media or carry a file: removed from their page with their appearance.
ACTIVE_ANNOTATIONS = {"/RichMedia", "/Screen", "/Movie", "/Sound", "/FileAttachment", "/3D"}
ACTIVE_CONTENT_SIGNED = (
    "带有数字签名（电子印章），同时含有脚本、自动执行的动作或嵌入的文件。去除这些内容会使签名失效，"
    "系统因此不予接收。请用不含脚本和嵌入文件的原文件重新签章后再上传。"
)
MARKUP_ANNOTATIONS = {"/Text", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine",
                      "/Highlight", "/Underline", "/Squiggly", "/StrikeOut", "/Stamp", "/Caret", "/Ink",
                      "/FileAttachment", "/Sound", "/Redact"}


def _read_pdf(data):
    """A PdfReader whose page tree loads, or None; AttachmentRefused beyond MAX_PDF_PAGES."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if not reader.is_encrypted:
            _check_page_count(reader)
            len(reader.pages)  # most damage shows when the page tree is read
        return reader
    except AttachmentRefused:
        raise
    except Exception:  # pypdf raises anything from KeyError to RecursionError on damaged files
        return None


def _check_page_count(reader):
    """Walk the page tree, whatever its /Count says, and stop past MAX_PDF_PAGES: reading a page costs
    pypdf about a millisecond, cleaning one two more, so a 7 MB file of 8000 pages cost 5 s to check."""
    pending, seen, nodes, pages = [reader.trailer["/Root"]["/Pages"]], set(), 0, 0
    while pending:
        node = pending.pop()
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
            node = node.get_object()
        nodes += 1
        if nodes > 2 * MAX_PDF_PAGES:
            raise AttachmentRefused(TOO_MANY_PAGES)
        kids = node.get("/Kids") if isinstance(node, DictionaryObject) else None
        if kids is not None:
            pending.extend(kids.get_object())
        else:
            pages += 1
            if pages > MAX_PDF_PAGES:
                raise AttachmentRefused(TOO_MANY_PAGES)


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
    _clean_active_content(dictionary, found, clean)


def _resolved(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _is_active_action(value):
    value = _resolved(value)
    if isinstance(value, ArrayObject):  # /Next may hold several actions
        return any(_is_active_action(item) for item in value)
    return isinstance(value, DictionaryObject) and value.get("/S") in ACTIVE_ACTIONS


def _clean_active_content(dictionary, found, clean):
    """Note (and with clean=True remove) what a PDF reader would run or open by itself: the keys of
    ACTIVE_KEYS wherever they occur (catalogue, /Names, pages, fields, annotations), link and chained
    actions of ACTIVE_ACTIONS, and media and file annotations on the pages."""
    for key in ACTIVE_KEYS:
        if key in dictionary:
            _note(found, "active_content", key.lstrip("/"))
            if clean:
                del dictionary[key]
    for key in ("/A", "/Next"):
        if key in dictionary and _is_active_action(dictionary[key]):
            _note(found, "active_content", str(_action_name(dictionary[key])).lstrip("/"))
            if clean:
                del dictionary[key]
    if "/Annots" in dictionary:
        annotations = _resolved(dictionary["/Annots"])
        if isinstance(annotations, ArrayObject):
            active = [item for item in annotations if _resolved(item).get("/Subtype") in ACTIVE_ANNOTATIONS]
            for item in active:
                _note(found, "active_content", str(_resolved(item)["/Subtype"]).lstrip("/"))
            if clean and active:
                dictionary[NameObject("/Annots")] = ArrayObject(item for item in annotations if item not in active)


def _action_name(value):
    value = _resolved(value)
    if isinstance(value, ArrayObject):
        return next((_action_name(item) for item in value if _is_active_action(item)), "")
    return value.get("/S", "")


def _strip_pdf(data):
    reader = _read_pdf_or_refuse(data)
    try:
        if _pdf_is_signed(reader):
            found = {}
            _walk_pdf(reader.root_object, found, clean=False)
            if found.get("active_content"):
                raise AttachmentRefused(ACTIVE_CONTENT_SIGNED)
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
    except AttachmentRefused:
        raise
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
