"""The push API (/api/v1/push/): a department's system, with its organisation's token, creates, edits,
attaches to and submits drafts; the reviewer publishes in the back office. It never publishes, never
touches another organisation, and refuses bad input with nothing written."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter

from disclosure.files import MAX_ATTACHMENT_BYTES
from disclosure.models import Attachment, Document, DocumentEvent
from portal import tokens
from portal.admin import staff_display
from portal.models import ApiToken, IdempotentRequest
from tests.factories import make_document, make_topic

pytestmark = pytest.mark.django_db

PUSH = "/api/v1/push/documents/"


@pytest.fixture(autouse=True)
def on_2026_12_01():
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def issue(organisation, by, name="县公安局户政业务系统"):
    return tokens.issue(ApiToken(name=name, organisation=organisation), by=by)


@pytest.fixture
def secret(gongan, county_reviewer):
    return issue(gongan, county_reviewer)


@pytest.fixture
def token(secret):
    return ApiToken.objects.get(prefix=secret.partition(".")[0])


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post(client, secret, url, data=None, **headers):
    return client.post(url, data or {}, content_type="application/json", **bearer(secret), **headers)


def patch(client, secret, url, data):
    return client.patch(url, data, content_type="application/json", **bearer(secret))


def upload(client, secret, document_id, name, content, **headers):
    file = SimpleUploadedFile(name, content)
    return client.post(f"{PUSH}{document_id}/attachments/", {"file": file}, **bearer(secret), **headers)


def fields(**extra):
    make_topic()
    data = {
        "title": "关于开展2026年冬季户籍清理工作的通知", "document_number": "青公发〔2026〕21号",
        "written_date": "2026-11-20", "topic": "0103", "genre": "notice", "body": "<p>各派出所：</p><script>x()</script>",
        "attribute": "proactive", "validity": "valid", "is_normative": False,
    }
    data.update(extra)
    return data


def pdf_with_author():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "张科员"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def nothing_written():
    return not Document.objects.exists() and not DocumentEvent.objects.exists() and not Attachment.objects.exists()


def test_a_system_creates_edits_attaches_and_submits_and_the_reviewer_publishes_it(
    client, secret, token, gongan, gongan_reviewer, catalogue
):
    item = catalogue.items.get(name="出生登记")
    created = post(client, secret, PUSH, fields(catalogue_item=str(item.key)))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "draft" and body["status_display"] == "草稿" and body["organisation"] == gongan.pk
    assert body["catalogue_item"] == str(item.key) and body["index_number"] is None and body["page_url"] is None
    document = Document.objects.get(pk=body["id"])
    assert document.created_by == token.user and document.formed_on == datetime.date(2026, 11, 20)
    assert "<script>" not in document.body  # sanitised as on every path

    edited = patch(client, secret, body["url"], {"title": "关于开展2026年冬季户籍清理整顿工作的通知"})
    assert edited.status_code == 200 and edited.json()["title"] == "关于开展2026年冬季户籍清理整顿工作的通知"

    attached = upload(client, secret, document.pk, "工作方案.pdf", pdf_with_author())
    assert attached.status_code == 201, attached.json()
    assert attached.json()["original_name"] == "工作方案.pdf" and attached.json()["kind"] == "pdf"
    with document.attachments.get().file.open("rb") as stored:
        assert "/Author" not in (PdfReader(stored).metadata or {})  # read back with pypdf, not our own parser

    submitted = post(client, secret, f"{PUSH}{document.pk}/submit/", {"note": "请审核"})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"

    # The reviewer, a person, finds it in the to-do list and publishes it; the token stays the submitter.
    client.force_login(gongan_reviewer)
    assert "关于开展2026年冬季户籍清理整顿工作的通知" in client.get("/admin/").content.decode()
    response = client.post(f"/admin/disclosure/document/{document.pk}/step/publish/", {"note": "同意"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.is_public and document.index_number
    events = list(document.events.values_list("action", "actor"))
    assert events == [
        ("create", token.user.pk), ("edit", token.user.pk), ("attach", token.user.pk), ("submit", token.user.pk),
        ("publish", gongan_reviewer.pk),
    ]
    assert staff_display(token.user) == "县公安局户政业务系统（县公安局）"
    page = client.get(f"/admin/disclosure/document/{document.pk}/change/").content.decode()
    assert "县公安局户政业务系统（县公安局）" in page

    # Read back: the system sees what became of its push.
    client.logout()
    read = client.get(f"{PUSH}{document.pk}/", **bearer(secret)).json()
    assert read["status"] == "published" and read["index_number"] == document.index_number
    assert read["page_url"] == f"http://testserver/xxgk/documents/{document.pk}/"


def test_a_withheld_push_needs_its_ground_and_reason_as_in_the_back_office(client, secret):
    response = post(client, secret, PUSH, fields(attribute="withheld"))
    assert response.status_code == 400
    assert response.json() == {"ground": ["不予公开的信息必须选择《条例》依据"]}
    response = post(client, secret, PUSH, fields(attribute="withheld", ground="process_information", ground_reason="过程稿"))
    assert response.status_code == 201 and response.json()["ground"] == "process_information"


@pytest.mark.parametrize("change, field, message", [
    ({"document_number": "2026年8号"}, "document_number", "文号格式不正确"),
    ({"written_date": "2026-13-40"}, "written_date", "日期"),
    ({"formed_on": "2026-12-25"}, "formed_on", "不能晚于今天"),
    ({"topic": "01"}, "topic", "请选择具体的二级主题分类"),
    ({"topic": "9999"}, "topic", "找不到主题分类代码“9999”"),
    ({"catalogue_item": "not-a-key"}, "catalogue_item", "找不到此公开事项"),
    ({"genre": "poem"}, "genre", "poem"),
    ({"title": ""}, "title", "不能为空"),
])
def test_invalid_input_is_400_naming_the_field_and_nothing_is_written(client, secret, change, field, message):
    response = post(client, secret, PUSH, fields(**change))
    assert response.status_code == 400
    assert message in response.json()[field][0], response.json()
    assert nothing_written()


def test_a_status_in_the_body_is_refused_and_nothing_is_written(client, secret, token, gongan):
    response = post(client, secret, PUSH, fields(status="published"))
    assert response.status_code == 400
    assert "接口不能设置或修改状态" in response.json()["status"][0]
    assert nothing_written()
    document_id = post(client, secret, PUSH, fields()).json()["id"]
    for data in ({"status": "published"}, {"title": "改", "index_number": "X/2026-00001"}, {"publish_date": "2026-12-01"}):
        assert patch(client, secret, f"{PUSH}{document_id}/", data).status_code == 400
    document = Document.objects.get()
    assert document.status == "draft" and document.title == "关于开展2026年冬季户籍清理工作的通知" and not document.index_number
    assert list(document.events.values_list("action", flat=True)) == ["create"]


def test_there_is_no_way_to_publish_or_withdraw_through_the_push_api(client, secret):
    document_id = post(client, secret, PUSH, fields()).json()["id"]
    post(client, secret, f"{PUSH}{document_id}/submit/")
    for step in ("publish", "withdraw", "return"):
        assert post(client, secret, f"{PUSH}{document_id}/{step}/").status_code == 404
    assert client.put(f"{PUSH}{document_id}/", fields(), content_type="application/json", **bearer(secret)).status_code == 405
    assert client.delete(f"{PUSH}{document_id}/", **bearer(secret)).status_code == 405
    assert Document.objects.get().status == "submitted"


def test_a_submitted_document_is_no_longer_editable_by_the_system(client, secret):
    document_id = post(client, secret, PUSH, fields()).json()["id"]
    assert post(client, secret, f"{PUSH}{document_id}/submit/").status_code == 200
    response = patch(client, secret, f"{PUSH}{document_id}/", {"title": "改"})
    assert response.status_code == 409 and "不能再通过接口修改" in response.json()["detail"]
    assert upload(client, secret, document_id, "a.pdf", pdf_with_author()).status_code == 409
    assert post(client, secret, f"{PUSH}{document_id}/submit/").status_code == 409
    assert Document.objects.get().title == "关于开展2026年冬季户籍清理工作的通知" and not Attachment.objects.exists()


@pytest.mark.parametrize("headers, message", [
    ({}, "缺少接口令牌"),
    ({"HTTP_AUTHORIZATION": "Token abc.def"}, "格式不正确"),
    ({"HTTP_AUTHORIZATION": "Bearer"}, "格式不正确"),
    ({"HTTP_AUTHORIZATION": "Bearer 0000aaaa.wrong"}, "无效或已被撤销"),
    ({"HTTP_AUTHORIZATION": "Bearer nodot"}, "无效或已被撤销"),
])
def test_no_malformed_or_unknown_token_is_401_in_chinese_and_nothing_is_written(client, secret, headers, message):
    for method, url in (("post", PUSH), ("get", PUSH), ("get", f"{PUSH}1/"), ("post", f"{PUSH}1/submit/")):
        response = getattr(client, method)(url, fields() if method == "post" else None, content_type="application/json", **headers)
        assert response.status_code == 401, (url, response.content)
        assert message in response.json()["detail"] and response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert nothing_written()


def test_a_revoked_token_is_401_and_its_secret_with_another_prefix_too(client, secret, token, county_reviewer):
    tokens.revoke(token, by=county_reviewer)
    response = post(client, secret, PUSH, fields())
    assert response.status_code == 401 and response.json() == {"detail": "接口令牌无效或已被撤销"}
    other = issue(token.organisation, county_reviewer, name="另一系统")
    forged = other.partition(".")[0] + "." + secret.partition(".")[2]
    assert post(client, forged, PUSH, fields()).status_code == 401
    assert nothing_written()


def test_another_organisations_documents_are_404_and_naming_it_in_the_body_is_403(
    client, secret, jiaoyu, county_reviewer, jiaoyu_clerk
):
    jiaoyu_secret = issue(jiaoyu, county_reviewer, name="县教育局学籍系统")
    theirs = post(client, jiaoyu_secret, PUSH, fields(title="教育局的草稿")).json()["id"]
    before = Document.objects.get(pk=theirs).updated_at
    assert client.get(f"{PUSH}{theirs}/", **bearer(secret)).status_code == 404
    for malformed in ("abc", "0.5", "-1"):
        response = client.get(f"{PUSH}{malformed}/", **bearer(secret))
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert patch(client, secret, f"{PUSH}{theirs}/", {"title": "改"}).status_code == 404
    assert upload(client, secret, theirs, "a.pdf", pdf_with_author()).status_code == 404
    assert post(client, secret, f"{PUSH}{theirs}/submit/").status_code == 404
    response = post(client, secret, PUSH, fields(organisation=jiaoyu.pk))
    assert response.status_code == 403 and "只能为青禾县公安局推送" in response.json()["detail"]
    mine = post(client, secret, PUSH, fields()).json()["id"]
    assert patch(client, secret, f"{PUSH}{mine}/", {"organisation": jiaoyu.pk}).status_code == 403
    assert Document.objects.get(pk=theirs).updated_at == before and Document.objects.get(pk=theirs).status == "draft"
    assert Document.objects.get(pk=mine).organisation.name == "青禾县公安局"
    assert Attachment.objects.count() == 0


def test_the_list_holds_only_this_organisations_pushed_documents(
    client, secret, gongan, gongan_clerk, jiaoyu, county_reviewer
):
    make_document(gongan, gongan_clerk, title="后台起草的不予公开草稿", attribute="withheld")
    post(client, issue(jiaoyu, county_reviewer, name="学籍系统"), PUSH, fields(title="教育局推送的草稿"))
    mine = post(client, secret, PUSH, fields()).json()["id"]
    response = client.get(PUSH, **bearer(secret))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine]
    own_draft = Document.objects.get(title="后台起草的不予公开草稿")
    assert client.get(f"{PUSH}{own_draft.pk}/", **bearer(secret)).status_code == 404


@pytest.mark.parametrize("name, content, message", [
    ("setup.exe", b"MZ\x90\x00" + bytes(100), "不允许上传“.exe”类型的文件"),
    ("通知.pdf", b"MZ\x90\x00" + bytes(100), "与扩展名不符"),
    ("空.pdf", b"", "空文件"),
    ("年鉴.pdf", b"%PDF-1.7\n" + bytes(MAX_ATTACHMENT_BYTES), "超过了 50 MB"),
])
def test_a_file_that_fails_the_upload_checks_is_400_and_nothing_is_stored(client, secret, name, content, message):
    document_id = post(client, secret, PUSH, fields()).json()["id"]
    response = upload(client, secret, document_id, name, content)
    assert response.status_code == 400
    assert message in response.json()["file"][0], response.json()
    assert not Attachment.objects.exists()
    assert list(DocumentEvent.objects.values_list("action", flat=True)) == ["create"]


def test_an_idempotent_repeat_returns_the_first_result_and_does_nothing_again(client, secret):
    first = post(client, secret, PUSH, fields(), HTTP_IDEMPOTENCY_KEY="create-2026-12-01-0001")
    again = post(client, secret, PUSH, fields(), HTTP_IDEMPOTENCY_KEY="create-2026-12-01-0001")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Document.objects.count() == 1 and DocumentEvent.objects.count() == 1
    document_id = first.json()["id"]

    pdf = pdf_with_author()
    attached = [upload(client, secret, document_id, "方案.pdf", pdf, HTTP_IDEMPOTENCY_KEY="attach-1") for _ in range(2)]
    assert [r.status_code for r in attached] == [201, 201] and attached[0].json() == attached[1].json()
    assert Attachment.objects.count() == 1

    submitted = [post(client, secret, f"{PUSH}{document_id}/submit/", HTTP_IDEMPOTENCY_KEY="submit-1") for _ in range(2)]
    assert [r.status_code for r in submitted] == [200, 200]  # the repeat is not a 409: it is the first answer
    assert DocumentEvent.objects.filter(action="submit").count() == 1
    assert IdempotentRequest.objects.count() == 3


def test_the_same_key_with_another_body_is_422_and_nothing_is_written(client, secret):
    post(client, secret, PUSH, fields(), HTTP_IDEMPOTENCY_KEY="k-1")
    response = post(client, secret, PUSH, fields(title="另一件"), HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 422 and "已用于另一个不同的请求" in response.json()["detail"]
    assert Document.objects.count() == 1


def test_a_refused_request_keeps_no_key_and_may_be_sent_again_corrected(client, secret):
    assert post(client, secret, PUSH, fields(topic="9999"), HTTP_IDEMPOTENCY_KEY="k-2").status_code == 400
    assert not IdempotentRequest.objects.exists()
    # The key was not spent on a refusal; the corrected request has another body, and is done.
    assert post(client, secret, PUSH, fields(), HTTP_IDEMPOTENCY_KEY="k-2").status_code == 201


def test_keys_belong_to_their_token(client, secret, gongan, county_reviewer):
    other = issue(gongan, county_reviewer, name="另一系统")
    assert post(client, secret, PUSH, fields(), HTTP_IDEMPOTENCY_KEY="shared").status_code == 201
    assert post(client, other, PUSH, fields(), HTTP_IDEMPOTENCY_KEY="shared").status_code == 201
    assert Document.objects.count() == 2


def test_a_malformed_idempotency_key_is_400(client, secret):
    response = post(client, secret, PUSH, fields(), HTTP_IDEMPOTENCY_KEY="x" * 300)
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
    assert nothing_written()


@pytest.mark.parametrize("size", [1, 5])
def test_the_push_list_costs_the_same_queries_however_many_documents(client, secret, size, django_assert_max_num_queries):
    for n in range(size):
        document_id = post(client, secret, PUSH, fields(title=f"第{n}件")).json()["id"]
        upload(client, secret, document_id, f"附件{n}.pdf", pdf_with_author())
    # The token (with its user, staff row and organisation), the count, the page, the attachments.
    with django_assert_max_num_queries(4):
        response = client.get(PUSH, **bearer(secret))
    assert response.status_code == 200 and len(response.json()["results"]) == size


def test_the_index_lists_every_endpoint_with_absolute_urls_and_chinese_descriptions(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    entries = {entry["url"]: entry for entry in response.json()["endpoints"]}
    for path in ("/api/v1/organisations/", "/api/v1/documents/", "/api/v1/changes/", "/api/v1/push/documents/",
                 "/xxgk/catalogue/county.xlsx", "/api/schema/", "/api/docs/"):
        assert f"http://testserver{path}" in entries, path
    assert entries["http://testserver/api/v1/push/documents/"]["name"] == "推送政府信息"


def test_the_schema_documents_the_push_endpoints_with_the_bearer_scheme_and_their_refusals(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert schema["components"]["securitySchemes"]["pushToken"]["scheme"] == "bearer"
    create = schema["paths"]["/api/v1/push/documents/"]["post"]
    assert create["security"] == [{"pushToken": []}]
    assert {"201", "400", "401", "403", "422"} <= set(create["responses"])
    assert "Idempotency-Key" in [p["name"] for p in create["parameters"]]
    assert "/api/v1/push/documents/{id}/submit/" in schema["paths"]
    assert "/api/v1/push/documents/{id}/attachments/" in schema["paths"]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_once_create_one_document_and_get_the_same_answer(secret):
    import threading

    from django.db import connection
    from django.test import Client

    data = fields()
    barrier = threading.Barrier(2)
    answers, errors = [], []

    def send():
        try:
            barrier.wait()
            response = post(Client(), secret, PUSH, data, HTTP_IDEMPOTENCY_KEY="at-once")
            answers.append((response.status_code, response.json()))
        except Exception as exc:  # noqa: BLE001 - any failure is the test's finding
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert [status for status, _ in answers] == [201, 201] and answers[0][1] == answers[1][1]
    assert Document.objects.count() == 1 and IdempotentRequest.objects.count() == 1
