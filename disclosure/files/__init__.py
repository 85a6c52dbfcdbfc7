"""Attachments for publication: refuse files that are not what their extension claims, and strip the
author and revision metadata that would put a clerk's name or draft history on the public site."""

from .checks import ALLOWED_TYPES, EXTENSIONS, MAX_ATTACHMENT_BYTES, check_attachment
from .common import AttachmentRefused
from .metadata import PROPERTY_LABELS, document_properties, property_label, strip_metadata

__all__ = [
    "ALLOWED_TYPES", "EXTENSIONS", "MAX_ATTACHMENT_BYTES", "PROPERTY_LABELS", "AttachmentRefused",
    "check_attachment", "document_properties", "property_label", "strip_metadata",
]
