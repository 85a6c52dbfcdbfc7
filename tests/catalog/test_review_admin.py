"""The catalogue page in the back office, as each role sees it: the item tree, the change list against
the published version, the 审核记录 trail, the returned state with the reviewer's comment, and the
review steps (one form per step, errors re-rendered with 400)."""

import pytest
from django.db import IntegrityError, transaction

from catalog import workflow
from catalog.models import Catalogue, ReviewStep


def page_url(catalogue):
    return f"/admin/catalog/catalogue/{catalogue.pk}/change/"


def step(client, catalogue, action, comment=""):
    return client.post(f"/admin/catalog/catalogue/{catalogue.pk}/step/{action}/", {"comment": comment})


@pytest.fixture
def in_review(published, gongan_clerk, gongan_reviewer):
    """Version 2 of 县公安局's catalogue, one deadline changed, submitted and first-reviewed."""
    revision = workflow.start_revision(published, by=gongan_clerk)
    item = revision.items.get(name="出生登记")
    item.deadline = "实时更新"
    item.save()
    workflow.submit(revision, by=gongan_clerk, comment="根据网上办理情况修订")
    workflow.first_review(revision, by=gongan_reviewer, comment="事项齐全，同意报送复核")
    return revision


@pytest.fixture
def draft(guideline, domain, gongan, gongan_clerk):
    return workflow.start_catalogue(gongan, domain, by=gongan_clerk, guideline_items=guideline.items.all())


@pytest.fixture
def returned(draft, gongan_clerk, gongan_reviewer):
    workflow.submit(draft, by=gongan_clerk)
    workflow.reject(draft, by=gongan_reviewer, comment="出生登记缺少监督电话")
    return draft


@pytest.mark.parametrize("role", ["gongan_clerk", "gongan_reviewer", "county_reviewer"])
def test_everyone_who_may_see_the_catalogue_sees_items_changes_and_the_review_trail(
    request, client, in_review, role, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(role))
    client.get(page_url(in_review))  # Django's per-process caches (content types) filled, as in a running site
    with django_assert_max_num_queries(24):
        response = client.get(page_url(in_review))
    assert response.status_code == 200
    page = response.content.decode()
    # The item tree with its eight elements and level.
    assert "户口登记" in page and "出生登记" in page and "居民身份证申领" in page
    assert "《中华人民共和国户口登记条例》" in page and "青禾县公安局" in page
    assert "政府网站、政务服务中心" in page and "全社会" in page and "主动" in page and ">县级<" in page
    # The field-by-field change list against the published version 1.
    assert "与已发布第1版相比的变化" in page
    assert "<del>信息形成或变更之日起20个工作日内</del>" in page and "<ins>实时更新</ins>" in page
    # The whole 审核记录 trail, with comments, read-only.
    assert "审核记录" in page
    assert "根据网上办理情况修订" in page and "事项齐全，同意报送复核" in page and "gongan_reviewer" in page
    assert 'name="steps-0-comment"' not in page


def test_a_clerk_of_another_organisation_gets_404_for_the_page_its_steps_and_its_export(client, in_review, jiaoyu_clerk):
    client.force_login(jiaoyu_clerk)
    for url in (page_url(in_review), f"/admin/catalog/catalogue/{in_review.pk}/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 404
        assert "事项齐全，同意报送复核".encode() not in response.content
    assert step(client, in_review, "reject", "越权退回").status_code == 404
    assert Catalogue.objects.get(pk=in_review.pk).state == Catalogue.State.FIRST_REVIEWED


@pytest.mark.parametrize(
    "url", ["abc/change/", "abc/step/reject/", "abc/export.xlsx", "1x/step/approve/"],
)
def test_non_numeric_catalogue_ids_are_404(client, county_reviewer, url):
    client.force_login(county_reviewer)
    assert client.get(f"/admin/catalog/catalogue/{url}").status_code == 404
    assert client.post(f"/admin/catalog/catalogue/{url}", {"comment": "x"}).status_code == 404


def test_non_numeric_item_id_is_404(client, gongan_clerk):
    client.force_login(gongan_clerk)
    assert client.get("/admin/catalog/catalogueitem/abc/change/").status_code == 404


# ---------------------------------------------------------------- 已退回


def test_rejecting_returns_the_catalogue_and_the_clerk_reads_why_at_the_top(
    client, draft, gongan_clerk, gongan_reviewer
):
    workflow.submit(draft, by=gongan_clerk)
    client.force_login(gongan_reviewer)
    response = step(client, draft, "reject", "出生登记缺少监督电话")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Catalogue.State.RETURNED
    last = draft.steps.last()
    assert (last.action, last.from_state, last.to_state, last.comment) == (
        "reject", "submitted", "returned", "出生登记缺少监督电话"
    )

    client.force_login(gongan_clerk)
    page = client.get(page_url(draft)).content.decode()
    top = page[: page.index("目录内容")]
    assert "已退回" in top
    assert 'class="returned-note"' in top and "gongan_reviewer" in top and "出生登记缺少监督电话" in top
    assert "提交审核" in top and "编辑事项" in page


def test_list_and_filter_show_returned(client, returned, gongan_clerk):
    client.force_login(gongan_clerk)
    page = client.get("/admin/catalog/catalogue/").content.decode()
    results = page.split('id="result_list"')[1].split("</table>")[0]
    assert "已退回" in results and "草稿" not in results
    filtered = client.get("/admin/catalog/catalogue/", {"state__exact": "returned"}).content.decode()
    assert "县公安局·户籍管理（第1版）" in filtered
    assert "县公安局·户籍管理（第1版）" not in client.get(
        "/admin/catalog/catalogue/", {"state__exact": "draft"}
    ).content.decode()


def test_clerk_edits_and_resubmits_a_returned_catalogue_and_the_note_goes(client, returned, gongan_clerk):
    client.force_login(gongan_clerk)
    item = returned.items.get(name="出生登记")
    assert client.get(f"/admin/catalog/catalogueitem/{item.pk}/change/").status_code == 200
    response = client.post(f"/admin/catalog/catalogueitem/{item.pk}/change/", {
        "catalogue": returned.pk, "parent": item.parent_id, "name": "出生登记", "content": item.content + "、监督电话",
        "basis": item.basis, "deadline": item.deadline, "owner": item.owner, "channels": item.channels,
        "audience": item.audience, "method": item.method, "level_county": "on",
    })
    assert response.status_code == 302
    assert returned.items.get(name="出生登记").content.endswith("监督电话")

    response = step(client, returned, "submit", "已补充监督电话")
    assert response.status_code == 302
    returned.refresh_from_db()
    assert returned.state == Catalogue.State.SUBMITTED
    assert returned.steps.last().from_state == "returned"
    page = client.get(page_url(returned)).content.decode()
    assert 'class="returned-note"' not in page
    assert "出生登记缺少监督电话" in page  # still in the 审核记录 trail


def test_excel_import_goes_into_a_returned_version(returned, domain, gongan, gongan_clerk):
    from catalog.excel import parse_catalogue
    from tests.catalog.test_excel import row, workbook_bytes

    parsed = parse_catalogue(workbook_bytes([row(1, "户口登记", "出生登记")]), domain=domain)
    draft = workflow.import_items(gongan, domain, parsed, by=gongan_clerk, filename="户籍.xlsx")
    assert draft.pk == returned.pk and draft.state == Catalogue.State.RETURNED
    assert draft.items.count() == 2


def test_a_returned_version_is_the_one_open_version(published, gongan_clerk, gongan_reviewer):
    revision = workflow.start_revision(published, by=gongan_clerk)
    workflow.submit(revision, by=gongan_clerk)
    workflow.reject(revision, by=gongan_reviewer, comment="请补充")
    with pytest.raises(workflow.WorkflowError, match="已有正在编辑或审核中的新版本"):
        workflow.start_revision(published, by=gongan_clerk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Catalogue.objects.create(organisation=published.organisation, domain=published.domain, version=3)


# ---------------------------------------------------------------- step views


def test_reject_without_comment_is_400_with_the_message_and_nothing_changes(client, draft, gongan_clerk, gongan_reviewer):
    workflow.submit(draft, by=gongan_clerk)
    steps_before = ReviewStep.objects.count()
    client.force_login(gongan_reviewer)
    response = step(client, draft, "reject", "   ")
    assert response.status_code == 400
    assert "请填写退回意见" in response.content.decode()
    assert Catalogue.objects.get(pk=draft.pk).state == Catalogue.State.SUBMITTED
    assert ReviewStep.objects.count() == steps_before


def test_a_refused_submit_is_400_with_the_workflow_message_and_the_comment_kept(client, draft, gongan_clerk):
    item = draft.items.get(name="出生登记")
    item.basis = ""
    item.save()
    client.force_login(gongan_clerk)
    response = step(client, draft, "submit", "请审核本版")
    assert response.status_code == 400
    page = response.content.decode()
    assert "以下事项的要素不完整，请补充后再提交：出生登记" in page
    assert "请审核本版</textarea>" in page
    assert Catalogue.objects.get(pk=draft.pk).state == Catalogue.State.DRAFT


def test_step_buttons_come_from_available_steps(client, in_review, county_reviewer, gongan_reviewer):
    client.force_login(county_reviewer)
    page = client.get(page_url(in_review)).content.decode()
    assert "/step/approve/" in page and "/step/reject/" in page and "/step/first-review/" not in page
    client.force_login(gongan_reviewer)
    page = client.get(page_url(in_review)).content.decode()
    assert "/step/" not in page


def test_unknown_step_is_404(client, draft, gongan_clerk):
    client.force_login(gongan_clerk)
    assert step(client, draft, "publish-now").status_code == 404


def test_catalogue_page_queries_do_not_grow_with_items_or_steps(client, in_review, county_reviewer, gongan_clerk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import add_items

    client.force_login(county_reviewer)
    client.get(page_url(in_review))  # warms the content-type cache
    with CaptureQueriesContext(connection) as before:
        client.get(page_url(in_review))
    add_items(in_review, {f"一级事项{n}": [f"二级事项{n}-{m}" for m in range(3)] for n in range(5)})
    for _ in range(3):
        ReviewStep.objects.create(catalogue=in_review, action="import", to_state=in_review.state, actor=gongan_clerk)
    with CaptureQueriesContext(connection) as after:
        page = client.get(page_url(in_review)).content.decode()
    assert "二级事项4-2" in page
    assert len(after) == len(before)
