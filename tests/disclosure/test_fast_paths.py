"""The uncached list pages, the document page and the API list skip Django's slow paths (models per
row, the template engine per row, a serializer per field): they must still show exactly what the slow
paths showed, and within their query budgets."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test import RequestFactory

from catalog.models import CatalogueItem
from disclosure import workflow
from disclosure.api import DocumentSerializer
from disclosure.models import Attachment, Document
from disclosure.selectors import public_listing
from portal.models import Organisation
from tests.factories import make_credit_code, make_document, make_domain, make_guideline, make_published_catalogue, publish_document


@pytest.fixture
def catalogue(gongan, gongan_clerk, gongan_reviewer, county_reviewer):
    domain = make_domain()
    make_guideline(domain)
    return make_published_catalogue(gongan, domain, clerk=gongan_clerk, reviewer=gongan_reviewer, county_reviewer=county_reviewer)


@pytest.fixture
def full(gongan, gongan_clerk, gongan_reviewer, catalogue):
    """A public document with every optional field and relation filled: a 二级事项, a replacing document,
    interpretations both ways, a replaced document and an attachment."""
    publish = lambda document: publish_document(document, gongan_clerk, gongan_reviewer)  # noqa: E731
    newer = publish(make_document(gongan, gongan_clerk, title="关于户籍管理的新规定"))
    document = publish(make_document(
        gongan, gongan_clerk, title="关于办理出生登记的公告", document_number="青公发〔2026〕3号",
        catalogue_item=catalogue.items.get(name="出生登记"), genre="announcement", is_normative=True,
        written_date=datetime.date(2026, 1, 10), body="<p>出生登记须知</p>", validity="repealed", replaced_by=newer,
    ))
    reading = publish(make_document(gongan, gongan_clerk, title="《出生登记公告》解读", genre="interpretation"))
    reading.interpretations.add(document)
    document.interpretations.add(newer)
    publish(make_document(gongan, gongan_clerk, title="关于出生登记的旧公告", validity="repealed", replaced_by=document))
    Attachment.objects.create(
        document=document, file=ContentFile(b"%PDF-1.4 demo", name="x.pdf"), original_name="附件一.pdf", kind="pdf", size=13,
    )
    return document


def serialised(document, request):
    """What DocumentSerializer, the API's described list item, gives for `document`."""
    fresh = public_listing().select_related("catalogue_item__catalogue__domain", "topic__parent").get(pk=document.pk)
    return DocumentSerializer(fresh, context={"request": request}).data


def test_api_list_items_are_what_the_document_serializer_gives(client, full, gongan, gongan_clerk, gongan_reviewer):
    bare = publish_document(make_document(gongan, gongan_clerk, title="无文号的通知"), gongan_clerk, gongan_reviewer)
    assert bare.catalogue_item_id is None and not bare.document_number
    response = client.get("/api/v1/documents/")
    assert response.status_code == 200
    listed = {item["id"]: item for item in response.json()["results"]}
    request = RequestFactory().get("/api/v1/documents/")
    for document in (full, bare):
        expected = serialised(document, request)
        assert listed[document.pk] == expected
        assert list(listed[document.pk]) == list(DocumentSerializer.Meta.fields)
    assert listed[full.pk]["catalogue_item"] and listed[full.pk]["domain"] and "／" in listed[full.pk]["topic_name"]


def test_api_list_pages_compiled_or_filtered_are_what_the_document_serializer_gives(client, full, gongan, gongan_clerk, gongan_reviewer):
    """The list without filters (compiled once, selectors.listing_page) page by page through its cursor,
    and filtered (the ORM's), give the same items as the serializer, in the listing's order."""
    for n in range(4):
        publish_document(make_document(gongan, gongan_clerk, title=f"第{n}号通知"), gongan_clerk, gongan_reviewer)
    request = RequestFactory().get("/api/v1/documents/")
    expected = [serialised(document, request) for document in public_listing()]
    for first in ("/api/v1/documents/?page_size=2", f"/api/v1/documents/?page_size=2&organisation={gongan.pk}"):
        listed, url = [], first
        while url:
            body = client.get(url).json()
            assert len(body["results"]) <= 2
            listed += body["results"]
            url = body["next"]
        assert listed == expected, first
    # The validity filter keeps the two repealed documents, in the same order.
    filtered = client.get("/api/v1/documents/?validity=repealed").json()["results"]
    assert filtered == [item for item in expected if item["validity"] == "repealed"] and len(filtered) == 2


def test_api_list_without_filters_compiles_no_sql_after_its_first_requests(
    client, full, gongan, gongan_clerk, gongan_reviewer, monkeypatch, django_assert_num_queries
):
    for n in range(3):
        publish_document(make_document(gongan, gongan_clerk, title=f"第{n}号通知"), gongan_clerk, gongan_reviewer)
    first = client.get("/api/v1/documents/?page_size=2").json()
    second = client.get(first["next"]).json()  # the cursor's shape, compiled now
    compiled = []
    compile_sql = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(self.query.model) or compile_sql(self, *a, **k))
    assert client.get("/api/v1/documents/?page_size=2").json() == first
    third = client.get(second["next"]).json()
    # The documents' query is never compiled again; the third page names a catalogue item the first
    # two did not (the full document's), read once.
    assert compiled == [CatalogueItem]
    assert full.pk in [item["id"] for item in third["results"]] and {item["id"] for item in third["results"]}.isdisjoint(
        {item["id"] for item in first["results"] + second["results"]}
    )
    with django_assert_num_queries(1):
        assert client.get(second["next"]).json() == third
    assert compiled == [CatalogueItem]


def test_catalogue_items_past_the_bound_are_shown_and_read_again(client, full, monkeypatch, django_assert_num_queries):
    import disclosure.selectors

    monkeypatch.setattr(disclosure.selectors, "MAX_ITEM_KEYS", 0)
    first = client.get("/api/v1/documents/?page_size=20").json()
    assert [item["catalogue_item"] for item in first["results"] if item["id"] == full.pk] == [str(full.catalogue_item.key)]
    with django_assert_num_queries(2):  # the documents, and the items again: none was kept
        assert client.get("/api/v1/documents/?page_size=20").json() == first


def test_api_list_with_and_without_filters_costs_at_most_three_queries(client, full, django_assert_max_num_queries):
    for url in ("/api/v1/documents/", f"/api/v1/documents/?organisation={full.organisation_id}&validity=repealed"):
        with django_assert_max_num_queries(3):
            response = client.get(url)
        assert full.pk in [item["id"] for item in response.json()["results"]], url


def test_document_page_with_every_relation_shown_runs_four_queries(client, full, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(f"/xxgk/documents/{full.pk}/")
    # The organisations' and topics' names were read by the first page of this public generation (this one).
    with django_assert_max_num_queries(3):
        assert client.get(f"/xxgk/documents/{full.pk}/?again=1").content == response.content
    page = response.content.decode()
    for shown in (
        "青禾县公安局", "综合政务／政务公开", "2026年1月10日", "青公发〔2026〕3号", "已废止", "关于户籍管理的新规定", "公告",
        "出生登记须知", "附件一.pdf", "在线阅读", "解读：", "《出生登记公告》解读", "解读的文件：", "本文件替代：",
        "关于出生登记的旧公告", "户籍管理 › 户口登记 › 出生登记", "（此件公开发布）",
    ):
        assert shown in page, shown


def test_later_list_page_shows_the_rows_and_blank_form_of_page_one(client, full, django_assert_max_num_queries):
    page_one = client.get("/xxgk/documents/?after=").content.decode()
    newest = Document.objects.order_by("-publish_date", "-id").filter(pk__in=public_listing().values("pk")).first()
    cursor = f"{newest.publish_date.isoformat()}_{newest.pk + 1}"
    with django_assert_max_num_queries(4):
        later = client.get(f"/xxgk/documents/?after={cursor}").content.decode()
    assert later.count("<tr>") == page_one.count("<tr>")
    assert later[later.index("<form method=\"get\" class=\"filter-form\""):later.index("</form>")] == \
        page_one[page_one.index("<form method=\"get\" class=\"filter-form\""):page_one.index("</form>")]
    assert f'<a href="/xxgk/documents/{full.pk}/">关于办理出生登记的公告</a>' in later


def test_list_rows_escape_titles_and_numbers_as_the_template_engine_would(client, gongan, gongan_clerk, gongan_reviewer):
    from django.utils.html import escape

    title, number = '关于<script>alert("x")</script>&“整治”的通知', "青公发〔2026〕<b>4</b>号&'"
    document = publish_document(
        make_document(gongan, gongan_clerk, title=title, document_number=number, validity="repealed", is_normative=True),
        gongan_clerk, gongan_reviewer,
    )
    for url in ("/xxgk/documents/?after=", "/xxgk/normative/?after="):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<b>4</b>" not in page, url
        assert f'<a href="/xxgk/documents/{document.pk}/">{escape(title)}</a>' in page, url
        assert f'<td data-label="文号">{escape(number)}</td>' in page, url
    assert '<td data-label="有效性" class="nowrap validity-repealed">已废止</td>' in page


def test_names_are_read_again_for_an_organisation_committed_since_they_were_read(client, full, gongan):
    """Another process commits an organisation and a document under it, and this process has not yet
    seen the generation they bumped: its names lack the organisation, so they are read again. Both
    rows go in by SQL here, as another process's commit would, without this process's signals."""
    assert "县公安局" in client.get("/xxgk/documents/?after=").content.decode()  # the names are read
    table = Organisation._meta.db_table
    columns = [f.column for f in Organisation._meta.concrete_fields if f.column not in ("id", "name", "short_name", "credit_code")]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, short_name, credit_code, {', '.join(columns)}) "
            f"SELECT %s, %s, %s, {', '.join(columns)} FROM {table} WHERE id = %s",
            ["青禾县数据资源局", "县数据局", make_credit_code(), gongan.pk],
        )
    moved = Organisation.objects.get(name="青禾县数据资源局")
    Document.objects.filter(pk=full.pk).update(organisation=moved)  # no signal, no new generation
    page = client.get(f"/xxgk/documents/{full.pk}/?after=").content.decode()
    assert "青禾县数据资源局" in page
    assert "县数据局" in client.get("/xxgk/documents/?after=").content.decode()
    assert "青禾县数据资源局" in [item["organisation_name"] for item in client.get("/api/v1/documents/?page_size=20").json()["results"]]


@pytest.mark.parametrize("path, template, context, listed", [
    ("/xxgk/documents/", "disclosure/document_list.html", {"heading": "法定主动公开内容"}, public_listing),
    ("/xxgk/normative/", "disclosure/normative_list.html", {"heading": "行政规范性文件库", "show_validity": True},
     lambda: public_listing().filter(is_normative=True)),
])
def test_a_list_without_filters_is_the_page_its_template_renders_whole(
    client, full, path, template, context, listed, gongan_clerk
):
    """Its shell is rendered once per public generation and each request's table and pager spliced
    in (disclosure.views._filtered_list): the same bytes as the template rendered whole, for page 1
    and a later page."""
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    from disclosure.selectors import table_page
    from disclosure.views import LIST_SLOT

    def whole(cursor):
        request = RequestFactory().get(path, {"after": cursor})
        request.user = AnonymousUser()
        page = table_page(listed(), cursor)
        return render_to_string(template, {**context, "filterset": None, "page": page, "query_string": ""}, request)

    newest = listed().first()
    for cursor in ("", f"{newest.publish_date.isoformat()}_{newest.pk}"):
        assert client.get(path, {"after": cursor}).content.decode() == whole(cursor), cursor
    assert LIST_SLOT not in client.get(path, {"after": ""}).content.decode()
    client.force_login(gongan_clerk)  # rendered whole for staff: the shell is made of anonymous requests only
    assert client.get(path, {"after": ""}).content.decode() == whole("")


def test_a_document_page_is_the_page_its_template_renders_whole(client, full, gongan, gongan_clerk, gongan_reviewer):
    """Its shell is rendered once per public generation and each document's title and article spliced
    in (disclosure.views.document_detail): the same bytes as the page rendered whole for a member of
    staff, for documents with and without relations, and a title the template must escape."""
    bare = publish_document(
        make_document(gongan, gongan_clerk, title='关于<script>alert("&")</script>的<b>通知</b>'), gongan_clerk, gongan_reviewer
    )
    pages = [full, full.replaced_by, full.replaces.get(), bare]
    anonymous = [client.get(f"/xxgk/documents/{document.pk}/?uncached=1").content.decode() for document in pages]
    client.force_login(gongan_clerk)  # rendered whole for staff: the shell is made of anonymous requests only
    staff = [client.get(f"/xxgk/documents/{document.pk}/?uncached=1").content.decode() for document in pages]
    assert anonymous == staff
    assert len(set(anonymous)) == len(pages)
    title = "<title>关于&lt;script&gt;alert(&quot;&amp;&quot;)&lt;/script&gt;的&lt;b&gt;通知&lt;/b&gt; - "
    assert title in anonymous[-1] and "<script>alert" not in anonymous[-1]
    assert "<!-- the document" not in "".join(anonymous)


def test_document_page_compiles_no_sql_after_its_first_request(client, full, monkeypatch):
    # Warmed with a replaced document and one without a replacement (the related query's two shapes).
    first = client.get(f"/xxgk/documents/{full.pk}/?uncached=1").content
    client.get(f"/xxgk/documents/{full.replaced_by_id}/?uncached=1")
    others = [full.interpreted_documents.get().pk, full.replaces.get().pk]  # ids the queries had not run with
    compiled = []
    compile_sql = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(self.query.model) or compile_sql(self, *a, **k))
    pages = [client.get(f"/xxgk/documents/{pk}/?uncached=1").content.decode() for pk in others]
    assert compiled == []
    assert "《出生登记公告》解读" in pages[0] and "关于出生登记的旧公告" in pages[1] and "关于办理出生登记的公告" in pages[1]
    assert client.get(f"/xxgk/documents/{full.pk}/?uncached=1").content == first


def test_a_document_page_run_many_times_is_404_the_moment_the_document_is_withdrawn(client, full, gongan_clerk):
    # Six times: past psycopg's threshold, PostgreSQL runs the page's queries as prepared statements.
    for _ in range(6):
        assert client.get(f"/xxgk/documents/{full.pk}/?uncached=1").status_code == 200
    workflow.withdraw(full, by=gongan_clerk, note="内容有误")
    assert client.get(f"/xxgk/documents/{full.pk}/?uncached=1").status_code == 404
    assert client.get(f"/xxgk/documents/{full.pk}/").status_code == 404
    replaced = full.replaces.get()
    assert "关于办理出生登记的公告" not in client.get(f"/xxgk/documents/{replaced.pk}/?uncached=1").content.decode()
