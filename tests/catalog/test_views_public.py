"""Public catalogue pages: the statutory order of the domains, and a 一级事项's documents."""

import pytest

from catalog.models import Catalogue, CatalogueItem, Domain
from disclosure import workflow as disclosure_workflow
from tests.factories import make_document, make_topic, publish_document

# 国办发〔2019〕54号, in its order (design.md §6).
STATUTORY_ORDER = [
    "国土空间规划", "重大建设项目", "公共资源交易", "财政预决算", "安全生产", "税收管理", "征地补偿", "国有土地上房屋征收",
    "保障性住房", "农村危房改造", "环境保护", "公共文化服务", "公共法律服务", "扶贫", "救灾", "食品药品监管", "城市综合执法",
    "就业创业", "社会保险", "社会救助", "养老服务", "户籍管理", "涉农补贴", "义务教育", "医疗卫生", "市政服务",
]


@pytest.fixture
def domains_created_out_of_order(county):
    """The 26 domains, created (so numbered by the database) in an order unlike the statutory one, some
    with a published catalogue: the domain list counts them with a GROUP BY."""
    shuffled = STATUTORY_ORDER[1::2] + STATUTORY_ORDER[::2][::-1]
    for name in shuffled:
        Domain.objects.create(name=name, slug=f"d{STATUTORY_ORDER.index(name) + 1}", order=STATUTORY_ORDER.index(name) + 1)
    for name in ("市政服务", "国土空间规划", "扶贫"):
        Catalogue.objects.create(organisation=county, domain=Domain.objects.get(name=name), state=Catalogue.State.PUBLISHED)


def positions(content, names):
    return [content.index(f">{name}<") for name in names]


@pytest.mark.parametrize("url", ["/xxgk/catalogue/", "/xxgk/"])
def test_domains_are_shown_in_statutory_order(client, domains_created_out_of_order, url):
    content = client.get(url).content.decode()
    found = positions(content, STATUTORY_ORDER)
    assert found == sorted(found)


def test_domain_queryset_keeps_statutory_order_when_annotated(domains_created_out_of_order):
    from django.db.models import Count

    assert [d.name for d in Domain.objects.annotate(n=Count("catalogues"))] == STATUTORY_ORDER


# ------------------------------------------------------------------ a 一级事项 gathers its 二级事项's documents


@pytest.fixture
def file_under(gongan, gongan_clerk, gongan_reviewer):
    """Publish a 主动公开 document filed under a catalogue item."""
    def _file(item, title):
        document = make_document(gongan, gongan_clerk, title=title, catalogue_item=item)
        return publish_document(document, gongan_clerk, gongan_reviewer)
    return _file


def test_top_item_page_lists_its_children_documents(client, published, file_under, django_assert_max_num_queries):
    top = published.items.get(name="户口登记")
    file_under(published.items.get(name="出生登记"), "出生登记办事指南")
    file_under(published.items.get(name="死亡注销"), "死亡注销办理流程")
    file_under(published.items.get(name="迁入登记"), "迁入登记须知")  # under 户口迁移, another 一级事项
    url = f"/xxgk/catalogue/item/{top.key}/"
    with django_assert_max_num_queries(3):
        response = client.get(url)
    content = response.content.decode()
    assert "出生登记办事指南" in content and "死亡注销办理流程" in content
    assert "迁入登记须知" not in content
    assert "暂无本事项下公开的政府信息" not in content


def test_top_item_page_queries_stay_constant_as_children_and_documents_grow(
    client, published, file_under, django_assert_max_num_queries
):
    top = published.items.get(name="户口登记")
    url = f"/xxgk/catalogue/item/{top.key}/"
    with django_assert_max_num_queries(3):
        client.get(url)
    for n in range(8):
        child = CatalogueItem.objects.create(catalogue=published, parent=top, name=f"补充登记{n}")
        file_under(child, f"补充登记{n}的通知")
    with django_assert_max_num_queries(3):
        content = client.get(url).content.decode()
    assert "补充登记7的通知" in content


def test_child_item_page_still_lists_only_its_own_documents(client, published, file_under):
    file_under(published.items.get(name="出生登记"), "出生登记办事指南")
    file_under(published.items.get(name="死亡注销"), "死亡注销办理流程")
    content = client.get(f"/xxgk/catalogue/item/{published.items.get(name='出生登记').key}/").content.decode()
    assert "出生登记办事指南" in content and "死亡注销办理流程" not in content


NON_PUBLIC = ["draft", "submitted", "withdrawn", "on_request", "withheld"]


@pytest.mark.parametrize("state", NON_PUBLIC)
def test_top_item_page_never_shows_non_public_documents(client, published, gongan, gongan_clerk, gongan_reviewer, file_under, state):
    """Invariant: 依申请公开, 不予公开, drafts and withdrawn information never appear, under a 二级事项 either."""
    child = published.items.get(name="出生登记")
    file_under(child, "出生登记办事指南")
    attribute = state if state in ("on_request", "withheld") else "proactive"
    hidden = make_document(gongan, gongan_clerk, title=f"隐藏的信息-{state}", attribute=attribute, catalogue_item=child,
                           topic=make_topic())
    if state != "draft":
        disclosure_workflow.submit(hidden, by=gongan_clerk)
    if state in ("withdrawn", "on_request", "withheld"):
        disclosure_workflow.publish(hidden, by=gongan_reviewer)
    if state == "withdrawn":
        disclosure_workflow.withdraw(hidden, by=gongan_clerk, note="撤回")
    for item in (child.parent, child):
        content = client.get(f"/xxgk/catalogue/item/{item.key}/").content.decode()
        assert "出生登记办事指南" in content
        assert f"隐藏的信息-{state}" not in content and f"/xxgk/documents/{hidden.pk}/" not in content


# ------------------------------------------------------------------ the county office's overview


def test_overview_queries_stay_constant_as_organisations_grow(
    client, published, county, county_reviewer, django_assert_max_num_queries
):
    from tests.factories import make_organisation

    client.force_login(county_reviewer)
    with django_assert_max_num_queries(7):  # +1: the session's TOTP device (django-otp)
        client.get("/xxgk/catalogue/overview/")
    for n in range(10):
        organisation = make_organisation(f"青禾县第{n}局", parent=county, short_name=f"县第{n}局")
        Catalogue.objects.create(organisation=organisation, domain=published.domain, state=Catalogue.State.SUBMITTED)
    with django_assert_max_num_queries(7):  # +1: the session's TOTP device (django-otp)
        response = client.get("/xxgk/catalogue/overview/")
    content = response.content.decode()
    assert "县第9局" in content and "审核中 10 个" in content


def test_overview_marks_a_published_catalogue_being_revised(client, published, gongan_clerk, county_reviewer):
    from catalog import workflow

    workflow.start_revision(published, by=gongan_clerk)
    client.force_login(county_reviewer)
    content = client.get("/xxgk/catalogue/overview/").content.decode()
    assert 'class="status-published">已发布<br><small>（修订中）</small>' in content


def test_overview_shows_a_returned_catalogue_as_returned(client, guideline, domain, jiaoyu, jiaoyu_clerk, county_reviewer):
    from catalog import workflow

    catalogue = workflow.start_catalogue(jiaoyu, domain, by=jiaoyu_clerk, guideline_items=guideline.items.all())
    workflow.submit(catalogue, by=jiaoyu_clerk)
    workflow.reject(catalogue, by=county_reviewer, comment="请补充公开依据")  # 县教育局 has no reviewer of its own
    client.force_login(county_reviewer)
    content = client.get("/xxgk/catalogue/overview/").content.decode()
    assert 'class="status-draft">已退回' in content and "草稿或已退回 1 个" in content
