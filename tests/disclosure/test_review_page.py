"""The reviewer's and the county office's page of a document they cannot edit: the body as the public
will read it, every attachment (download and in-browser view), the metadata, the trail with its
comments and the field history; nothing of it for a clerk of another organisation."""

import io

import pytest
from django.core.files.base import ContentFile

from disclosure import workflow
from disclosure.models import Attachment
from tests.factories import make_document


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf_bytes():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def attach(document, name, data, kind):
    return Attachment.objects.create(
        document=document, file=ContentFile(data, name=f"x.{kind}"), original_name=name, kind=kind, size=len(data)
    )


@pytest.fixture
def submitted(gongan, gongan_clerk, gongan_reviewer):
    document = make_document(
        gongan, gongan_clerk, title="关于调整户籍窗口办公时间的通知", document_number="青公发〔2026〕9号",
        body="<h2>一、调整内容</h2><p>自<strong>3月1日</strong>起，户籍窗口周六上午办公。</p>",
    )
    attach(document, "办公时间表.pdf", pdf_bytes(), "pdf")
    attach(document, "窗口位置图.png", png_bytes(), "png")
    attach(document, "申请表.docx", b"PK\x03\x04 not really", "docx")
    workflow.submit(document, by=gongan_clerk, note="请审核，时间已与窗口确认")
    return document


def page_of(client, user, document):
    client.force_login(user)
    return client.get(f"/admin/disclosure/document/{document.pk}/change/")


@pytest.mark.parametrize("username", ["gongan_reviewer", "county_reviewer"])
def test_reviewer_reads_the_body_rendered_not_as_source(client, request, submitted, username):
    response = page_of(client, request.getfixturevalue(username), submitted)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h2>一、调整内容</h2>" in content and "<strong>3月1日</strong>" in content
    assert "&lt;h2&gt;" not in content and "&lt;strong&gt;" not in content


@pytest.mark.parametrize("username", ["gongan_reviewer", "county_reviewer"])
def test_reviewer_sees_every_attachment_with_download_and_view(client, request, submitted, username):
    content = page_of(client, request.getfixturevalue(username), submitted).content.decode()
    base = f"/admin/disclosure/document/{submitted.pk}/attachment/"
    pdf, png, docx = submitted.attachments.order_by("pk")
    for attachment in (pdf, png, docx):
        assert attachment.original_name in content
        assert f'{base}{attachment.pk}/"' in content  # download
    assert f"{base}{pdf.pk}/view/" in content and f"{base}{png.pk}/view/" in content
    assert f"{base}{docx.pk}/view/" not in content  # a browser cannot show it
    assert "/media/" not in content


@pytest.mark.parametrize("username", ["gongan_reviewer", "county_reviewer"])
def test_reviewer_sees_the_metadata_table(client, request, submitted, username):
    content = page_of(client, request.getfixturevalue(username), submitted).content.decode()
    for label in ("索引号", "主题分类", "发布机构", "成文日期", "文号", "公开属性", "有效性", "公开事项"):
        assert f'<th scope="row">{label}</th>' in content
    assert "青禾县公安局" in content and "青公发〔2026〕9号" in content and "2026年1月20日" in content
    assert "综合政务／政务公开" in content and "现行有效" in content and "主动公开" in content


def test_reviewer_sees_the_withheld_ground_in_the_metadata(client, gongan, gongan_clerk, gongan_reviewer):
    document = make_document(gongan, gongan_clerk, title="内部请示", attribute="withheld")
    workflow.submit(document, by=gongan_clerk)
    content = page_of(client, gongan_reviewer, document).content.decode()
    assert "不予公开：第十六条第二款：讨论记录、过程稿、磋商信函、请示报告等过程性信息" in content
    assert "理由：属于过程性信息" in content


@pytest.mark.parametrize("username", ["gongan_clerk", "gongan_reviewer", "county_reviewer"])
def test_everyone_who_may_see_it_reads_the_trail_with_comments(client, request, submitted, username):
    content = page_of(client, request.getfixturevalue(username), submitted).content.decode()
    assert "操作记录（谁、何时、说明）" in content
    assert "请审核，时间已与窗口确认" in content and "提交审核" in content and "gongan_clerk" in content


def test_the_trail_of_a_published_document_keeps_the_reviewers_comment(client, submitted, gongan_clerk, gongan_reviewer):
    workflow.publish(submitted, by=gongan_reviewer, note="同意发布")
    content = page_of(client, gongan_clerk, submitted).content.decode()  # the clerk cannot edit it any more
    assert "同意发布" in content and "审核发布" in content and "gongan_reviewer" in content
    assert "<h2>一、调整内容</h2>" in content and "办公时间表.pdf" in content


@pytest.mark.parametrize("username", ["gongan_reviewer", "county_reviewer"])
def test_reviewer_reads_the_field_history(client, request, submitted, username):
    client.force_login(request.getfixturevalue(username))
    page = client.get(f"/admin/disclosure/document/{submitted.pk}/change/").content.decode()
    assert f"/admin/disclosure/document/{submitted.pk}/history/" in page
    response = client.get(f"/admin/disclosure/document/{submitted.pk}/history/")
    assert response.status_code == 200
    assert "关于调整户籍窗口办公时间的通知" in response.content.decode()


def test_outsider_sees_nothing_of_it(client, submitted, jiaoyu_clerk):
    client.force_login(jiaoyu_clerk)
    response = client.get(f"/admin/disclosure/document/{submitted.pk}/change/", follow=True)
    content = response.content.decode()
    assert "关于调整户籍窗口办公时间的通知" not in content and "请审核" not in content
    attachment = submitted.attachments.first()
    for url in (f"/admin/disclosure/document/{submitted.pk}/attachment/{attachment.pk}/",
                f"/admin/disclosure/document/{submitted.pk}/attachment/{attachment.pk}/view/"):
        assert client.get(url).status_code == 404
    assert client.get(f"/admin/disclosure/document/{submitted.pk}/history/").status_code == 403


@pytest.mark.parametrize("name, content_type", [("办公时间表.pdf", "application/pdf"), ("窗口位置图.png", "image/png")])
def test_inline_view_is_sandboxed_and_not_sniffed(client, submitted, gongan_reviewer, name, content_type):
    attachment = submitted.attachments.get(original_name=name)
    client.force_login(gongan_reviewer)
    url = f"/admin/disclosure/document/{submitted.pk}/attachment/{attachment.pk}/view/"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == attachment.file.open("rb").read()
    head = client.head(url)
    assert head.status_code == 200 and head["Content-Type"] == content_type
    assert client.post(url).status_code == 405


def test_download_is_an_attachment_and_a_docx_has_no_inline_view(client, submitted, gongan_reviewer):
    docx = submitted.attachments.get(kind="docx")
    client.force_login(gongan_reviewer)
    response = client.get(f"/admin/disclosure/document/{submitted.pk}/attachment/{docx.pk}/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/admin/disclosure/document/{submitted.pk}/attachment/{docx.pk}/view/").status_code == 404


@pytest.mark.parametrize("suffix", ["history/", "change/", "delete/", "history/1/", "step/publish/", "attachment/1/"])
def test_a_non_numeric_id_is_404_not_a_server_error(client, gongan_reviewer, suffix):
    client.force_login(gongan_reviewer)
    assert client.get(f"/admin/disclosure/document/abc/{suffix}").status_code == 404


def test_reviewer_opens_a_past_version_read_only(client, submitted, gongan_reviewer):
    first = submitted.history.earliest()
    client.force_login(gongan_reviewer)
    response = client.get(f"/admin/disclosure/document/{submitted.pk}/history/{first.history_id}/")
    assert response.status_code == 200
    assert "关于调整户籍窗口办公时间的通知" in response.content.decode()
    client.post(f"/admin/disclosure/document/{submitted.pk}/history/{first.history_id}/", {"title": "改回"})
    submitted.refresh_from_db()
    assert submitted.title == "关于调整户籍窗口办公时间的通知"
