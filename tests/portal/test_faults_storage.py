"""Media storage missing, unwritable or full: uploading (staff attachments, the public form's supporting
file) and downloading answer a clear Chinese message, never a 500, and nothing is half-saved. Tests run
as root, where file modes do not stop writes: "unwritable" is a MEDIA_ROOT that is a file, not a
folder; "full" is a storage whose writes fail with ENOSPC, as a full disk's do."""

import errno

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.models import Attachment, Document
from portal.faults import STORAGE_MESSAGE
from requests_app.models import Application
from tests.disclosure.test_admin import form_data as document_data
from tests.factories import make_document, pdf_bytes, publish_document
from tests.portal.test_faults import assert_503_page
from tests.requests_app.test_views import form_data as application_data


class FullStorage(FileSystemStorage):
    """A disk with no space left: every write fails as os.write does then."""

    def _save(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()


@pytest.fixture
def unwritable_media(settings, tmp_path):
    media = tmp_path / "media-is-a-file"
    media.write_text("not a folder")
    settings.MEDIA_ROOT = media
    return media


@pytest.fixture
def full_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.FullStorage"}}
    return tmp_path


def stored_files(folder):
    return [path for path in folder.rglob("*") if path.is_file()]


@pytest.mark.parametrize("media", ["unwritable_media", "full_media"])
def test_staff_attachment_upload_with_broken_storage_answers_503_and_saves_nothing(client, gongan, gongan_clerk,
                                                                                 media, request):
    folder = request.getfixturevalue(media)
    client.force_login(gongan_clerk)
    data = document_data(gongan, **{"attachments-0-file": SimpleUploadedFile("附件1.pdf", pdf_bytes())})
    response = client.post("/admin/disclosure/document/add/", data)
    assert_503_page(response, STORAGE_MESSAGE)
    assert not Document.objects.exists() and not Attachment.objects.exists()
    if folder.is_dir():
        assert stored_files(folder) == []


@pytest.mark.parametrize("media", ["unwritable_media", "full_media"])
def test_application_with_a_supporting_file_and_broken_storage_answers_503_and_saves_nothing(client, gongan,
                                                                                           media, request):
    request.getfixturevalue(media)
    data = application_data(gongan, supporting_file=SimpleUploadedFile("证明.pdf", pdf_bytes()))
    response = client.post("/xxgk/apply/", data)
    assert_503_page(response, STORAGE_MESSAGE)
    assert not Application.objects.exists()


@pytest.fixture
def stored_attachment(gongan, gongan_clerk, gongan_reviewer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    public_document = publish_document(make_document(gongan, gongan_clerk), gongan_clerk, gongan_reviewer)
    return Attachment.objects.create(document=public_document, file=ContentFile(pdf_bytes(), name="a.pdf"),
                                     original_name="附件.pdf", kind="pdf", size=1)


def attachment_url(attachment):
    return f"/xxgk/documents/{attachment.document_id}/attachments/{attachment.pk}/"


def test_download_with_the_media_folder_missing_answers_503(client, stored_attachment, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "unmounted"
    assert_503_page(client.get(attachment_url(stored_attachment)), STORAGE_MESSAGE)


def test_download_with_the_media_folder_not_a_folder_answers_503(client, stored_attachment, unwritable_media):
    assert_503_page(client.get(attachment_url(stored_attachment)), STORAGE_MESSAGE)


def test_download_of_one_missing_file_is_a_404(client, stored_attachment):
    stored_attachment.file.delete(save=False)
    assert client.get(attachment_url(stored_attachment)).status_code == 404


def test_download_with_working_storage_sends_the_file(client, stored_attachment):
    response = client.get(attachment_url(stored_attachment))
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf_bytes()
