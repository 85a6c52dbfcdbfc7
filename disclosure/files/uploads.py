"""The one way an uploaded file is stored or sent: its extension allowed, its content what the extension
claims, its metadata removed. Attachments, applicants' supporting files, replies and reply letters all
come through accept_upload()."""

from dataclasses import dataclass

from django.core.files.base import ContentFile

from .checks import KIND_NAMES, MAX_ATTACHMENT_BYTES, base_name, check_attachment, check_size, kind_by_extension
from .common import AttachmentRefused
from .metadata import strip_metadata


@dataclass(frozen=True)
class CleanedFile:
    content: ContentFile  # named as uploaded, without the client's path
    kind: str
    original_name: str
    size: int


def accept_upload(upload, *, allowed_kinds=None, max_bytes=MAX_ATTACHMENT_BYTES) -> CleanedFile:
    """The upload checked and cleaned, ready to be assigned to a FileField; AttachmentRefused (a Chinese
    message for the person who uploaded it) if it must not be stored or sent.

    allowed_kinds narrows the kinds of check_attachment (e.g. {"docx"} for a reply letter). The size is
    refused from the upload's declared size before anything is read."""
    name = base_name(upload.name)
    kind = kind_by_extension(name)
    if allowed_kinds is not None and kind not in allowed_kinds:
        wanted = "或".join(KIND_NAMES[allowed] for allowed in sorted(allowed_kinds))
        raise AttachmentRefused(f"文件“{name}”是{KIND_NAMES[kind]}，此处只能上传{wanted}。")
    check_size(name, upload.size, max_bytes)
    upload.seek(0)
    data = upload.read()
    kind = check_attachment(name, data, max_bytes=max_bytes)
    cleaned = strip_metadata(data, kind)
    return CleanedFile(content=ContentFile(cleaned, name=name), kind=kind, original_name=name, size=len(cleaned))
