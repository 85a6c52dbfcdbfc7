import pytest

from tests.factories import make_document, publish_document


@pytest.fixture
def draft(gongan, gongan_clerk):
    return make_document(gongan, gongan_clerk, body="<p>正文</p>")


@pytest.fixture
def public_document(gongan, gongan_clerk, gongan_reviewer):
    document = make_document(gongan, gongan_clerk, title="关于户籍业务跨省通办的公告", document_number="青公发〔2026〕3号")
    return publish_document(document, gongan_clerk, gongan_reviewer)


@pytest.fixture
def publish(gongan_clerk, gongan_reviewer):
    def _publish(document):
        return publish_document(document, gongan_clerk, gongan_reviewer)

    return _publish
