"""OFD: removing DocInfo authors, custom data and annotation creators; parts covered by an electronic
seal are left as they are."""

import posixpath

from lxml import etree

from .common import _local_name, _note, _parse_xml, _rewrite_zip, _serialise_xml, _zip_entries
from .images import _clean_embedded_image

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
