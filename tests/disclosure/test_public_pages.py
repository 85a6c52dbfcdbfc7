"""Public pages of village and residents' committees, and HEAD wherever GET is answered."""

import datetime
import http.client
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.utils.html import strip_tags

from catalog.models import Catalogue, CatalogueItem
from disclosure.models import Attachment, GazetteEntry, GazetteIssue, Guide
from portal.models import Organisation
from tests.factories import ELEMENTS, make_credit_code, make_document, make_domain, make_organisation, make_staff, publish_document


@pytest.fixture
def town(county):
    return make_organisation("柳河镇人民政府", kind=Organisation.Kind.TOWNSHIP, parent=county, short_name="柳河镇",
                             phone="0539-7900031")


@pytest.fixture
def village(town):
    return make_organisation("柳河村民委员会", kind=Organisation.Kind.VILLAGE, parent=town, credit_code="",
                             is_disclosure_body=False, phone="0539-7900032")


@pytest.fixture
def town_clerk(town):
    return make_staff("town_clerk", town, "clerk")


@pytest.fixture
def town_reviewer(town):
    return make_staff("town_reviewer", town, "reviewer")


def publish_for(organisation, clerk, reviewer, title):
    return publish_document(make_document(organisation, clerk, title=title), clerk, reviewer)


def published_catalogue(organisation, domain):
    catalogue = Catalogue.objects.create(organisation=organisation, domain=domain, state=Catalogue.State.PUBLISHED)
    CatalogueItem.objects.create(catalogue=catalogue, name="低保对象认定", **ELEMENTS)
    return catalogue


def test_village_page_shows_its_townships_catalogue_and_documents_and_says_so(
    client, town, village, town_clerk, town_reviewer, django_assert_max_num_queries
):
    published_catalogue(town, make_domain("社会救助", "social-assistance", 20))
    publish_for(town, town_clerk, town_reviewer, "柳河镇2026年第一季度低保对象公示")
    with django_assert_max_num_queries(6):
        response = client.get(f"/xxgk/org/{village.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>柳河村民委员会</h1>" in content
    assert "柳河镇2026年第一季度低保对象公示" in content
    assert "社会救助领域基层政务公开标准目录" in content
    assert f'href="/xxgk/catalogue/social-assistance/{town.pk}/"' in content
    text = strip_tags(content)
    assert "本村（居）民委员会暂无单独公开的政府信息，以下为所属柳河镇人民政府公开的信息" in text
    assert "本村（居）民委员会暂无单独编制的标准目录，以下为所属柳河镇人民政府的标准目录" in text
    assert f'href="/xxgk/org/{town.pk}/"' in content
    assert "0539-7900032" in content


def test_village_page_shows_its_own_catalogue_and_documents_when_it_has_them(client, town, village, town_clerk,
                                                                          town_reviewer):
    village.credit_code = make_credit_code()
    village.save()
    village_clerk = make_staff("village_clerk", village, "clerk")
    village_reviewer = make_staff("village_reviewer", village, "reviewer")
    domain = make_domain("社会救助", "social-assistance", 20)
    published_catalogue(town, domain)
    published_catalogue(village, make_domain("涉农补贴", "agri-subsidies", 23))
    publish_for(town, town_clerk, town_reviewer, "柳河镇2026年第一季度低保对象公示")
    publish_for(village, village_clerk, village_reviewer, "柳河村2026年村务公开")
    content = client.get(f"/xxgk/org/{village.pk}/").content.decode()
    assert "柳河村2026年村务公开" in content and "柳河镇2026年第一季度低保对象公示" not in content
    assert f'href="/xxgk/catalogue/agri-subsidies/{village.pk}/"' in content
    assert "社会救助领域" not in content
    assert "暂无单独" not in content


def test_residents_committee_has_a_page_too(client, county):
    street = make_organisation("城关街道办事处", kind=Organisation.Kind.SUBDISTRICT, parent=county)
    committee = make_organisation("北关社区居民委员会", kind=Organisation.Kind.RESIDENTS, parent=street, credit_code="",
                                  is_disclosure_body=False)
    response = client.get(f"/xxgk/org/{committee.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "北关社区居民委员会" in content and f'href="/xxgk/org/{street.pk}/"' in content


def test_village_page_says_when_neither_it_nor_its_township_has_published(client, town, village):
    text = strip_tags(client.get(f"/xxgk/org/{village.pk}/").content.decode())
    assert "本村（居）民委员会及所属柳河镇人民政府暂无主动公开的政府信息" in text
    assert "本村（居）民委员会及所属柳河镇人民政府暂无已发布的标准目录" in text


def test_township_page_links_to_its_villages(client, town, village):
    assert f'href="/xxgk/org/{village.pk}/"' in client.get(f"/xxgk/org/{town.pk}/").content.decode()


def test_unknown_or_internal_organisation_is_404(client, county):
    assert client.get("/xxgk/org/999999/").status_code == 404
    internal = make_organisation("青禾县机关事务服务中心", parent=county, is_disclosure_body=False)
    assert client.get(f"/xxgk/org/{internal.pk}/").status_code == 404


def test_village_page_never_shows_non_public_documents(client, town, village, town_clerk, town_reviewer):
    publish_for(town, town_clerk, town_reviewer, "柳河镇公开的通知")
    make_document(town, town_clerk, title="柳河镇的草稿")
    withheld = make_document(town, town_clerk, title="柳河镇不予公开的信息", attribute="withheld")
    publish_document(withheld, town_clerk, town_reviewer)
    content = client.get(f"/xxgk/org/{village.pk}/").content.decode()
    assert "柳河镇公开的通知" in content
    assert "柳河镇的草稿" not in content and "柳河镇不予公开的信息" not in content


# ------------------------------------------------------------------ HEAD is answered wherever GET is


@pytest.fixture
def head_site(gongan, gongan_clerk, gongan_reviewer, town, village):
    document = make_document(gongan, gongan_clerk, title="关于户籍业务跨省通办的公告")
    data = b"%PDF-1.4 demo"
    attachment = Attachment.objects.create(document=document, file=ContentFile(data, name="x.pdf"),
                                           original_name="附件一.pdf", kind="pdf", size=len(data))
    publish_document(document, gongan_clerk, gongan_reviewer)
    issue = GazetteIssue(year=2026, number=1, publish_date=datetime.date(2026, 6, 30), is_published=True)
    issue.pdf.save("g.pdf", ContentFile(b"%PDF-1.4 gazette"), save=False)
    issue.save()
    GazetteEntry.objects.create(issue=issue, document=document, position=1)
    Guide.objects.create(organisation=gongan, body="<p>指南</p>")
    catalogue = published_catalogue(gongan, make_domain())
    return {"org": gongan.pk, "village": village.pk, "document": document.pk, "attachment": attachment.pk,
            "issue": issue.pk, "item": catalogue.items.get().key}


PUBLIC_URLS = [
    "/", "/search/?q=户籍", "/xxgk/", "/xxgk/org/{org}/", "/xxgk/org/{village}/", "/xxgk/guide/", "/xxgk/guide/{org}/",
    "/xxgk/rules/", "/xxgk/reports/", "/xxgk/documents/", "/xxgk/documents/{document}/",
    "/xxgk/documents/{document}/attachments/{attachment}/", "/xxgk/documents/{document}/attachments/{attachment}/?view=1",
    "/xxgk/normative/", "/xxgk/topics/", "/xxgk/gazette/", "/xxgk/gazette/{issue}/", "/xxgk/gazette/{issue}/pdf/",
    "/xxgk/feed/", "/xxgk/feed/atom/", "/xxgk/feed/org/{org}/", "/xxgk/feed/org/{org}/atom/",
    "/sitemap.xml", "/sitemap-column.xml", "/sitemap-catalogues.xml", "/sitemap-documents.xml",
    "/xxgk/catalogue/", "/xxgk/catalogue/household-registration/", "/xxgk/catalogue/household-registration/{org}/",
    "/xxgk/catalogue/household-registration/{org}/export.xlsx", "/xxgk/catalogue/item/{item}/",
    "/xxgk/apply/", "/xxgk/apply/status/", "/healthz",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_head_is_answered_like_get_without_a_body(client, head_site, url):
    address = url.format(**head_site)
    get = client.get(address)
    head = client.head(address)
    assert get.status_code == 200, address
    assert head.status_code == 200, address
    assert (b"".join(head.streaming_content) if head.streaming else head.content) == b""
    assert head["Content-Type"] == get["Content-Type"]
    if get.has_header("Content-Disposition"):
        assert head["Content-Disposition"] == get["Content-Disposition"]
    get.close()


def test_head_on_an_attachment_through_the_real_server_has_headers_and_no_body(live_server, head_site):
    """The test client strips HEAD bodies itself; ask the live server over HTTP too."""
    url = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    connection.request("HEAD", f"/xxgk/documents/{head_site['document']}/attachments/{head_site['attachment']}/")
    response = connection.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Length") == str(len(b"%PDF-1.4 demo"))
    assert "attachment" in response.getheader("Content-Disposition")
    assert response.read() == b""
    connection.close()
