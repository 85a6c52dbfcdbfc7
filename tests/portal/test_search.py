"""The search page /search/: real Chinese queries over public information, on both databases."""

import datetime
import re

import pytest

from disclosure import workflow
from portal import search
from tests.factories import make_document, make_organisation, make_topic, publish_document

BODY = "<p>各乡镇人民政府、县直各部门：为进一步明确责任分工，切实做好有关工作，现将有关事项通知如下。</p>"


@pytest.fixture(autouse=True)
def fresh_options():
    # The filters' option lists are cached for minutes; each test makes its own organisations and topics.
    from django.core.cache import cache

    cache.delete(search.OPTIONS_CACHE_KEY)


@pytest.fixture
def publish(gongan_clerk, gongan_reviewer):
    def publish(document, on=None):
        return publish_document(document, gongan_clerk, gongan_reviewer, on=on)

    return publish


@pytest.fixture
def doc(gongan, gongan_clerk, publish):
    """Publish a 县公安局 document now (or `on` a day)."""

    def doc(title, body=BODY, on=None, **fields):
        return publish(make_document(gongan, gongan_clerk, title=title, body=body, **fields), on=on)

    return doc


def found(client, **params):
    """The result titles of a search, as a person reads them (highlighting removed)."""
    content = client.get("/search/", params).content.decode()
    return [re.sub(r"<[^>]+>", "", title) for title in re.findall(r'class="search-result-title">.*?<a href="[^"]+">(.*?)</a>', content)]


def test_two_character_words_are_found_in_titles_and_bodies(client, doc):
    doc("关于发放2026年城乡低保金的公示")
    doc("医保个人账户使用范围说明", body="<p>职工医保门诊共济保障。</p>")
    doc("建设项目公告", body="<p>集体土地征地补偿安置方案已经批准。</p>")
    doc("交通安全通告")
    assert found(client, q="低保") == ["关于发放2026年城乡低保金的公示"]
    assert found(client, q="医保") == ["医保个人账户使用范围说明"]
    assert found(client, q="征地") == ["建设项目公告"]


def test_phrases_and_words_only_in_the_body_are_found(client, doc):
    doc("关于做好春节期间值班工作的通知")
    doc("交通安全通告", body="<p>请广大驾驶员注意行车安全。</p>")
    assert found(client, q="明确责任") == ["关于做好春节期间值班工作的通知"]
    assert found(client, q="明确责任分工") == ["关于做好春节期间值班工作的通知"]


@pytest.mark.parametrize("typed", ["青政发〔2025〕8号", "青政发[2025]8号", "青政发（2025）8号", "青政发(２０２５)８号", "青政发【2025】8号"])
def test_document_numbers_match_whatever_brackets_and_widths_are_typed(client, doc, typed):
    doc("关于印发农村危房改造实施方案的通知", document_number="青政发〔2025〕8号")
    doc("关于印发另一个方案的通知", document_number="青政发〔2025〕18号")
    assert found(client, q=typed) == ["关于印发农村危房改造实施方案的通知"]


def test_titles_rank_above_bodies(client, doc):
    doc("关于城乡居民养老保险的通知", body="<p>低保对象由政府代缴养老保险费。低保对象名单另行公布。</p>",
        on=datetime.date(2026, 3, 1))
    doc("关于低保资金发放的公示", on=datetime.date(2026, 1, 5))
    assert found(client, q="低保") == ["关于低保资金发放的公示", "关于城乡居民养老保险的通知"]
    # Sorted by date instead, the newer one comes first.
    assert found(client, q="低保", sort="date") == ["关于城乡居民养老保险的通知", "关于低保资金发放的公示"]


def test_newer_ranks_above_older_at_equal_relevance(client, doc):
    doc("2024年低保资金发放公示", on=datetime.date(2024, 6, 1))
    doc("2026年低保资金发放公示", on=datetime.date(2026, 6, 1))
    doc("2025年低保资金发放公示", on=datetime.date(2025, 6, 1))
    assert found(client, q="低保资金") == ["2026年低保资金发放公示", "2025年低保资金发放公示", "2024年低保资金发放公示"]


def test_filters_by_organisation_topic_year_validity_and_kind(client, gongan, county, doc, publish, gongan_clerk):
    minzheng = make_organisation("青禾县民政局", parent=county)
    old = doc("2024年社会救助工作要点", on=datetime.date(2024, 3, 1), topic=make_topic("1901", "社会救助"))
    doc("2026年社会救助工作要点", on=datetime.date(2026, 3, 1))
    workflow.change_validity(old, by=gongan_clerk, validity="expired")
    assert found(client, q="社会救助", year="2024") == ["2024年社会救助工作要点"]
    assert found(client, q="社会救助", **{"from": "2025-01-01", "to": "2026-12-31"}) == ["2026年社会救助工作要点"]
    assert found(client, q="社会救助", topic="19") == ["2024年社会救助工作要点"]  # a top topic finds its sub-topics
    assert found(client, q="社会救助", validity="valid") == ["2026年社会救助工作要点"]
    assert found(client, q="社会救助", organisation=str(minzheng.pk)) == []
    assert len(found(client, q="社会救助", organisation=str(gongan.pk))) == 2
    assert found(client, q="民政局") == ["青禾县民政局"]
    assert found(client, q="民政局", kind="document") == []


def test_search_within_results_shows_every_term_as_a_removable_chip(client, doc):
    doc("户籍业务跨省通办的公告")
    doc("户籍业务办事指南")
    doc("交通安全办事指南")
    response = client.get("/search/", {"q": ["户籍", "指南"]})  # the box's search, then 二次搜索's new term
    content = response.content.decode()
    assert found(client, q=["户籍", "指南"]) == ["户籍业务办事指南"]
    # The box keeps the whole search, so pressing 搜索 again loses nothing.
    assert 'id="q" type="search" name="q" value="户籍 指南"' in content
    chips = dict((term, href) for href, term in re.findall(r'<li><a href="([^"]+)" aria-label="去掉“([^”]+)”">', content))
    assert set(chips) == {"户籍", "指南"}
    without_guide = re.sub(r"</?mark>", "", client.get("/search/" + chips["指南"].replace("&amp;", "&")).content.decode())
    assert "户籍业务跨省通办的公告" in without_guide and "交通安全办事指南" not in without_guide
    assert set(found(client, q="户籍 指南 交通")) == set()


def test_matched_words_are_highlighted_and_the_rest_escaped(client, doc):
    doc("关于<低保>标准调整的通知", body="<p>本县城乡低保标准提高到每人每月800元。&lt;b&gt;注意&lt;/b&gt;</p>")
    content = client.get("/search/", {"q": "低保"}).content.decode()
    assert "关于&lt;<mark>低保</mark>&gt;标准调整的通知" in content
    assert "本县城乡<mark>低保</mark>标准提高到每人每月800元" in content
    assert "<b>注意" not in content and "&lt;b&gt;注意" in content


def test_a_query_without_results_suggests_what_to_try(client, doc):
    doc("户籍业务办事指南")
    content = client.get("/search/", {"q": "户籍 宅基地", "year": "2020"}).content.decode()
    assert "没有找到与“户籍 宅基地”相关的结果" in content
    assert "去掉“宅基地”" in content and "去掉筛选条件" in content and "换用其他说法" in content


@pytest.mark.parametrize("typed, message", [
    ("", None),
    ("县", "请输入至少两个字的词语"),
    ("！？。，、", "没有可以搜索的词语"),
    ("*", "没有可以搜索的词语"),
    ('"', "没有可以搜索的词语"),
    ("-", "没有可以搜索的词语"),
    ("低保" * 250, "关键词过长"),
    ('" OR 1=1 --', None),
    ("NEAR(", None),
    ("AND", None),
    ("低保 AND OR NOT", None),
    ("'; DROP TABLE portal_searchentry; --", None),
    (" ".join(f"词{i}语" for i in range(20)), "最多组合8个关键词"),
])
def test_bad_queries_get_a_normal_page_never_everything(client, doc, typed, message):
    doc("关于低保资金发放的公示")
    doc("户籍业务办事指南")
    response = client.get("/search/", {"q": typed})
    assert response.status_code == 200
    content = response.content.decode()
    if message:
        assert message in content
    assert "户籍业务办事指南" not in content  # never "everything"


def test_a_page_number_beyond_the_end_gives_the_last_page(client, doc):
    for n in range(12):
        doc(f"第{n}号低保资金发放公示")
    response = client.get("/search/", {"q": "低保", "page": str(10**9)})
    content = response.content.decode()
    assert response.status_code == 200
    assert "第 2 / 2 页" in content and "没有这一页" in content and len(found(client, q="低保", page="2")) == 2
    assert client.get("/search/", {"q": "低保", "page": "abc"}).status_code == 200


def test_the_count_is_capped_beyond_the_candidate_set(client, doc, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 5)
    for n in range(7):
        doc(f"第{n}号低保资金发放公示")
    content = client.get("/search/", {"q": "低保"}).content.decode()
    assert "找到 <strong>5+</strong> 条结果" in content
    content = client.get("/search/", {"q": "户籍"}).content.decode()
    assert "没有找到" in content


def test_non_public_information_is_never_found(client, gongan, gongan_clerk, gongan_reviewer, doc):
    make_document(gongan, gongan_clerk, title="低保草稿")
    submitted = make_document(gongan, gongan_clerk, title="低保待审核")
    workflow.submit(submitted, by=gongan_clerk)
    publish_document(make_document(gongan, gongan_clerk, title="低保依申请公开", attribute="on_request"), gongan_clerk, gongan_reviewer)
    publish_document(make_document(gongan, gongan_clerk, title="低保不予公开", attribute="withheld"), gongan_clerk, gongan_reviewer)
    withdrawn = doc("低保已撤回")
    workflow.withdraw(withdrawn, by=gongan_reviewer, note="内容有误")
    doc("低保公开发布")
    assert found(client, q="低保") == ["低保公开发布"]
    assert search.parse(["低保"]).tokens == ["低保"]
    assert found(client, q="低保", kind="document") == ["低保公开发布"]


def test_a_withdrawn_document_leaves_search_at_once(client, doc, gongan_reviewer):
    document = doc("关于低保资金发放的公示")
    assert found(client, q="低保") == ["关于低保资金发放的公示"]
    workflow.withdraw(document, by=gongan_reviewer, note="数据有误，重新核对")
    assert found(client, q="低保") == []
    assert "低保资金" not in client.get("/xxgk/documents/", {"q": "低保"}).content.decode()


def test_catalogue_items_organisations_and_gazette_issues_are_found(client, gongan, county, county_reviewer, gongan_clerk, gongan_reviewer):
    from disclosure.models import GazetteIssue
    from tests.factories import make_domain, make_guideline, make_published_catalogue

    domain = make_domain()
    make_guideline(domain)
    make_published_catalogue(gongan, domain, clerk=gongan_clerk, reviewer=gongan_reviewer, county_reviewer=county_reviewer)
    assert found(client, q="出生登记", kind="item") == ["出生登记"]
    assert found(client, q="公安局", kind="organisation") == ["青禾县公安局"]
    issue = GazetteIssue.objects.create(year=2026, number=3, publish_date=datetime.date(2026, 9, 30), pdf="gazette/x.pdf", is_published=True)
    GazetteIssue.objects.create(year=2026, number=4, publish_date=datetime.date(2026, 10, 30), pdf="gazette/y.pdf")
    assert found(client, q="公报", kind="gazette") == [issue.title]


def test_the_document_list_and_the_api_find_body_words(client, doc):
    doc("关于做好春节期间值班工作的通知", body="<p>城乡低保对象春节慰问金于1月底前发放。</p>")
    doc("交通安全通告")
    content = client.get("/xxgk/documents/", {"q": "低保"}).content.decode()
    assert "关于做好春节期间值班工作的通知" in content and "交通安全通告" not in content
    titles = [row["title"] for row in client.get("/api/v1/documents/", {"q": "低保"}).json()["results"]]
    assert titles == ["关于做好春节期间值班工作的通知"]
    assert client.get("/api/v1/documents/", {"q": "县"}).json()["results"] == []


def test_a_repeated_search_comes_from_the_page_cache_and_a_withdrawal_empties_it_at_once(
    client, doc, gongan_reviewer, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    document = doc("关于低保资金发放的公示")
    first = client.get("/search/", {"q": "低保", "sort": "date"})
    with django_assert_max_num_queries(0):
        again = client.get("/search/", {"q": "低保", "sort": "date"})
    assert again.content == first.content and "低保</mark>资金" in again.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(document, by=gongan_reviewer, note="数据有误，重新核对")
    assert "资金发放" not in client.get("/search/", {"q": "低保", "sort": "date"}).content.decode()
    # A parameter the page does not read is searched every time, never stored.
    client.get("/search/", {"q": "低保", "x": "1"})
    with django_assert_max_num_queries(3):
        client.get("/search/", {"q": "低保", "x": "1"})


@pytest.mark.parametrize("documents", [3, 25])
def test_a_search_takes_at_most_three_queries_however_much_matches(client, doc, documents, django_assert_max_num_queries):
    for n in range(documents):
        doc(f"第{n}号低保资金发放公示")
    client.get("/search/", {"q": "低保"})  # warm: the filters' option lists are cached
    with django_assert_max_num_queries(3):
        response = client.get("/search/", {"q": "低保 资金", "year": "2026", "sort": "date", "page": "2"})
    assert response.status_code == 200


def test_a_common_word_s_candidates_are_its_newest_matches_titles_first(client, doc, monkeypatch):
    # More matches than candidates: the ones kept are the newest, and title matches outrank the
    # (newer) body-only ones, whatever order the index stored them in.
    monkeypatch.setattr(search, "CANDIDATES", 3)
    doc("2019年低保资金发放公示", on=datetime.date(2019, 6, 1))
    for year in (2020, 2021, 2022, 2023):
        doc(f"{year}年低保资金发放公示", on=datetime.date(year, 6, 1))
    for day in range(1, 5):
        doc(f"春节慰问工作安排（第{day}批）", body="<p>城乡低保对象春节慰问金于1月底前发放。</p>",
            on=datetime.date(2026, 1, day))
    content = client.get("/search/", {"q": "低保"}).content.decode()
    assert found(client, q="低保") == ["2023年低保资金发放公示", "2022年低保资金发放公示", "2021年低保资金发放公示"]
    assert "找到 <strong>3+</strong> 条结果" in content
    # Sorted by date, the newest matches come first, wherever the word is.
    assert found(client, q="低保", sort="date") == [f"春节慰问工作安排（第{day}批）" for day in (4, 3, 2)]
    # Two words: more of them in the title ranks higher, then newer.
    monkeypatch.setattr(search, "CANDIDATES", 1000)
    doc("2018年低保对象慰问名单", on=datetime.date(2018, 1, 1))
    assert found(client, q="低保 慰问")[:3] == ["2018年低保对象慰问名单", "春节慰问工作安排（第4批）", "春节慰问工作安排（第3批）"]


def test_the_filters_keep_their_choices(client, doc, gongan):
    doc("关于低保资金发放的公示")
    content = client.get("/search/", {"q": "低保", "organisation": str(gongan.pk), "sort": "date", "validity": "valid"}).content.decode()
    assert f'<option value="{gongan.pk}" selected>青禾县公安局</option>' in content
    assert '<option value="date" selected>按日期</option>' in content
    assert '<option value="valid" selected>' in content
    assert content.count(" selected>") == 3


def test_the_gunicorn_master_loads_jieba_before_forking_workers(monkeypatch):
    import gc
    import runpy

    from django.conf import settings

    monkeypatch.setattr(search, "_tokenizer", None)
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    assert config["preload_app"] is True
    try:
        config["on_starting"](None)
    finally:
        gc.unfreeze()
    assert search._tokenizer is not None
