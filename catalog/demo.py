"""Demo catalogues for 青禾县: published ones in several organisations, and versions in review."""

import json

from django.contrib.auth.models import User
from django.db import transaction

from portal.models import Organisation

from . import workflow
from .guidelines import FIXTURES, load_guidelines
from .models import Catalogue, CatalogueItem, Domain

# (organisation, domain, clerk, who does the 初审, how far it goes). 四眼原则: 柳河镇's one person
# (clerk and reviewer) and the organisations the superuser compiles for have no reviewer of their
# own, so a county-office member (xfb_chushen) does their 初审 and another (xfb_fuhe) the 复核.
DEMO_CATALOGUES = [
    ("青禾县公安局", "户籍管理", "gaj_clerk", "gaj_review", "revised"),
    ("青禾县教育局", "义务教育", "jyj_clerk", "jyj_review", "published"),
    ("青禾县民政局", "社会救助", "mzj_clerk", "mzj_review", "published"),
    ("青禾县民政局", "养老服务", "mzj_clerk", "mzj_review", "submitted"),
    ("柳河镇人民政府", "社会救助", "lhz_clerk", "xfb_chushen", "published"),
    ("柳河镇人民政府", "户籍管理", "lhz_clerk", "xfb_chushen", "returned"),
    ("城关街道办事处", "社会救助", "cgjd_clerk", "cgjd_review", "first_reviewed"),
    ("城关街道办事处", "户籍管理", "cgjd_clerk", "cgjd_review", "draft"),
    ("青禾县人力资源和社会保障局", "就业创业", "admin", "xfb_chushen", "published"),
    ("青禾县财政局", "财政预决算", "admin", "xfb_chushen", "published"),
]


def _user(username):
    return User.objects.get(username=username)


def _compile(organisation, domain, clerk, reviewer, target, county_office):
    guideline = Catalogue.objects.get(domain=domain, is_guideline=True)
    chosen = guideline.items.filter(parent__isnull=False, **{workflow.level_field(organisation): True})
    catalogue = workflow.start_catalogue(organisation, domain, by=clerk, guideline_items=chosen)
    if target == "draft":
        return
    workflow.submit(catalogue, by=clerk)
    if target == "submitted":
        return
    if target == "returned":
        workflow.reject(
            catalogue, by=reviewer,
            comment="请在“公开依据”中补充本镇执行的地方性法规和规范性文件，并核对各事项的公开时限后重新提交。",
        )
        return
    workflow.first_review(catalogue, by=reviewer, comment="事项齐全，要素完整，同意报送复核。")
    if target == "first_reviewed":
        return
    workflow.approve(catalogue, by=county_office, comment="复核通过。")
    if target == "revised":
        _revise(catalogue, clerk, reviewer)


def _revise(published, clerk, reviewer):
    """A second version in review, so that the reviewer's change list has something to show."""
    draft = workflow.start_revision(published, by=clerk)
    items = list(draft.items.filter(parent__isnull=False).order_by("tree_id", "lft"))
    if len(items) >= 3:
        items[0].deadline = "信息形成或变更之日起10个工作日内"
        items[0].save(update_fields=["deadline"])
        items[-1].delete()
        top = items[1].parent
        CatalogueItem.objects.create(
            catalogue=draft, parent=top, name="户口业务网上办理指南",
            content="可网上办理的户口业务、办理渠道、申请材料、办理时限、咨询电话",
            basis="《中华人民共和国政府信息公开条例》《国务院关于加快推进全国一体化在线政务服务平台建设的指导意见》",
            deadline="信息形成或变更之日起20个工作日内", owner=draft.organisation.name,
            channels=["website", "new_media", "service_centre"], audience="public", method="proactive",
            level_county=True,
        )
    workflow.submit(draft, by=clerk, comment="根据本县户籍业务网上办理情况修订。")
    workflow.first_review(draft, by=reviewer, comment="同意。")


@transaction.atomic
def load_demo():
    domains, guidelines = load_guidelines()
    leads = json.loads((FIXTURES / "demo_lead_departments.json").read_text(encoding="utf-8"))
    for domain in Domain.objects.filter(lead_department__isnull=True, name__in=leads):
        domain.lead_department = Organisation.objects.filter(name=leads[domain.name]).first()
        domain.save(update_fields=["lead_department"])
    county_office = _user("xfb_fuhe")
    created = 0
    for org_name, domain_name, clerk, reviewer, target in DEMO_CATALOGUES:
        organisation = Organisation.objects.get(name=org_name)
        domain = Domain.objects.get(name=domain_name)
        if Catalogue.objects.filter(organisation=organisation, domain=domain).exists():
            continue
        _compile(organisation, domain, _user(clerk), _user(reviewer), target, county_office)
        created += 1
    return f"新增领域 {domains} 个，标准指引 {guidelines} 个，演示目录 {created} 个"
