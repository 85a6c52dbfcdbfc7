"""The search index itself: what enters it, when it leaves, and that a rebuild writes what the
workflows wrote one by one."""

import datetime
import io

import docx
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from disclosure import workflow
from disclosure.models import Attachment
from portal import search
from portal.models import SearchEntry
from tests.factories import (
    make_document, make_domain, make_guideline, make_published_catalogue, make_topic, publish_document,
)


def index_contents():
    """Every entry with its words exactly as the database holds them."""
    rows = {}
    for entry in SearchEntry.objects.order_by("kind", "object_id"):
        rows[(entry.kind, entry.object_id)] = (
            entry.title, entry.document_number, entry.url, entry.text, entry.organisation_id, entry.topic_path,
            entry.date, entry.validity,
        )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT kind, object_id, vector::text || ' | ' || title_vector::text FROM portal_searchentry")
        else:
            cursor.execute(
                "SELECT e.kind, e.object_id, f.title || ' | ' || f.body FROM portal_search_fts f"
                " JOIN portal_searchentry e ON e.id = f.rowid"
            )
        words = {(kind, object_id): text for kind, object_id, text in cursor.fetchall()}
    return rows, words


@pytest.fixture
def published_county(gongan, gongan_clerk, gongan_reviewer, county_reviewer):
    """Documents in every state, a published catalogue, all through the workflows."""
    make_published_catalogue(
        gongan, make_domain_with_guideline(), clerk=gongan_clerk, reviewer=gongan_reviewer, county_reviewer=county_reviewer
    )
    topic = make_topic("1901", "社会救助")
    for n in range(5):
        publish_document(
            make_document(
                gongan, gongan_clerk, title=f"关于第{n}批城乡低保金发放的公示", topic=topic,
                document_number=f"青公发〔2026〕{n + 1}号", body=f"<p>为进一步明确责任分工，第{n}批名单如下。</p>",
            ),
            gongan_clerk, gongan_reviewer, on=datetime.date(2026, 2, n + 1),
        )
    make_document(gongan, gongan_clerk, title="低保草稿")
    publish_document(make_document(gongan, gongan_clerk, title="低保不予公开", attribute="withheld"), gongan_clerk, gongan_reviewer)
    withdrawn = publish_document(make_document(gongan, gongan_clerk, title="低保已撤回"), gongan_clerk, gongan_reviewer)
    workflow.withdraw(withdrawn, by=gongan_reviewer, note="重复发布")


def make_domain_with_guideline():
    domain = make_domain()
    make_guideline(domain)
    return domain


@pytest.mark.parametrize("workers", [1, 2])
def test_rebuild_writes_exactly_what_incremental_indexing_wrote(published_county, workers):
    before = index_contents()
    assert len([key for key in before[0] if key[0] == "document"]) == 5
    total = search.rebuild(workers=workers, batch_size=2)
    assert index_contents() == before
    assert total == len(before[0])


def test_rebuild_command_reports_in_chinese(published_county):
    out = io.StringIO()
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", "--workers", "1", stdout=out)
    assert "搜索索引已重建" in out.getvalue()
    assert SearchEntry.objects.filter(kind="document").count() == 5


def test_only_public_information_enters_the_index(published_county):
    titles = set(SearchEntry.objects.filter(kind="document").values_list("title", flat=True))
    assert titles == {f"关于第{n}批城乡低保金发放的公示" for n in range(5)}


def test_a_withdrawn_document_leaves_the_index_inside_its_step(published_county, gongan_reviewer):
    document = SearchEntry.objects.filter(kind="document").first()
    from disclosure.models import Document

    workflow.withdraw(Document.objects.get(pk=document.object_id), by=gongan_reviewer, note="数据有误")
    assert not SearchEntry.objects.filter(kind="document", object_id=document.object_id).exists()
    assert search.candidates(search.parse([document.title]).tokens) != []  # the others stay
    assert document.pk not in [row[0] for row in search.candidates(["低保"])]


def test_a_validity_change_is_in_the_index_at_once(published_county, gongan_clerk):
    from disclosure.models import Document

    document = Document.objects.filter(status="published", attribute="proactive").first()
    workflow.change_validity(document, by=gongan_clerk, validity="repealed")
    assert SearchEntry.objects.get(kind="document", object_id=document.pk).validity == "repealed"


def test_a_superseded_catalogue_s_items_leave_and_the_new_version_s_come_in(
    gongan, gongan_clerk, gongan_reviewer, county_reviewer
):
    from catalog import workflow as catalog_workflow

    catalogue = make_published_catalogue(
        gongan, make_domain_with_guideline(), clerk=gongan_clerk, reviewer=gongan_reviewer, county_reviewer=county_reviewer
    )
    old_items = set(catalogue.items.values_list("pk", flat=True))
    draft = catalog_workflow.start_revision(catalogue, by=gongan_clerk)
    draft.items.filter(name="出生登记").update(name="新生儿出生登记")
    assert set(SearchEntry.objects.filter(kind="item").values_list("object_id", flat=True)) == old_items
    catalog_workflow.submit(draft, by=gongan_clerk)
    catalog_workflow.first_review(draft, by=gongan_reviewer)
    catalog_workflow.approve(draft, by=county_reviewer)
    indexed = set(SearchEntry.objects.filter(kind="item").values_list("object_id", flat=True))
    assert indexed == set(draft.items.values_list("pk", flat=True))
    assert "新生儿出生登记" in SearchEntry.objects.filter(kind="item").values_list("title", flat=True)


def test_attachment_text_is_searchable(gongan, gongan_clerk, gongan_reviewer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = make_document(gongan, gongan_clerk, title="关于公布救助名单的通知")
    word = docx.Document()
    word.add_paragraph("附件：临时救助对象花名册，宅基地审批结果。")
    out = io.BytesIO()
    word.save(out)
    Attachment.objects.create(
        document=document, file=ContentFile(out.getvalue(), name="x.docx"), original_name="名单.docx", kind="docx",
        size=len(out.getvalue()),
    )
    publish_document(document, gongan_clerk, gongan_reviewer)
    assert [row[0] for row in search.candidates(search.parse(["宅基地"]).tokens)] == [
        SearchEntry.objects.get(kind="document").pk
    ]


def test_query_and_index_cut_the_same_way():
    # The words a query needs are among the words its own text is indexed under, whatever the text.
    for text in ["明确责任分工", "城乡低保金", "重大建设项目计划", "农村危房改造", "征地补偿安置方案", "居民身份证申领"]:
        assert set(search.parse([text]).tokens) <= set(search.words(text)), text
    assert search.document_number_word("青政发（２０２５）8号") == search.document_number_word("青政发〔2025〕8号") != ""
    assert search.dictionary_words() == sorted(set(search.dictionary_words()))
    assert "农村危房改造" in search.dictionary_words()
