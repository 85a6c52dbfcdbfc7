import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.files import document_properties
from disclosure.models import Attachment, Document
from tests.factories import make_document, make_topic


def form_data(gongan, **extra):
    data = {
        "title": "关于开展春季消防安全检查的通知", "organisation": gongan.pk, "document_number": "青公发〔2026〕8号",
        "written_date": "2026-03-01", "topic": make_topic().pk, "genre": "notice", "body": "<p>正文</p>",
        "attribute": "proactive", "ground": "", "ground_reason": "", "validity": "valid",
        "attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "0", "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000", "attachments-0-position": "0",
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0", "events-MIN_NUM_FORMS": "0", "events-MAX_NUM_FORMS": "0",
    }
    data.update(extra)
    return data


def pdf_bytes():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "张科员", "/Title": "通知"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_clerk_creates_a_draft_with_an_attachment_whose_author_is_removed(client, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    data = form_data(gongan, **{"attachments-0-file": SimpleUploadedFile("附件1.pdf", pdf_bytes())})
    response = client.post("/admin/disclosure/document/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    document = Document.objects.get()
    assert document.status == Document.Status.DRAFT and document.created_by == gongan_clerk
    attachment = document.attachments.get()
    assert attachment.original_name == "附件1.pdf" and attachment.kind == "pdf"
    assert document_properties(pdf_bytes(), "pdf")["author"] == "张科员"
    assert "author" not in document_properties(attachment.file.read(), "pdf")
    assert not attachment.file.name.endswith("附件1.pdf")  # stored under a generated name


def test_disguised_attachment_is_refused_and_the_form_is_kept(client, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    data = form_data(gongan, **{"attachments-0-file": SimpleUploadedFile("通知.pdf", b"<html><script>x</script></html>")})
    response = client.post("/admin/disclosure/document/add/", data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "关于开展春季消防安全检查的通知" in content and "青公发〔2026〕8号" in content
    assert "errorlist" in content
    assert not Document.objects.exists() and not Attachment.objects.exists()


def test_forbidden_attachment_type_is_refused(client, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    data = form_data(gongan, **{"attachments-0-file": SimpleUploadedFile("setup.exe", b"MZ\x90\x00")})
    response = client.post("/admin/disclosure/document/add/", data)
    assert response.status_code == 400 and not Document.objects.exists()


def test_wrong_document_number_is_explained_and_nothing_is_lost(client, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post("/admin/disclosure/document/add/", form_data(gongan, document_number="2026年8号"))
    assert response.status_code == 400
    content = response.content.decode()
    assert "文号格式不正确" in content and "关于开展春季消防安全检查的通知" in content


def test_withheld_without_ground_is_refused_in_the_form(client, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post("/admin/disclosure/document/add/", form_data(gongan, attribute="withheld"))
    assert response.status_code == 400
    assert "不予公开的信息必须选择《条例》依据" in response.content.decode()
    assert not Document.objects.exists()


def test_clerk_cannot_write_for_another_organisation(client, jiaoyu, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post("/admin/disclosure/document/add/", form_data(jiaoyu))
    assert response.status_code == 400  # the organisation is not among the choices
    assert not Document.objects.exists()


def test_other_organisations_documents_are_invisible(client, gongan, gongan_clerk, jiaoyu_clerk):
    document = make_document(gongan, gongan_clerk)
    client.force_login(jiaoyu_clerk)
    assert document.title not in client.get("/admin/disclosure/document/").content.decode()
    assert client.get(f"/admin/disclosure/document/{document.pk}/change/").status_code == 302


def test_buttons_submit_then_publish(client, draft, gongan_clerk, gongan_reviewer, jiaoyu_clerk):
    client.force_login(jiaoyu_clerk)
    assert client.post(f"/admin/disclosure/document/{draft.pk}/step/submit/").status_code == 404  # not in their scope
    client.force_login(gongan_clerk)
    assert "提交审核" in client.get(f"/admin/disclosure/document/{draft.pk}/change/").content.decode()
    assert client.post(f"/admin/disclosure/document/{draft.pk}/step/submit/").status_code == 302
    assert client.post(f"/admin/disclosure/document/{draft.pk}/step/publish/").status_code == 403
    client.force_login(gongan_reviewer)
    assert client.post(f"/admin/disclosure/document/{draft.pk}/step/publish/").status_code == 302
    draft.refresh_from_db()
    assert draft.is_public and draft.index_number


def test_published_document_is_read_only_for_the_clerk(client, public_document, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post(f"/admin/disclosure/document/{public_document.pk}/change/", {"title": "篡改"})
    assert response.status_code == 403
    public_document.refresh_from_db()
    assert public_document.title == "关于户籍业务跨省通办的公告"


def test_assessment_list_and_action(client, gongan, gongan_clerk, gongan_reviewer):
    import datetime

    from disclosure import workflow

    document = make_document(gongan, gongan_clerk, title="内部请示", attribute="withheld")
    workflow.submit(document, by=gongan_clerk)
    workflow.publish(document, by=gongan_reviewer, on=datetime.date(2024, 5, 1))
    client.force_login(gongan_reviewer)
    listing = client.get("/admin/disclosure/document/", {"assessment": "due"}).content.decode()
    assert "内部请示" in listing
    response = client.post(f"/admin/disclosure/document/{document.pk}/step/assess/", {"outcome": "keep", "note": "仍为过程性信息"})
    assert response.status_code == 302
    listing = client.get("/admin/disclosure/document/", {"assessment": "due"}).content.decode()
    assert "内部请示" not in listing


def test_withdraw_needs_a_reason_given_in_the_form(client, public_document, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post(f"/admin/disclosure/document/{public_document.pk}/step/withdraw/", {"note": ""})
    assert response.status_code == 400
    public_document.refresh_from_db()
    assert public_document.is_public
    assert "撤回时必须写明原因" in response.content.decode()


@pytest.mark.parametrize("username", ["gongan_clerk", "gongan_reviewer"])
def test_validity_change_by_index_number(client, request, gongan, gongan_clerk, public_document, publish, username):
    new = publish(make_document(gongan, gongan_clerk, title="新公告"))
    client.force_login(request.getfixturevalue(username))
    client.post(f"/admin/disclosure/document/{public_document.pk}/step/validity/",
                {"validity": "amended", "replaced_by": new.index_number})
    public_document.refresh_from_db()
    assert public_document.validity == "amended" and public_document.replaced_by == new


@pytest.mark.parametrize("url", ["/admin/disclosure/gazetteissue/add/", "/admin/requests_app/replysettings/add/"])
def test_gazette_and_remedy_settings_are_the_county_offices(client, gongan_clerk, county_reviewer, url):
    client.force_login(gongan_clerk)
    assert client.get(url).status_code == 403
    client.force_login(county_reviewer)
    assert client.get(url).status_code == 200


def test_gazette_accepts_only_a_real_pdf(client, county_reviewer):
    client.force_login(county_reviewer)
    response = client.post("/admin/disclosure/gazetteissue/add/", {
        "year": "2026", "number": "2", "publish_date": "2026-09-30", "is_published": "on",
        "pdf": SimpleUploadedFile("公报.pdf", b"<html>not a pdf</html>"),
        "entries-TOTAL_FORMS": "0", "entries-INITIAL_FORMS": "0", "entries-MIN_NUM_FORMS": "0", "entries-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    response = client.post("/admin/disclosure/gazetteissue/add/", {
        "year": "2026", "number": "2", "publish_date": "2026-09-30", "is_published": "on",
        "pdf": SimpleUploadedFile("公报.pdf", pdf_bytes()),
        "entries-TOTAL_FORMS": "0", "entries-INITIAL_FORMS": "0", "entries-MIN_NUM_FORMS": "0", "entries-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302
    from disclosure.models import GazetteIssue

    assert "author" not in document_properties(GazetteIssue.objects.get().pdf.read(), "pdf")


def test_staff_open_a_drafts_attachment_through_the_admin_only(client, gongan, gongan_clerk, jiaoyu_clerk):
    client.force_login(gongan_clerk)
    data = form_data(gongan, **{"attachments-0-file": SimpleUploadedFile("附件1.pdf", pdf_bytes())})
    client.post("/admin/disclosure/document/add/", data)
    document = Document.objects.get()
    attachment = document.attachments.get()
    page = client.get(f"/admin/disclosure/document/{document.pk}/change/").content.decode()
    url = f"/admin/disclosure/document/{document.pk}/attachment/{attachment.pk}/"
    assert url in page and "/media/" not in page
    assert client.get(url).status_code == 200
    client.force_login(jiaoyu_clerk)
    assert client.get(url).status_code == 404


def test_county_office_downloads_an_unpublished_gazette_pdf(client, county_reviewer, gongan_clerk):
    import datetime

    from django.core.files.base import ContentFile

    from disclosure.models import GazetteIssue

    issue = GazetteIssue(year=2026, number=3, publish_date=datetime.date(2026, 12, 31), is_published=False)
    issue.pdf.save("g.pdf", ContentFile(pdf_bytes()), save=False)
    issue.save()
    client.force_login(county_reviewer)
    page = client.get(f"/admin/disclosure/gazetteissue/{issue.pk}/change/").content.decode()
    assert f"/admin/disclosure/gazetteissue/{issue.pk}/pdf/" in page and "/media/" not in page
    assert client.get(f"/admin/disclosure/gazetteissue/{issue.pk}/pdf/").status_code == 200
    client.force_login(gongan_clerk)
    assert client.get(f"/admin/disclosure/gazetteissue/{issue.pk}/pdf/").status_code == 403
