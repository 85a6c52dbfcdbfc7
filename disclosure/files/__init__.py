"""Uploaded files (attachments for publication, files to and from applicants): refuse files that are not
what their extension claims or unpack to too much, and strip the author and revision metadata that would
put a clerk's name or draft history on the public site or in an applicant's hands."""

from .checks import ALLOWED_TYPES, EXTENSIONS, MAX_ATTACHMENT_BYTES, check_attachment
from .common import AttachmentRefused
from .metadata import PROPERTY_LABELS, document_properties, property_label, strip_metadata
from .uploads import CleanedFile, accept_upload

__all__ = [
    "ALLOWED_TYPES", "EXTENSIONS", "MAX_ATTACHMENT_BYTES", "PROPERTY_LABELS", "AttachmentRefused", "CleanedFile",
    "accept_upload", "check_attachment", "document_properties", "property_label", "strip_metadata",
]
