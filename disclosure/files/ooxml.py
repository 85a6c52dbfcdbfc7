"""OOXML (docx, xlsx): removing document properties, people on comments and tracked changes, template
paths and save locations."""

from lxml import etree

from .common import _local_name, _note, _parse_xml, _rewrite_zip, _serialise_xml, _zip_entries
from .images import _clean_embedded_image

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
