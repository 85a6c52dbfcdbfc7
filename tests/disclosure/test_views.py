import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile

from disclosure import workflow
from disclosure.models import Attachment, GazetteEntry, GazetteIssue, Guide
from tests.factories import make_document, make_organisation, make_topic


def attach(document, data=b"%PDF-1.4 demo", name="附件一.pdf"):
    return Attachment.objects.create(
        document=document, file=ContentFile(data, name="x.pdf"), original_name=name, kind="pdf", size=len(data)
    )


def test_document_page_shows_the_metadata_table_above_the_text(client, public_document, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get(f"/xxgk/documents/{public_document.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    for label in ("索引号", "主题分类", "发布机构", "成文日期", "发布日期", "文号", "有效性"):
        assert f'<th scope="row">{label}</th>' in content
    assert public_document.index_number in content and "青公发〔2026〕3号" in content
    assert content.index("索引号") < content.index('class="rich-text"')
    assert "此件公开发布" in content and "现行有效" in content


def test_attachment_is_served_with_its_original_name(client, public_document):
    attachment = attach(public_document)
    response = client.get(f"/xxgk/documents/{public_document.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 demo"
    assert "attachment" in response["Content-Disposition"] and "%E9%99%84%E4%BB%B6" in response["Content-Disposition"]
    inline = client.get(f"/xxgk/documents/{public_document.pk}/attachments/{attachment.pk}/?view=1")
    assert inline["Content-Disposition"].startswith("inline")


def test_interpretation_links_both_ways(client, gongan, gongan_clerk, public_document, publish):
    interpretation = publish(make_document(gongan, gongan_clerk, title="《跨省通办公告》政策解读", genre="interpretation"))
    public_document.interpretations.add(interpretation)
    assert "《跨省通办公告》政策解读" in client.get(f"/xxgk/documents/{public_document.pk}/").content.decode()
    assert "关于户籍业务跨省通办的公告" in client.get(f"/xxgk/documents/{interpretation.pk}/").content.decode()


def test_validity_links_both_ways(client, gongan, gongan_clerk, public_document, publish):
    new = publish(make_document(gongan, gongan_clerk, title="关于户籍业务跨省通办的公告（修订）"))
    workflow.change_validity(public_document, by=gongan_clerk, validity="repealed", replaced_by=new)
    old_page = client.get(f"/xxgk/documents/{public_document.pk}/").content.decode()
    assert "已废止" in old_page and f"/xxgk/documents/{new.pk}/" in old_page
    new_page = client.get(f"/xxgk/documents/{new.pk}/").content.decode()
    assert "本文件替代" in new_page and f"/xxgk/documents/{public_document.pk}/" in new_page


NON_PUBLIC = ["draft", "submitted", "withdrawn", "on_request", "withheld"]


@pytest.fixture
def hidden(request, gongan, gongan_clerk, gongan_reviewer):
    """A document in one non-public state, with an attachment."""
    def build(state):
        attribute = state if state in ("on_request", "withheld") else "proactive"
        document = make_document(gongan, gongan_clerk, title=f"隐藏的信息-{state}", attribute=attribute)
        if state != "draft":
            workflow.submit(document, by=gongan_clerk)
        if state in ("withdrawn", "on_request", "withheld"):
            workflow.publish(document, by=gongan_reviewer)
        if state == "withdrawn":
            workflow.withdraw(document, by=gongan_clerk, note="撤回")
        attach(document)
        return document
    return build


@pytest.mark.parametrize("state", NON_PUBLIC)
def test_non_public_information_is_404_everywhere(client, hidden, state, public_document):
    document = hidden(state)
    attachment = document.attachments.get()
    never = client.get("/xxgk/documents/999999/")
    response = client.get(f"/xxgk/documents/{document.pk}/")
    assert response.status_code == 404 and response.content == never.content
    assert client.get(f"/xxgk/documents/{document.pk}/attachments/{attachment.pk}/").status_code == 404
    for url in ("/xxgk/feed/", "/xxgk/feed/atom/", f"/xxgk/feed/org/{document.organisation_id}/",
                "/sitemap-documents.xml", "/xxgk/documents/", "/xxgk/", "/", f"/xxgk/org/{document.organisation_id}/",
                "/xxgk/normative/", "/xxgk/rules/"):
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        assert f"隐藏的信息-{state}" not in text, url
        assert f"/xxgk/documents/{document.pk}/" not in text, url
    assert "关于户籍业务跨省通办的公告" in client.get("/xxgk/feed/").content.decode()


def test_feeds_list_newly_published_proactive_documents(client, public_document, gongan, jiaoyu):
    rss = ET.fromstring(client.get("/xxgk/feed/").content)
    titles = [item.findtext("title") for item in rss.iter("item")]
    assert titles == ["关于户籍业务跨省通办的公告"]
    assert client.get(f"/xxgk/feed/org/{jiaoyu.pk}/").content.decode().count("<item>") == 0
    atom = client.get(f"/xxgk/feed/org/{gongan.pk}/atom/")
    assert atom.status_code == 200 and "关于户籍业务跨省通办的公告" in atom.content.decode()


def test_sitemap_lists_public_documents_only(client, public_document, draft):
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-documents.xml" in index
    content = client.get("/sitemap-documents.xml").content.decode()
    assert f"/xxgk/documents/{public_document.pk}/" in content
    assert f"/xxgk/documents/{draft.pk}/" not in content


def test_column_shows_its_four_parts_with_content(client, gongan, gongan_clerk, publish, county_office, django_assert_max_num_queries):
    Guide.objects.create(organisation=gongan, body="<p>指南</p>")
    publish(make_document(gongan, gongan_clerk, title="青禾县公安局政府信息公开保密审查办法", is_disclosure_rule=True))
    publish(make_document(gongan, gongan_clerk, title="青禾县公安局2025年政府信息公开工作年度报告", genre="annual_report"))
    with django_assert_max_num_queries(8):
        response = client.get("/xxgk/")
    content = response.content.decode()
    assert "<h1>政府信息公开</h1>" in content
    for part, text in [("政府信息公开指南", "青禾县公安局政府信息公开指南"), ("政府信息公开制度", "保密审查办法"),
                       ("法定主动公开内容", "最新公开"), ("政府信息公开工作年度报告", "2025年政府信息公开工作年度报告")]:
        assert part in content and text in content


def test_guide_page_shows_contacts_and_text(client, gongan):
    Guide.objects.create(organisation=gongan, body="<h2>一、主动公开</h2><script>x()</script>")
    content = client.get(f"/xxgk/guide/{gongan.pk}/").content.decode()
    assert "0539-7900110" in content and "<h2>一、主动公开</h2>" in content and "<script>" not in content


def test_normative_library_filters_by_validity(client, gongan, gongan_clerk, publish):
    valid = publish(make_document(gongan, gongan_clerk, title="现行办法", is_normative=True))
    old = publish(make_document(gongan, gongan_clerk, title="废止办法", is_normative=True))
    publish(make_document(gongan, gongan_clerk, title="普通通知"))
    workflow.change_validity(old, by=gongan_clerk, validity="repealed", replaced_by=valid)
    content = client.get("/xxgk/normative/").content.decode()
    assert "现行办法" in content and "废止办法" in content and "普通通知" not in content
    content = client.get("/xxgk/normative/", {"validity": "valid"}).content.decode()
    assert "现行办法" in content and "废止办法" not in content
    content = client.get("/xxgk/normative/", {"q": "废止"}).content.decode()
    assert "废止办法" in content and "现行办法" not in content


def test_bad_filter_values_get_a_chinese_400(client, db):
    response = client.get("/xxgk/documents/", {"validity": "maybe", "year": "abc"})
    assert response.status_code == 400
    assert "筛选条件有误" in response.content.decode()


def test_lists_paginate_by_keyset_with_constant_queries(client, gongan, gongan_clerk, publish, django_assert_max_num_queries):
    for n in range(25):
        document = make_document(gongan, gongan_clerk, title=f"通知第{n:02d}号")
        workflow.submit(document, by=gongan_clerk)
        workflow.publish(document, by=gongan_clerk.__class__.objects.get(username="gongan_reviewer"),
                         on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    with django_assert_max_num_queries(4):
        first = client.get("/xxgk/documents/")
    content = first.content.decode()
    assert "通知第24号" in content and "通知第05号" in content and "通知第04号" not in content
    next_link = content.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    with django_assert_max_num_queries(4):
        second = client.get("/xxgk/documents/" + next_link)
    assert "通知第04号" in second.content.decode() and "通知第05号" not in second.content.decode()
    for n in range(10):
        publish(make_document(gongan, gongan_clerk, title=f"更多{n}", topic=make_topic(f"05{n:02d}", f"子主题{n}")))
    with django_assert_max_num_queries(4):
        client.get("/xxgk/documents/")
    with django_assert_max_num_queries(5):  # plus looking up the chosen organisation
        client.get("/xxgk/documents/", {"organisation": gongan.pk})


def test_catalogue_item_page_lists_its_documents(client, gongan, gongan_clerk, publish):
    from catalog.models import Catalogue, CatalogueItem
    from tests.factories import ELEMENTS, make_domain

    catalogue = Catalogue.objects.create(organisation=gongan, domain=make_domain(), state="published")
    item = CatalogueItem.objects.create(catalogue=catalogue, name="出生登记", **ELEMENTS)
    publish(make_document(gongan, gongan_clerk, title="出生登记办事指南", catalogue_item=item))
    content = client.get(f"/xxgk/catalogue/item/{item.key}/").content.decode()
    assert "出生登记办事指南" in content


def test_gazette_issue_has_a_table_of_contents_and_its_pdf(client, public_document, draft):
    issue = GazetteIssue(year=2026, number=1, publish_date=datetime.date(2026, 6, 30), is_published=True)
    issue.pdf.save("g.pdf", ContentFile(b"%PDF-1.4 gazette"), save=False)
    issue.save()
    GazetteEntry.objects.create(issue=issue, document=public_document, position=1, page=3)
    GazetteEntry.objects.create(issue=issue, document=draft, position=2)
    assert "2026年第1期" in client.get("/xxgk/gazette/").content.decode()
    content = client.get(f"/xxgk/gazette/{issue.pk}/").content.decode()
    assert "关于户籍业务跨省通办的公告" in content and "第3页" in content and draft.title not in content
    pdf = client.get(f"/xxgk/gazette/{issue.pk}/pdf/?view=1")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline")


def test_unpublished_gazette_is_404(client, db):
    issue = GazetteIssue(year=2026, number=2, publish_date=datetime.date(2026, 9, 30), is_published=False)
    issue.pdf.save("g.pdf", ContentFile(b"%PDF-1.4"), save=False)
    issue.save()
    assert client.get(f"/xxgk/gazette/{issue.pk}/").status_code == 404
    assert client.get(f"/xxgk/gazette/{issue.pk}/pdf/").status_code == 404


def test_topic_filter_includes_sub_topics(client, gongan, gongan_clerk, publish):
    publish(make_document(gongan, gongan_clerk, title="政务公开要点"))
    assert "政务公开要点" in client.get("/xxgk/documents/", {"topic": "01"}).content.decode()
    assert "政务公开要点" not in client.get("/xxgk/documents/", {"topic": "0103", "genre": "decision"}).content.decode()


def test_organisation_page_lists_its_documents_and_catalogues(client, public_document, gongan, county):
    other = make_organisation("青禾县水利局", parent=county)
    content = client.get(f"/xxgk/org/{gongan.pk}/").content.decode()
    assert "关于户籍业务跨省通办的公告" in content
    assert "关于户籍业务跨省通办的公告" not in client.get(f"/xxgk/org/{other.pk}/").content.decode()
