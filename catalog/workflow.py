"""The catalogue's life: start from the guideline, submit, 初审, 复核 (publishes), reject, revise.

先审后发 (安政办〔2020〕48号): a version is edited only as a draft, first-reviewed by its own
organisation's reviewer, then reviewed again by the county office, and only then published. The
published version stays public while the next version is drafted and reviewed.
"""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from portal import changes, search
from portal.models import Organisation

from . import permissions
from .models import Catalogue, CatalogueItem, ReviewStep


class WorkflowError(Exception):
    """A step that is not allowed now or not to this person; the message is for people."""


def _locked(catalogue):
    return Catalogue.objects.select_for_update(of=("self",)).select_related("organisation", "domain").get(pk=catalogue.pk)


def _record(catalogue, action, from_state, *, by, comment=""):
    return ReviewStep.objects.create(
        catalogue=catalogue, action=action, from_state=from_state, to_state=catalogue.state, actor=by, comment=comment
    )


def _copy_item(item, *, catalogue, parent, guideline_item=None, keep_key=True):
    copy = CatalogueItem(
        catalogue=catalogue,
        parent=parent,
        guideline_item=guideline_item if guideline_item is not None else item.guideline_item,
        **{field: getattr(item, field) for field in CatalogueItem.ELEMENT_FIELDS},
        deadline_days=item.deadline_days,
    )
    if keep_key:
        copy.key = item.key
    return copy


def level_field(organisation):
    """The 公开层级 an organisation's own items sit at: 乡级 for townships and subdistricts, 县级 otherwise."""
    township = organisation.kind in (Organisation.Kind.TOWNSHIP, Organisation.Kind.SUBDISTRICT)
    return "level_township" if township else "level_county"


CATALOGUE_TREE_LOCK = 7_420_001


def lock_item_trees():
    """Call inside a transaction before adding or moving catalogue items. django-mptt gives a new root
    the highest tree_id + 1 and renumbers trees when roots move; two transactions doing that at once
    would corrupt the trees. SQLite already serialises writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CATALOGUE_TREE_LOCK])


def _create_items(items):
    """Save items in tree order, parents before children."""
    lock_item_trees()
    for item in items:
        item.save()


@transaction.atomic
def start_catalogue(organisation, domain, *, by, guideline_items):
    """领取事项: open version 1 of `organisation`'s catalogue for `domain` from the chosen items of
    the national guideline. A chosen 二级事项 brings its 一级事项 along. The guideline names a kind of
    body and both levels (县级人民政府民政部门、乡镇人民政府); the organisation's copy names the
    organisation itself at its own level, which the clerk may still change."""
    if not permissions.can_compile(by, organisation):
        raise WorkflowError("只有本单位发布员可以编制本单位的标准目录")
    if Catalogue.objects.filter(organisation=organisation, domain=domain).exists():
        raise WorkflowError(f"{organisation.name}已有{domain.name}领域的目录，请在原目录上修订")
    guideline = Catalogue.objects.filter(domain=domain, is_guideline=True).first()
    if guideline is None:
        raise WorkflowError(f"{domain.name}领域尚无国家标准指引")
    rows = list(guideline.items.order_by("tree_id", "lft"))
    chosen = {item.pk for item in guideline_items if item.catalogue_id == guideline.pk}
    if not chosen:
        raise WorkflowError("请至少选择一个公开事项")
    # A chosen 一级事项 brings all its 二级事项; a chosen 二级事项 brings its 一级事项.
    chosen |= {row.pk for row in rows if row.parent_id in chosen}
    chosen |= {row.parent_id for row in rows if row.pk in chosen and row.parent_id}
    try:
        with transaction.atomic():
            catalogue = Catalogue.objects.create(organisation=organisation, domain=domain, version=1)
    except IntegrityError:
        raise WorkflowError(f"{organisation.name}已有{domain.name}领域的目录，请在原目录上修订") from None
    level = level_field(organisation)
    parents = {row.parent_id for row in rows if row.parent_id}
    copies = {}
    items = []
    for row in rows:
        if row.pk in chosen:
            copy = _copy_item(row, catalogue=catalogue, parent=copies.get(row.parent_id), guideline_item=row, keep_key=False)
            if row.parent_id or row.pk not in parents:  # the rows that carry the eight elements
                copy.owner = organisation.name
                copy.level_county = level == "level_county"
                copy.level_township = level == "level_township"
            copies[row.pk] = copy
            items.append(copy)
    _create_items(items)
    _record(catalogue, ReviewStep.Action.CREATE, "", by=by, comment=f"从国家标准指引领取 {len(items)} 个事项")
    return catalogue


def _check_four_eyes(catalogue, by):
    if catalogue.state in (Catalogue.State.SUBMITTED, Catalogue.State.FIRST_REVIEWED):
        if problem := permissions.own_review_conflict(by, catalogue):
            raise WorkflowError(problem)


@transaction.atomic
def submit(catalogue, *, by, comment=""):
    catalogue = _locked(catalogue)
    if not permissions.can_edit_catalogue(by, catalogue):
        raise WorkflowError("只有本单位发布员可以提交本单位的目录草稿或退回的目录")
    incomplete = [
        item.name for item in catalogue.items.all()
        if item.element_errors() and (item.parent_id or item.is_leaf_node())
    ]
    if not catalogue.items.exists():
        raise WorkflowError("目录中没有任何公开事项，不能提交")
    if incomplete:
        raise WorkflowError(f"以下事项的要素不完整，请补充后再提交：{'、'.join(incomplete[:10])}")
    from_state = catalogue.state
    catalogue.state = Catalogue.State.SUBMITTED
    catalogue.save(update_fields=["state"])
    _record(catalogue, ReviewStep.Action.SUBMIT, from_state, by=by, comment=comment)
    return catalogue


@transaction.atomic
def first_review(catalogue, *, by, comment=""):
    """初审 by the organisation's own reviewer (本单位政务公开科室), or by the county office for an
    organisation whose only reviewer submitted it."""
    catalogue = _locked(catalogue)
    _check_four_eyes(catalogue, by)
    if not permissions.can_first_review(by, catalogue):
        raise WorkflowError("只有本单位审核员可以初审待初审的目录")
    catalogue.state = Catalogue.State.FIRST_REVIEWED
    catalogue.save(update_fields=["state"])
    _record(catalogue, ReviewStep.Action.FIRST_REVIEW, Catalogue.State.SUBMITTED, by=by, comment=comment)
    return catalogue


@transaction.atomic
def approve(catalogue, *, by, comment=""):
    """复核 by the county office; publishes this version and retires the one it replaces."""
    catalogue = _locked(catalogue)
    _check_four_eyes(catalogue, by)
    if not permissions.can_final_review(by, catalogue):
        raise WorkflowError("只有县政府办公室可以复核已通过初审的目录")
    previous = Catalogue.objects.filter(
        organisation=catalogue.organisation, domain=catalogue.domain, state=Catalogue.State.PUBLISHED
    )
    replaced = list(previous.values_list("pk", flat=True))
    previous.update(state=Catalogue.State.SUPERSEDED)
    catalogue.state = Catalogue.State.PUBLISHED
    catalogue.published_at = timezone.now()
    catalogue.save(update_fields=["state", "published_at"])
    step = _record(catalogue, ReviewStep.Action.APPROVE, Catalogue.State.FIRST_REVIEWED, by=by, comment=comment)
    # The mirrors' change feed: the old version goes and the new one takes its place, in that order.
    for pk in replaced:
        changes.record(changes.Kind.CATALOGUE, pk, changes.Action.SUPERSEDED, at=step.at)
    changes.record(changes.Kind.CATALOGUE, catalogue.pk, changes.Action.PUBLISHED, at=step.at)
    search.index_catalogue(catalogue, replaced=replaced)
    return catalogue


@transaction.atomic
def reject(catalogue, *, by, comment):
    """Either reviewer sends the version back to the clerks (已退回), saying why; they edit it and submit again."""
    catalogue = _locked(catalogue)
    _check_four_eyes(catalogue, by)
    if not permissions.can_reject(by, catalogue):
        raise WorkflowError("您不能退回此目录：只有本单位审核员（初审）或县政府办公室（复核）可以退回")
    if not comment.strip():
        raise WorkflowError("退回时必须填写退回意见")
    from_state = catalogue.state
    catalogue.state = Catalogue.State.RETURNED
    catalogue.save(update_fields=["state"])
    _record(catalogue, ReviewStep.Action.REJECT, from_state, by=by, comment=comment.strip())
    return catalogue


@transaction.atomic
def start_revision(catalogue, *, by):
    """Open the next version as a draft, a copy of the published one, which stays public."""
    catalogue = _locked(catalogue)
    if not permissions.can_start_revision(by, catalogue):
        raise WorkflowError("只有本单位发布员可以修订本单位已发布的目录")
    try:
        with transaction.atomic():
            draft = Catalogue.objects.create(
                organisation=catalogue.organisation, domain=catalogue.domain, version=catalogue.version + 1
            )
    except IntegrityError:
        raise WorkflowError("该目录已有正在编辑或审核中的新版本") from None
    copies = {}
    items = []
    for item in catalogue.items.order_by("tree_id", "lft"):
        copies[item.pk] = _copy_item(item, catalogue=draft, parent=copies.get(item.parent_id))
        items.append(copies[item.pk])
    _create_items(items)
    _record(draft, ReviewStep.Action.CREATE, "", by=by, comment=f"在第{catalogue.version}版基础上修订")
    return draft


@transaction.atomic
def import_items(organisation, domain, parsed, *, by, filename=""):
    """Put an imported table (a ParsedCatalogue without problems) into the organisation's draft (or
    returned version) for `domain`, creating the draft (or the next version of a published catalogue)
    when there is none. Rows whose names match an item already in the draft keep its identity, so the reviewer's change
    list shows them as changed rather than removed and added."""
    if parsed.problems:
        raise WorkflowError("表格有错误，未导入")
    if not permissions.can_compile(by, organisation):
        raise WorkflowError("只有本单位发布员可以导入本单位的标准目录")
    versions = Catalogue.objects.select_for_update().filter(organisation=organisation, domain=domain)
    open_version = versions.filter(state__in=Catalogue.OPEN_STATES).first()
    published = versions.filter(state=Catalogue.State.PUBLISHED).first()
    if open_version is not None and not open_version.is_editable:
        raise WorkflowError(f"该目录第{open_version.version}版正在审核中（{open_version.get_state_display()}），审核结束前不能导入")
    if open_version is None and published is not None:
        draft = start_revision(published, by=by)
    elif open_version is None:
        latest = versions.order_by("-version").first()
        draft = Catalogue.objects.create(
            organisation=organisation, domain=domain, version=latest.version + 1 if latest else 1
        )
        _record(draft, ReviewStep.Action.CREATE, "", by=by, comment="由Excel导入创建")
    else:
        draft = open_version

    previous = {}
    for item in draft.items.select_related("parent"):
        previous[(item.parent.name if item.parent_id else None, item.name)] = item
    draft.items.all().delete()
    items = []
    for top in parsed.items:
        parent = _item_from_parsed(top, draft, None, previous.get((None, top.name)))
        items.append(parent)
        for child in top.children:
            items.append(_item_from_parsed(child, draft, parent, previous.get((top.name, child.name))))
    _create_items(items)
    _record(
        draft, ReviewStep.Action.IMPORT, draft.state, by=by,
        comment=f"导入{filename or 'Excel'}：{parsed.item_count} 个事项",
    )
    return draft


def _item_from_parsed(parsed_item, catalogue, parent, previous):
    item = CatalogueItem(catalogue=catalogue, parent=parent, name=parsed_item.name, **parsed_item.elements)
    if previous is not None:
        item.key = previous.key
        item.guideline_item_id = previous.guideline_item_id
        item.deadline_days = previous.deadline_days
    return item
