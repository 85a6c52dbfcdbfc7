import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog import workflow
from catalog.models import Catalogue, CatalogueItem, ReviewStep
from tests.catalog.test_excel import row, workbook_bytes


def step(client, catalogue, action, comment=""):
    return client.post(f"/admin/catalog/catalogue/{catalogue.pk}/step/{action}/", {"comment": comment})


@pytest.fixture
def draft(guideline, domain, gongan, gongan_clerk):
    return workflow.start_catalogue(gongan, domain, by=gongan_clerk, guideline_items=guideline.items.all())


def test_review_buttons_walk_the_whole_path(client, draft, gongan_clerk, gongan_reviewer, county_reviewer):
    client.force_login(gongan_clerk)
    page = client.get(f"/admin/catalog/catalogue/{draft.pk}/change/").content.decode()
    assert "提交审核" in page and "初审通过" not in page
    assert step(client, draft, "submit").status_code == 302

    client.force_login(gongan_reviewer)
    page = client.get(f"/admin/catalog/catalogue/{draft.pk}/change/").content.decode()
    assert "初审通过" in page and "退回修改" in page
    assert step(client, draft, "first-review", "同意").status_code == 302

    client.force_login(county_reviewer)
    page = client.get(f"/admin/catalog/catalogue/{draft.pk}/change/").content.decode()
    assert "复核通过并发布" in page
    response = step(client, draft, "approve", "复核通过")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Catalogue.State.PUBLISHED
    page = client.get(f"/admin/catalog/catalogue/{draft.pk}/change/").content.decode()
    assert "复核通过" in page and "county_reviewer" in page  # the record of steps, inline


@pytest.mark.parametrize(
    "actor, action, prepare, status",
    [
        ("jiaoyu_clerk", "submit", None, 404),  # another organisation's catalogue is not there for them
        ("gongan_reviewer", "first-review", None, 403),  # not yet submitted: out of turn
        ("county_reviewer", "approve", "submit", 403),   # 复核 before 初审
        ("jiaoyu_clerk", "reject", "submit", 404),
        ("gongan_clerk", "first-review", "submit", 403),
    ],
)
def test_wrong_actor_or_out_of_turn_is_refused_and_nothing_changes(
    request, client, draft, gongan_clerk, gongan_reviewer, actor, action, prepare, status
):
    if prepare:
        workflow.submit(draft, by=gongan_clerk)
    before = (Catalogue.objects.get(pk=draft.pk).state, ReviewStep.objects.count())
    client.force_login(request.getfixturevalue(actor))
    response = step(client, draft, action, "意见")
    assert response.status_code == status
    assert (Catalogue.objects.get(pk=draft.pk).state, ReviewStep.objects.count()) == before


def test_reject_without_comment_keeps_the_state_and_says_why(client, draft, gongan_clerk, gongan_reviewer):
    workflow.submit(draft, by=gongan_clerk)
    client.force_login(gongan_reviewer)
    response = step(client, draft, "reject", "")
    assert response.status_code == 400
    assert Catalogue.objects.get(pk=draft.pk).state == Catalogue.State.SUBMITTED
    assert "请填写退回意见" in response.content.decode()


def test_reviewer_sees_the_changes_against_the_published_version(client, published, gongan_clerk, gongan_reviewer):
    revision = workflow.start_revision(published, by=gongan_clerk)
    item = revision.items.get(name="出生登记")
    item.deadline = "实时更新"
    item.save()
    workflow.submit(revision, by=gongan_clerk)
    client.force_login(gongan_reviewer)
    page = client.get(f"/admin/catalog/catalogue/{revision.pk}/change/").content.decode()
    assert "与已发布第1版相比的变化" in page
    assert "<del>信息形成或变更之日起20个工作日内</del>" in page and "<ins>实时更新</ins>" in page


def test_other_organisations_catalogues_are_not_listed(client, published, jiaoyu_clerk):
    client.force_login(jiaoyu_clerk)
    page = client.get("/admin/catalog/catalogue/").content.decode()
    assert "县公安局·户籍管理" not in page
    assert client.get(f"/admin/catalog/catalogue/{published.pk}/change/").status_code == 404


def test_admin_import_lists_every_problem_and_keeps_nothing(client, domain, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    data = workbook_bytes([row(1, None, "出生登记"), row(2, "户口登记", "死亡注销", content="")])
    response = client.post(
        "/admin/catalog/catalogue/import/",
        {"organisation": gongan.pk, "domain": domain.pk, "file": SimpleUploadedFile("户籍.xlsx", data)},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "第4行「一级事项」" in content and "第5行「公开内容（要素）」：不能为空" in content
    assert not Catalogue.objects.filter(organisation=gongan).exists()


def test_admin_import_refuses_a_file_that_is_not_excel(client, domain, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post(
        "/admin/catalog/catalogue/import/",
        {"organisation": gongan.pk, "domain": domain.pk, "file": SimpleUploadedFile("目录.xlsx", b"just text")},
    )
    assert response.status_code == 400
    assert "文件已损坏或不是有效的Excel文件" in response.content.decode()


def test_admin_import_creates_a_draft(client, domain, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    data = workbook_bytes([row(1, "户口登记", "出生登记")])
    response = client.post(
        "/admin/catalog/catalogue/import/",
        {"organisation": gongan.pk, "domain": domain.pk, "file": SimpleUploadedFile("户籍.xlsx", data)},
    )
    draft = Catalogue.objects.get(organisation=gongan)
    assert response.status_code == 302 and response["Location"].endswith(f"/catalogue/{draft.pk}/change/")
    assert draft.items.count() == 2


def test_clerk_cannot_import_for_another_organisation(client, domain, jiaoyu, gongan_clerk):
    client.force_login(gongan_clerk)
    data = workbook_bytes([row(1, "户口登记", "出生登记")])
    response = client.post(
        "/admin/catalog/catalogue/import/",
        {"organisation": jiaoyu.pk, "domain": domain.pk, "file": SimpleUploadedFile("户籍.xlsx", data)},
    )
    assert response.status_code == 400
    assert not Catalogue.objects.exists()


def test_reviewer_cannot_open_the_import_page(client, gongan_reviewer):
    client.force_login(gongan_reviewer)
    assert client.get("/admin/catalog/catalogue/import/").status_code == 403


def test_start_page_preselects_items_of_the_organisations_level(client, guideline, domain, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.get("/admin/catalog/catalogue/start/", {"organisation": gongan.pk, "domain": domain.pk})
    assert response.status_code == 200
    content = response.content.decode()
    birth = guideline.items.get(name="出生登记")
    assert f'value="{birth.pk}" id="item-{birth.pk}" checked' in content

    response = client.post(
        "/admin/catalog/catalogue/start/", {"organisation": gongan.pk, "domain": domain.pk, "items": [birth.pk]}
    )
    catalogue = Catalogue.objects.get(organisation=gongan)
    assert response.status_code == 302
    assert set(catalogue.items.values_list("name", flat=True)) == {"户口登记", "出生登记"}


def test_clerk_edits_items_of_a_draft_but_not_of_a_published_catalogue(client, draft, published_other_domain, gongan_clerk):
    client.force_login(gongan_clerk)
    item = draft.items.get(name="出生登记")
    assert client.get(f"/admin/catalog/catalogueitem/{item.pk}/change/").status_code == 200
    published_item = published_other_domain.items.filter(parent__isnull=False).first()
    response = client.post(f"/admin/catalog/catalogueitem/{published_item.pk}/change/", {"name": "改名"})
    assert response.status_code == 403
    published_item.refresh_from_db()
    assert published_item.name != "改名"


def test_item_form_keeps_the_tree_two_levels_deep(client, draft, gongan_clerk):
    client.force_login(gongan_clerk)
    second_level = draft.items.get(name="出生登记")
    response = client.post("/admin/catalog/catalogueitem/add/", {
        "catalogue": draft.pk, "parent": second_level.pk, "name": "第三级", "content": "x", "basis": "x",
        "deadline": "x", "owner": "x", "channels": ["website"], "audience": "public", "method": "proactive",
        "level_county": "on",
    })
    assert response.status_code == 400
    # Only 一级事项 are offered as a parent, so a 二级事项 is not a valid choice.
    assert "选择一个有效的选项" in response.content.decode()
    assert not CatalogueItem.objects.filter(name="第三级").exists()


def test_dragging_an_item_three_levels_deep_is_refused(client, draft, gongan_clerk):
    client.force_login(gongan_clerk)
    moved = draft.items.get(name="户口迁移")  # a 一级事项 with 二级事项 under it
    target = draft.items.get(name="户口登记")
    response = client.post(
        "/admin/catalog/catalogueitem/",
        {"cmd": "move_node", "cut_item": moved.pk, "pasted_on": target.pk, "position": "last-child"},
    )
    assert response.status_code == 403
    moved.refresh_from_db()
    assert moved.parent_id is None


def test_dragging_reorders_within_the_draft(client, draft, gongan_clerk):
    client.force_login(gongan_clerk)
    moved = draft.items.get(name="死亡注销")
    target = draft.items.get(name="出生登记")
    response = client.post(
        "/admin/catalog/catalogueitem/",
        {"cmd": "move_node", "cut_item": moved.pk, "pasted_on": target.pk, "position": "left"},
    )
    assert response.status_code == 200
    names = list(draft.items.filter(parent__name="户口登记").order_by("lft").values_list("name", flat=True))
    assert names == ["死亡注销", "出生登记"]
