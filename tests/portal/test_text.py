"""One rule for typed text (portal.text), and the request layer (portal.middleware) that answers 400
for what no view can read: a NUL in the path or query string, or an undeclared or unknown charset."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from catalog.models import CatalogueItem
from portal.models import Organisation
from portal.text import clean_text
from portal.models import CalendarDay
from requests_app.models import Application
from tests.factories import application_fields, make_application, make_document


def test_word_line_and_page_breaks_become_newlines():
    assert clean_text("第一行\x0b第二行\x0c第三行") == "第一行\n第二行\n第三行"


def test_tab_newline_and_carriage_return_are_kept_other_controls_go():
    assert clean_text("甲\t乙\r\n丙\x01\x07\x08\x1b\x1f丁\x00\ufffe\uffff") == "甲\t乙\r\n丙丁"
    assert clean_text(None) == "" and clean_text("") == ""


def test_typed_text_is_stored_clean_whatever_path_saves_it(gongan, gongan_clerk):
    application = make_application(gongan, gongan_clerk, applicant_name="王小明\x1b", description="户籍\x0b人口\x07统计")
    application.refresh_from_db()
    assert application.applicant_name == "王小明" and application.description == "户籍\n人口统计"
    gongan.address = "人民路\x0c18号\x02"
    gongan.save()
    gongan.refresh_from_db()
    assert gongan.address == "人民路\n18号"
    assert gongan.history.first().address == "人民路\n18号"


def test_nul_is_refused_by_validation_naming_the_field(gongan):
    application = Application(**application_fields(gongan, address="人民路\x0018号"))
    with pytest.raises(ValidationError) as refused:
        application.full_clean(exclude=["receipt_date", "tracking_number"])
    assert refused.value.message_dict["address"] == ["“通信地址”中含有不可见的空字符（NUL），无法保存，请删除该项内容后重新输入"]


def test_nul_is_refused_even_where_validation_was_skipped(db):
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        CalendarDay.objects.create(date=datetime.date(2026, 10, 1), is_working_day=False, note="国庆\x00节")
    assert refused.value.message_dict["note"] == ["“说明”中含有不可见的空字符（NUL），无法保存，请删除该项内容后重新输入"]
    assert not CalendarDay.objects.exists()


def test_rich_text_body_loses_control_characters(gongan, gongan_clerk):
    document = make_document(gongan, gongan_clerk, body="<p>第一段\x0b续行\x07</p><p>第二段\x1f</p>")
    document.refresh_from_db()
    assert document.body == "<p>第一段\n续行</p><p>第二段</p>"


def test_catalogue_item_typed_text_is_clean(guideline_catalogue):
    item = CatalogueItem.objects.create(catalogue=guideline_catalogue, name="户口\x0b登记\x1b", content="材料\x0c清单")
    item.refresh_from_db()
    assert (item.name, item.content) == ("户口\n登记", "材料\n清单")


@pytest.fixture
def guideline_catalogue(db):
    from catalog.models import Catalogue
    from tests.factories import make_domain

    return Catalogue.objects.create(domain=make_domain(), is_guideline=True)


def test_rows_saved_before_the_rule_are_cleaned_by_the_migration(gongan, gongan_clerk):
    from django.apps import apps
    from django.db import connection

    from portal.text import clean_stored_text

    application = make_application(gongan, gongan_clerk)
    clean = make_application(gongan, gongan_clerk, applicant_name="李四")
    # QuerySet.update() skips the fields' cleaning, as rows stored before the rule did.
    Application.objects.filter(pk=application.pk).update(applicant_name="王小明\x0b", description="户籍\x0c人口\x07统计")
    Organisation.objects.filter(pk=gongan.pk).update(address="人民路\x1f18号")
    clean_stored_text({
        "requests_app.Application": ["applicant_name", "description"], "portal.Organisation": ["address", "name"],
    })(apps, SimpleNamespace(connection=connection))
    application.refresh_from_db()
    gongan.refresh_from_db()
    clean.refresh_from_db()
    assert (application.applicant_name, application.description) == ("王小明\n", "户籍\n人口统计")
    assert gongan.address == "人民路18号" and clean.applicant_name == "李四"


# ---------------------------------------------------------------- the request layer

STAFF = ["gongan_clerk", "gongan_reviewer", "county_reviewer"]


@pytest.mark.parametrize("user", STAFF)
@pytest.mark.parametrize("url", [
    "/admin/disclosure/document/?status=%00",
    "/admin/requests_app/application/?q=%E7%8E%8B%00",
    "/admin/catalog/catalogue/?state=draft%00",
])
def test_nul_in_an_admin_list_filter_is_a_400_page(client, user, url, request):
    client.force_login(request.getfixturevalue(user))
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 400
    content = response.content.decode()
    assert "请求有误" in content and "空字符" in content


def test_nul_in_a_public_search_is_a_400_page(client, db):
    response = client.get("/search/?q=%00")
    assert response.status_code == 400 and "空字符" in response.content.decode()


def test_ordinary_query_strings_pass(client, gongan_clerk):
    client.force_login(gongan_clerk)
    assert client.get("/admin/disclosure/document/?status=draft&q=%E9%80%9A%E7%9F%A5").status_code == 200
    assert client.get("/search/?q=%E6%88%B7%E7%B1%8D").status_code == 200


@pytest.mark.parametrize("user", STAFF)
@pytest.mark.parametrize("debug", [False, True])
def test_form_post_in_utf_16_is_a_400_page(client, user, debug, request, settings):
    # With DEBUG on, Django's own error page read the body again and answered 500.
    settings.DEBUG = debug
    client.force_login(request.getfixturevalue(user))
    client.raise_request_exception = False
    response = client.generic(
        "POST", "/admin/disclosure/document/", data="action=delete_selected&note=甲".encode("utf-16"),
        content_type="application/x-www-form-urlencoded; charset=utf-16",
    )
    assert response.status_code == 400
    assert "字符编码" in response.content.decode()


@pytest.mark.parametrize("content_type", [
    "application/x-www-form-urlencoded; charset=x-no-such-charset",
    "multipart/form-data; boundary=XX; charset=x-no-such-charset",
    "multipart/form-data; boundary=XX; charset=utf-16",
])
def test_form_post_in_an_unknown_or_unreadable_charset_is_a_400_page(client, gongan_clerk, content_type):
    client.force_login(gongan_clerk)
    client.raise_request_exception = False
    body = b'--XX\r\nContent-Disposition: form-data; name="note"\r\n\r\nabc\r\n--XX--\r\n'
    response = client.generic("POST", "/admin/disclosure/document/", data=body, content_type=content_type)
    assert response.status_code == 400 and "字符编码" in response.content.decode()


def test_form_post_that_is_not_utf_8_is_a_400_page(client, gongan_clerk):
    client.force_login(gongan_clerk)
    client.raise_request_exception = False
    response = client.generic(
        "POST", "/admin/disclosure/document/", data=b"note=%D6%D0%CE%C4", content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400 and "字符编码" in response.content.decode()


@pytest.mark.parametrize("user, step", [("gongan_clerk", "submit"), ("gongan_reviewer", "return")])
def test_nul_in_a_document_step_note_is_refused_with_a_message(client, gongan, gongan_clerk, user, step, request):
    document = make_document(gongan, gongan_clerk)
    if step == "return":
        from disclosure import workflow

        workflow.submit(document, by=gongan_clerk)
    client.force_login(request.getfixturevalue(user))
    client.raise_request_exception = False
    events = document.events.count()
    response = client.post(f"/admin/disclosure/document/{document.pk}/step/{step}/", {"note": "请\x00修改"})
    assert response.status_code == 400 and "空字符" in response.content.decode()
    assert document.events.count() == events


def test_nul_in_a_multipart_admin_form_is_explained_next_to_the_field_and_kept(client, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post("/admin/disclosure/document/add/", {"title": "关于\x00通知"})  # multipart by default
    page = response.content.decode()
    assert response.status_code == 400 and "“标题”中含有不可见的空字符（NUL）" in page
    assert 'value="关于\x00通知"' in page or "关于&#x0;通知" in page or "关于\x00通知" in page
