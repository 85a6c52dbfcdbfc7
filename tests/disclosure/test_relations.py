"""解读 and 替代文件 are scoped on the server: a clerk links their own organisation's documents and
other organisations' public ones, whatever ids are posted; the 公开事项 choice names its domain and
一级事项 and offers only the organisation's published catalogue's 二级事项."""

import re

import pytest
from django.core.exceptions import ValidationError

from disclosure import workflow
from disclosure.models import Document
from portal.models import Staff
from tests.disclosure.test_admin import form_data
from tests.factories import make_document, make_domain, make_guideline, make_published_catalogue, make_staff

REFUSED = "只能关联本单位的文件或其他单位已公开发布的文件"


@pytest.fixture
def jiaoyu_documents(jiaoyu, jiaoyu_clerk):
    reviewer = make_staff("jiaoyu_reviewer", jiaoyu, Staff.Role.REVIEWER)
    draft = make_document(jiaoyu, jiaoyu_clerk, title="教育局尚未发布的草稿标题")
    withheld = make_document(jiaoyu, jiaoyu_clerk, title="教育局不予公开的请示标题", attribute="withheld")
    workflow.submit(withheld, by=jiaoyu_clerk)
    workflow.publish(withheld, by=reviewer)
    public = make_document(jiaoyu, jiaoyu_clerk, title="教育局已公开的通知")
    workflow.submit(public, by=jiaoyu_clerk)
    workflow.publish(public, by=reviewer)
    return {"draft": draft, "withheld": withheld, "public": Document.objects.get(pk=public.pk)}


def post_new(client, gongan, **fields):
    data = form_data(gongan, **{"attachments-TOTAL_FORMS": "0"})
    data.update(fields)
    return client.post("/admin/disclosure/document/add/", data)


@pytest.mark.parametrize("hidden", ["draft", "withheld"])
def test_another_organisations_hidden_document_is_refused_as_interpretation(client, gongan, gongan_clerk, jiaoyu_documents,
                                                                            hidden):
    client.force_login(gongan_clerk)
    target = jiaoyu_documents[hidden]
    response = post_new(client, gongan, interpretations=[str(target.pk)])
    assert response.status_code == 400
    content = response.content.decode()
    assert REFUSED in content
    assert target.title not in content
    assert not Document.objects.filter(organisation=gongan).exists()


@pytest.mark.parametrize("hidden", ["draft", "withheld"])
def test_another_organisations_hidden_document_is_refused_as_replacement(client, gongan, gongan_clerk, jiaoyu_documents,
                                                                         hidden):
    client.force_login(gongan_clerk)
    target = jiaoyu_documents[hidden]
    response = post_new(client, gongan, validity="repealed", replaced_by=str(target.pk))
    assert response.status_code == 400
    content = response.content.decode()
    assert REFUSED in content
    assert target.title not in content
    assert not Document.objects.filter(organisation=gongan).exists()


def test_own_documents_and_others_public_ones_are_accepted(client, gongan, gongan_clerk, jiaoyu_documents):
    own_draft = make_document(gongan, gongan_clerk, title="公安局自己的草稿")
    client.force_login(gongan_clerk)
    response = post_new(client, gongan, validity="repealed", replaced_by=str(own_draft.pk),
                        interpretations=[str(own_draft.pk), str(jiaoyu_documents["public"].pk)])
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(title="关于开展春季消防安全检查的通知")
    assert document.replaced_by == own_draft
    assert set(document.interpretations.all()) == {own_draft, jiaoyu_documents["public"]}


def test_the_picker_offers_what_the_form_accepts(client, gongan, gongan_clerk, jiaoyu_documents):
    make_document(gongan, gongan_clerk, title="公安局自己的草稿")
    client.force_login(gongan_clerk)
    response = client.get("/admin/autocomplete/", {
        "app_label": "disclosure", "model_name": "document", "field_name": "interpretations", "term": "",
    })
    assert response.status_code == 200
    titles = {row["text"] for row in response.json()["results"]}
    assert titles == {"公安局自己的草稿", "教育局已公开的通知"}


def test_the_model_refuses_another_organisations_unpublished_replacement(gongan, gongan_clerk, jiaoyu_documents):
    document = make_document(gongan, gongan_clerk, validity="repealed", replaced_by=jiaoyu_documents["draft"])
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert error.value.message_dict["replaced_by"] == [REFUSED]


# ---------------------------------------------------------------- 公开事项


@pytest.fixture
def catalogues(gongan, gongan_clerk, gongan_reviewer, jiaoyu, jiaoyu_clerk, county_reviewer):
    domain = make_domain()
    make_guideline(domain)
    make_published_catalogue(gongan, domain, clerk=gongan_clerk, reviewer=gongan_reviewer, county_reviewer=county_reviewer)
    jiaoyu_reviewer = make_staff("jiaoyu_reviewer", jiaoyu, Staff.Role.REVIEWER)
    make_published_catalogue(jiaoyu, domain, clerk=jiaoyu_clerk, reviewer=jiaoyu_reviewer, county_reviewer=county_reviewer,
                             tree={"户口登记": ["出生登记"]})


def catalogue_item_options(content):
    select = re.search(r'<select name="catalogue_item".*?</select>', content, re.S).group(0)
    return [label for value, label in re.findall(r'<option value="(\d+)"[^>]*>(.*?)</option>', select)]


def test_catalogue_items_are_labelled_with_domain_and_first_level_item(client, catalogues, gongan_clerk):
    client.force_login(gongan_clerk)
    options = catalogue_item_options(client.get("/admin/disclosure/document/add/").content.decode())
    assert options == [
        "户籍管理 › 户口登记 › 出生登记", "户籍管理 › 户口登记 › 死亡注销",
        "户籍管理 › 户口迁移 › 迁入登记", "户籍管理 › 户口迁移 › 迁出登记",
        "户籍管理 › 居民身份证管理 › 居民身份证申领",
    ]  # only 县公安局's published 二级事项, once each; no 一级事项, no 县教育局 item
