import pytest

from catalog import workflow
from catalog.diff import catalogue_changes
from catalog.models import Catalogue, CatalogueItem, ReviewStep
from catalog.workflow import WorkflowError


def test_taking_items_from_the_guideline_brings_their_first_level_item(guideline, domain, gongan, gongan_clerk):
    chosen = guideline.items.filter(name__in=["出生登记", "迁入登记"])
    catalogue = workflow.start_catalogue(gongan, domain, by=gongan_clerk, guideline_items=chosen)

    assert catalogue.state == Catalogue.State.DRAFT and catalogue.version == 1
    tree = [(i.name, i.parent.name if i.parent else None) for i in catalogue.items.order_by("tree_id", "lft")]
    assert tree == [("户口登记", None), ("出生登记", "户口登记"), ("户口迁移", None), ("迁入登记", "户口迁移")]
    birth = catalogue.items.get(name="出生登记")
    assert birth.guideline_item == guideline.items.get(name="出生登记")
    assert birth.basis == "《中华人民共和国户口登记条例》"
    assert birth.key != birth.guideline_item.key
    step = catalogue.steps.get()
    assert (step.action, step.actor) == (ReviewStep.Action.CREATE, gongan_clerk)


def test_choosing_a_first_level_item_takes_all_under_it(guideline, domain, gongan, gongan_clerk):
    catalogue = workflow.start_catalogue(
        gongan, domain, by=gongan_clerk, guideline_items=guideline.items.filter(name="户口迁移")
    )
    assert set(catalogue.items.values_list("name", flat=True)) == {"户口迁移", "迁入登记", "迁出登记"}


def test_only_own_clerks_compile_and_nothing_chosen_is_refused(guideline, domain, gongan, jiaoyu_clerk, gongan_clerk):
    with pytest.raises(WorkflowError, match="只有本单位发布员"):
        workflow.start_catalogue(gongan, domain, by=jiaoyu_clerk, guideline_items=guideline.items.all())
    with pytest.raises(WorkflowError, match="至少选择一个"):
        workflow.start_catalogue(gongan, domain, by=gongan_clerk, guideline_items=[])
    assert not Catalogue.objects.filter(organisation=gongan).exists()


def test_full_review_path_with_both_rejections(
    guideline, domain, gongan, gongan_clerk, gongan_reviewer, county_reviewer
):
    catalogue = workflow.start_catalogue(gongan, domain, by=gongan_clerk, guideline_items=guideline.items.all())
    workflow.submit(catalogue, by=gongan_clerk)
    workflow.reject(catalogue, by=gongan_reviewer, comment="出生登记缺少监督电话")
    catalogue.refresh_from_db()
    assert catalogue.state == Catalogue.State.RETURNED

    workflow.submit(catalogue, by=gongan_clerk)
    workflow.first_review(catalogue, by=gongan_reviewer, comment="同意")
    workflow.reject(catalogue, by=county_reviewer, comment="公开依据未列明地方性法规")
    catalogue.refresh_from_db()
    assert catalogue.state == Catalogue.State.RETURNED

    workflow.submit(catalogue, by=gongan_clerk)
    workflow.first_review(catalogue, by=gongan_reviewer)
    workflow.approve(catalogue, by=county_reviewer, comment="复核通过")
    catalogue.refresh_from_db()
    assert catalogue.state == Catalogue.State.PUBLISHED and catalogue.published_at is not None

    steps = list(catalogue.steps.values_list("action", "from_state", "to_state", "actor__username", "comment"))
    assert steps == [
        ("create", "", "draft", "gongan_clerk", "从国家标准指引领取 8 个事项"),
        ("submit", "draft", "submitted", "gongan_clerk", ""),
        ("reject", "submitted", "returned", "gongan_reviewer", "出生登记缺少监督电话"),
        ("submit", "returned", "submitted", "gongan_clerk", ""),
        ("first_review", "submitted", "first_reviewed", "gongan_reviewer", "同意"),
        ("reject", "first_reviewed", "returned", "county_reviewer", "公开依据未列明地方性法规"),
        ("submit", "returned", "submitted", "gongan_clerk", ""),
        ("first_review", "submitted", "first_reviewed", "gongan_reviewer", ""),
        ("approve", "first_reviewed", "published", "county_reviewer", "复核通过"),
    ]


def test_rejection_needs_a_comment(guideline, domain, gongan, gongan_clerk, gongan_reviewer):
    catalogue = workflow.start_catalogue(gongan, domain, by=gongan_clerk, guideline_items=guideline.items.all())
    workflow.submit(catalogue, by=gongan_clerk)
    with pytest.raises(WorkflowError, match="必须填写退回意见"):
        workflow.reject(catalogue, by=gongan_reviewer, comment="  ")
    catalogue.refresh_from_db()
    assert catalogue.state == Catalogue.State.SUBMITTED


def test_incomplete_items_cannot_be_submitted(guideline, domain, gongan, gongan_clerk):
    catalogue = workflow.start_catalogue(gongan, domain, by=gongan_clerk, guideline_items=guideline.items.all())
    item = catalogue.items.get(name="出生登记")
    item.basis = ""
    item.save()
    with pytest.raises(WorkflowError, match="出生登记"):
        workflow.submit(catalogue, by=gongan_clerk)


@pytest.mark.parametrize(
    "actor, step",
    [
        ("jiaoyu_clerk", "submit"),        # another organisation's clerk
        ("gongan_reviewer", "submit"),     # not a clerk
        ("gongan_clerk", "first_review"),  # a clerk reviewing
        ("county_reviewer", "first_review"),  # 复核 before 初审
        ("gongan_reviewer", "approve"),    # 初审 reviewer doing 复核
        ("jiaoyu_clerk", "reject"),
    ],
)
def test_acting_out_of_turn_or_for_another_organisation_is_refused(
    request, actor, step, guideline, domain, gongan, gongan_clerk, gongan_reviewer
):
    # 县公安局 has its own reviewer, so the county office does not do its 初审.
    catalogue = workflow.start_catalogue(gongan, domain, by=gongan_clerk, guideline_items=guideline.items.all())
    if step != "submit":
        workflow.submit(catalogue, by=gongan_clerk)
    before = (Catalogue.objects.get(pk=catalogue.pk).state, ReviewStep.objects.count())
    user = request.getfixturevalue(actor)
    function = getattr(workflow, step)
    kwargs = {"comment": "意见"} if step == "reject" else {}
    with pytest.raises(WorkflowError):
        function(catalogue, by=user, **kwargs)
    assert (Catalogue.objects.get(pk=catalogue.pk).state, ReviewStep.objects.count()) == before


def test_published_version_stays_until_the_revision_is_approved(
    published, gongan_clerk, gongan_reviewer, county_reviewer
):
    draft = workflow.start_revision(published, by=gongan_clerk)
    assert draft.version == 2 and draft.state == Catalogue.State.DRAFT
    assert draft.items.count() == published.items.count()
    assert set(draft.items.values_list("key", flat=True)) == set(published.items.values_list("key", flat=True))

    item = draft.items.get(name="出生登记")
    item.deadline = "信息形成或变更之日起10个工作日内"
    item.save()
    published.refresh_from_db()
    assert published.state == Catalogue.State.PUBLISHED
    assert published.items.get(name="出生登记").deadline == "信息形成或变更之日起20个工作日内"

    with pytest.raises(WorkflowError, match="已有正在编辑或审核中的新版本"):
        workflow.start_revision(published, by=gongan_clerk)

    workflow.submit(draft, by=gongan_clerk)
    workflow.first_review(draft, by=gongan_reviewer)
    workflow.approve(draft, by=county_reviewer)
    published.refresh_from_db()
    draft.refresh_from_db()
    assert published.state == Catalogue.State.SUPERSEDED
    assert draft.state == Catalogue.State.PUBLISHED


def test_change_list_between_versions(published, gongan_clerk):
    draft = workflow.start_revision(published, by=gongan_clerk)
    changed = draft.items.get(name="出生登记")
    changed.deadline = "实时更新"
    changed.channels = ["website", "new_media"]
    changed.save()
    draft.items.get(name="死亡注销").delete()
    CatalogueItem.objects.create(
        catalogue=draft, parent=draft.items.get(name="户口登记"), name="收养登记", content="办理条件",
        basis="《中华人民共和国户口登记条例》", deadline="实时更新", owner="县级公安机关", channels=["website"],
        audience="public", method="proactive", level_county=True,
    )

    changes = {(c.kind, c.item.name): c for c in catalogue_changes(published, draft)}
    assert set(changes) == {("changed", "出生登记"), ("removed", "死亡注销"), ("added", "收养登记")}
    assert changes[("changed", "出生登记")].fields == [
        ("公开时限", "信息形成或变更之日起20个工作日内", "实时更新"),
        ("公开渠道和载体", "政府网站、政务服务中心", "政府网站、两微一端"),
    ]
    assert changes[("added", "收养登记")].parent_name == "户口登记"


def test_two_open_versions_are_refused_by_the_database(published, gongan_clerk):
    from django.db import IntegrityError, transaction

    workflow.start_revision(published, by=gongan_clerk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Catalogue.objects.create(organisation=published.organisation, domain=published.domain, version=3)
