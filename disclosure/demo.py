"""Demo government information for 青禾县: a few hundred documents across organisations, topics and
catalogue items, some 依申请公开 and 不予公开, some repealed, with interpretations, guides and a gazette
issue. Deterministic (a fixed random seed) and idempotent."""

import datetime
import io
import json
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from catalog.models import Catalogue
from portal.models import Organisation

from . import workflow
from .files import strip_metadata
from .models import AnnualReport, Attachment, Document, GazetteEntry, GazetteIssue, Guide, Topic

FIXTURES = settings.BASE_DIR / "fixtures"
START = datetime.date(2025, 1, 6)
END = datetime.date(2026, 11, 20)

# Short codes used in 文号 (机关代字), per organisation short name.
NUMBER_PREFIX = {
    "县政府": "青政发", "县政府办公室": "青政办发", "县发展改革局": "青发改", "县教育局": "青教发", "县公安局": "青公发",
    "县民政局": "青民发", "县司法局": "青司发", "县财政局": "青财预", "县人力资源社会保障局": "青人社发",
    "县自然资源局": "青自然资发", "县住房城乡建设局": "青建发", "县交通运输局": "青交发", "县农业农村局": "青农发",
    "县水利局": "青水发", "县文化旅游局": "青文旅发", "县卫生健康局": "青卫健发", "县应急管理局": "青应急发",
    "县市场监管局": "青市监发", "县医疗保障局": "青医保发", "县乡村振兴局": "青振兴发", "县综合执法局": "青执法发",
}

# (title, topic code, genre, catalogue domain or None) per organisation short name; {year} is filled in.
TITLES = {
    "县政府": [
        ("青禾县人民政府关于印发《青禾县{year}年政府工作报告重点工作分工方案》的通知", "0101", "notice", None),
        ("青禾县人民政府关于进一步加强安全生产工作的意见", "0802", "opinion", None),
        ("青禾县人民政府关于公布{year}年度县级重点建设项目名单的通知", "0201", "notice", None),
        ("青禾县人民政府关于调整城乡居民最低生活保障标准的通知", "1603", "notice", None),
        ("青禾县人民政府关于印发青禾县突发事件总体应急预案的通知", "0101", "notice", None),
        ("青禾县人民政府关于印发《青禾县国土空间总体规划（2021—2035年）》的通知", "0401", "plan", None),
        ("青禾县人民政府关于实施“十五五”时期农业农村现代化规划的意见", "0501", "opinion", None),
        ("青禾县人民政府关于{year}年度县长质量奖授奖的决定", "0801", "decision", None),
    ],
    "县政府办公室": [
        ("青禾县人民政府办公室关于印发《青禾县{year}年政务公开工作要点》的通知", "0103", "notice", None),
        ("青禾县人民政府办公室关于做好{year}年春节期间有关工作的通知", "0101", "notice", None),
        ("青禾县人民政府办公室关于进一步优化营商环境的实施意见", "0201", "opinion", None),
        ("青禾县人民政府办公室关于加强行政规范性文件制定和监督管理工作的通知", "0101", "notice", None),
        ("青禾县人民政府办公室关于印发青禾县防汛抗旱应急预案的通知", "0101", "notice", None),
        ("青禾县人民政府办公室关于开展{year}年度“双随机、一公开”监管工作的通知", "0801", "notice", None),
    ],
    "县公安局": [
        ("关于户籍业务“跨省通办”的公告", "1501", "announcement", "户籍管理"),
        ("青禾县公安局{year}年户籍业务办事指南", "1501", "other", "户籍管理"),
        ("关于居民身份证异地受理、挂失申报和补领的公告", "1501", "announcement", "户籍管理"),
        ("关于开展{year}年冬季道路交通安全集中整治的通告", "1501", "notice_public", None),
        ("青禾县公安局关于新生儿出生登记“一件事”联办的公告", "1501", "announcement", "户籍管理"),
    ],
    "县教育局": [
        ("青禾县{year}年义务教育阶段学校招生入学工作方案", "1002", "plan", "义务教育"),
        ("关于公布{year}年秋季学期城区义务教育学校招生范围的通告", "1002", "notice_public", "义务教育"),
        ("青禾县{year}年教育事业发展统计公报", "1002", "statistics", "义务教育"),
        ("关于{year}年家庭经济困难学生资助工作的通知", "1002", "notice", "义务教育"),
        ("青禾县义务教育学校名录（{year}年）", "1002", "other", "义务教育"),
    ],
    "县民政局": [
        ("青禾县{year}年第{quarter}季度城乡最低生活保障对象名单公示", "1603", "publicity", "社会救助"),
        ("关于提高特困人员基本生活标准的通知", "1603", "notice", "社会救助"),
        ("青禾县临时救助实施办法", "1603", "notice", "社会救助"),
        ("青禾县{year}年第{quarter}季度特困人员救助供养资金发放情况", "1603", "statistics", "社会救助"),
        ("关于开展{year}年度养老机构服务质量评估的通知", "1603", "notice", None),
    ],
    "县财政局": [
        ("青禾县{year}年一般公共预算收支情况", "0301", "statistics", "财政预决算"),
        ("关于青禾县{year}年预算执行情况和下一年度预算草案的报告", "0301", "report", "财政预决算"),
        ("青禾县{year}年县级政府决算", "0301", "statistics", "财政预决算"),
        ("青禾县{year}年政府债务限额及余额情况", "0301", "statistics", "财政预决算"),
    ],
    "县人力资源社会保障局": [
        ("青禾县{year}年第{quarter}季度公益性岗位招聘公告", "1401", "announcement", "就业创业"),
        ("关于发放{year}年度一次性创业补贴的公示", "1401", "publicity", "就业创业"),
        ("青禾县{year}年职业技能培训计划", "1401", "plan", "就业创业"),
        ("关于调整{year}年城乡居民基本养老保险缴费档次的通知", "1402", "notice", None),
    ],
    "县自然资源局": [
        ("青禾县{year}年第{quarter}批次城镇建设用地征收土地预公告", "0401", "announcement", None),
        ("关于青禾县{year}年度国有建设用地供应计划的公告", "0401", "announcement", None),
    ],
    "县住房城乡建设局": [
        ("青禾县{year}年公共租赁住房保障对象资格审核结果公示", "0901", "publicity", None),
        ("关于公布{year}年农村危房改造对象名单的公示", "0901", "publicity", None),
        ("青禾县城市供水突发事件应急预案", "0901", "plan", None),
    ],
    "县卫生健康局": [
        ("青禾县{year}年基本公共卫生服务项目实施方案", "1201", "plan", None),
        ("关于做好{year}年冬春季传染病防控工作的通知", "1201", "notice", None),
    ],
    "县市场监管局": [
        ("青禾县{year}年第{quarter}期食品安全监督抽检信息公告", "0803", "announcement", None),
        ("关于{year}年度市场主体年度报告公示工作的通告", "0801", "notice_public", None),
    ],
    "县应急管理局": [
        ("青禾县{year}年安全生产执法检查计划", "0802", "plan", None),
        ("关于做好{year}年汛期安全防范工作的通知", "0101", "notice", None),
    ],
    "township": [
        ("{org}{year}年第{quarter}季度城乡低保对象公示", "1603", "publicity", "社会救助"),
        ("{org}关于{year}年度农村危房改造对象的公示", "0901", "publicity", None),
        ("{org}关于做好秸秆禁烧和综合利用工作的通告", "0904", "notice_public", None),
        ("{org}{year}年财政预算公开", "0301", "statistics", None),
    ],
    "department": [
        ("{org}{year}年部门预算", "0301", "statistics", None),
        ("{org}关于开展“双随机、一公开”抽查工作的通知", "0801", "notice", None),
        ("{org}权责清单（{year}年版）", "0101", "other", None),
    ],
}

PARAGRAPHS = [
    "为深入贯彻落实党中央、国务院和省委、省政府决策部署，结合本县实际，现就有关事项{kind}如下。",
    "各级各部门要提高思想认识，加强组织领导，明确责任分工，确保各项工作任务落到实处。",
    "要坚持以人民为中心的发展思想，聚焦群众关心关注的热点难点问题，及时回应社会关切。",
    "要严格按照《中华人民共和国政府信息公开条例》要求，做好相关信息的公开发布和政策解读工作。",
    "各单位要加强督促检查，对工作推进不力的，予以通报批评；对成效明显的，予以表扬。",
    "本{kind_short}自印发之日起施行。执行中遇到的问题，请及时向牵头部门反映。",
]

GUIDE_TEMPLATE = """<h2>一、主动公开</h2>
<p>（一）公开的主要内容。本机关主动公开的政府信息包括机构职能、行政规范性文件、规划计划、财政预决算、政务公开事项标准目录所列事项等，具体见本机关“法定主动公开内容”。</p>
<p>（二）公开方式。主要通过{site}门户网站“政府信息公开”专栏公开，并通过政府公报、政务新媒体、新闻发布会、政务服务中心、公开查阅点等渠道公开。</p>
<p>（三）公开时限。属于主动公开范围的政府信息，自该政府信息形成或者变更之日起20个工作日内予以公开。法律、法规对政府信息公开的期限另有规定的，从其规定。</p>
<h2>二、依申请公开</h2>
<p>（一）受理机构。{name}政府信息公开工作机构，地址：{address}；邮政编码：{postcode}；办公时间：{hours}；联系电话：{phone}。</p>
<p>（二）申请方式。申请人可以通过互联网在线申请，或者当面、邮寄等书面形式提出申请。申请内容应包括：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述；申请公开的政府信息的形式要求，包括获取信息的方式、途径。</p>
<p>（三）办理时限。能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日。</p>
<p>（四）收费。行政机关依申请提供政府信息，不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，可以依法收取信息处理费。</p>
<h2>三、监督和救济</h2>
<p>公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向青禾县人民政府办公室投诉、举报，也可以依法申请行政复议或者提起行政诉讼。</p>"""

RULES = [
    "青禾县政府信息公开申请办理工作规程",
    "青禾县政府信息公开保密审查办法",
    "青禾县政务公开工作考核办法",
    "青禾县政府信息公开属性源头认定工作规范",
]

WITHHOLD = [
    (Document.Attribute.WITHHELD, Document.Ground.PROCESS_INFORMATION, "属于研究讨论过程中的过程性信息，尚未形成正式决定。"),
    (Document.Attribute.WITHHELD, Document.Ground.INTERNAL_AFFAIRS, "属于本机关内部人事管理事务信息。"),
    (Document.Attribute.WITHHELD, Document.Ground.THIRD_PARTY, "涉及企业商业秘密，经征求第三方意见不同意公开。"),
    (Document.Attribute.ON_REQUEST, Document.Ground.SPECIFIC_PARTIES, "仅与特定申请人相关，依申请提供。"),
]


def _body(title, rng):
    kind = "通知" if "通知" in title else "意见" if "意见" in title else "公告"
    chosen = rng.sample(PARAGRAPHS[1:5], 2)
    parts = [PARAGRAPHS[0].format(kind=kind), *chosen, PARAGRAPHS[5].format(kind_short=kind)]
    html = "<p>各乡镇人民政府、街道办事处，县政府各部门：</p>" + "".join(f"<p>{p}</p>" for p in parts)
    if rng.random() < 0.3:
        html += "<h2>附表</h2><table><tr><th>序号</th><th>事项</th><th>责任单位</th></tr>" + "".join(
            f"<tr><td>{n}</td><td>重点任务{n}</td><td>县直有关部门</td></tr>" for n in range(1, 4)
        ) + "</table>"
    return html


def _pdf(title, lines):
    """A small PDF with Chinese text (reportlab's built-in CID font needs no font files)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("STSong-Light", 18)
    page.drawCentredString(A4[0] / 2, A4[1] - 90, title[:40])
    page.setFont("STSong-Light", 12)
    for n, line in enumerate(lines):
        page.drawString(70, A4[1] - 140 - n * 22, line[:44])
    page.save()
    return strip_metadata(out.getvalue(), "pdf")


def _staff(organisation, role, fallback):
    user = User.objects.filter(staff__organisation=organisation, **{f"staff__is_{role}": True}).first()
    return user or fallback


class _Builder:
    def __init__(self):
        self.rng = random.Random(2026)
        self.admin = User.objects.get(username="admin")
        # Four eyes: where the clerk is the only reviewer (柳河镇), the county office approves.
        self.county_office = User.objects.filter(username="xfb_fuhe").first() or self.admin
        self.topics = {t.code: t for t in Topic.objects.all()}
        self.serials = {}
        self.created = 0

    def number(self, organisation, year):
        prefix = NUMBER_PREFIX.get(organisation.short_name)
        if prefix is None or self.rng.random() < 0.25:
            return ""
        key = (prefix, year)
        self.serials[key] = self.serials.get(key, 0) + self.rng.randint(1, 6)
        return f"{prefix}〔{year}〕{self.serials[key]}号"

    def items_by_domain(self, organisation):
        published = Catalogue.objects.filter(organisation=organisation, state=Catalogue.State.PUBLISHED)
        result = {}
        for catalogue in published.select_related("domain"):
            result[catalogue.domain.name] = list(catalogue.items.filter(parent__isnull=False))
        return result

    def document(self, organisation, title, topic_code, genre, written, *, item=None, attribute=None, ground=("", ""),
                 is_normative=False, is_rule=False, body=None):
        clerk = _staff(organisation, "clerk", self.admin)
        reviewer = _staff(organisation, "reviewer", self.admin)
        if reviewer == clerk:
            reviewer = self.county_office
        document = Document(
            title=title, organisation=organisation, document_number=self.number(organisation, written.year),
            written_date=written, topic=self.topics[topic_code], genre=genre, catalogue_item=item,
            body=body or _body(title, self.rng), attribute=attribute or Document.Attribute.PROACTIVE,
            ground=ground[0], ground_reason=ground[1], is_normative=is_normative, is_disclosure_rule=is_rule,
        )
        workflow.create(document, by=clerk)
        workflow.submit(document, by=clerk)
        published_on = min(written + datetime.timedelta(days=self.rng.randint(0, 9)), END)
        document = workflow.publish(document, by=reviewer, on=published_on)
        self.created += 1
        return document

    def random_date(self):
        return START + datetime.timedelta(days=self.rng.randint(0, (END - START).days))


def _organisation_documents(builder, organisation):
    key = organisation.short_name if organisation.short_name in TITLES else (
        "township" if organisation.kind in (Organisation.Kind.TOWNSHIP, Organisation.Kind.SUBDISTRICT) else "department"
    )
    templates = TITLES[key] + (TITLES["department"] if key not in ("township", "department", "县政府") else [])
    items = builder.items_by_domain(organisation)
    documents = []
    for year in (2025, 2026):
        for title, topic, genre, domain in templates:
            written = builder.random_date().replace(year=year)
            if written > END:
                written = END - datetime.timedelta(days=builder.rng.randint(1, 60))
            text = title.format(year=year, quarter=builder.rng.randint(1, 4), org=organisation.name.removesuffix("人民政府").removesuffix("办事处"))
            item = builder.rng.choice(items[domain]) if domain in items and items[domain] else None
            normative = genre in ("opinion", "notice") and key in ("县政府", "县政府办公室") and builder.rng.random() < 0.6
            documents.append(builder.document(organisation, text, topic, genre, written, item=item, is_normative=normative))
    # An annual report for 2025 (published by the end of January as the 条例 requires).
    documents.append(builder.document(
        organisation, f"{organisation.name}2025年政府信息公开工作年度报告", "0103", Document.Genre.ANNUAL_REPORT,
        datetime.date(2026, 1, builder.rng.randint(10, 28)),
    ))
    # Information that is kept, not published: its attribute and 条例 ground decided at the source.
    for attribute, ground, reason in builder.rng.sample(WITHHOLD, 2):
        builder.document(
            organisation, f"{organisation.display_name}{builder.rng.choice(['关于内部工作调整的请示', '专题会议纪要', '有关企业经营情况的报告', '干部任免审批材料'])}",
            "0101", Document.Genre.OTHER, builder.random_date(), attribute=attribute, ground=(ground, reason),
        )
    return documents


def _link_relations(builder, county_documents):
    """Interpretations (三同步) and repealed documents replaced by newer ones."""
    policies = [d for d in county_documents if d.genre in ("opinion", "notice", "plan")]
    for policy in policies[:10]:
        interpretation = builder.document(
            policy.organisation, f"《{policy.title.split('关于')[-1].removesuffix('的通知')}》政策解读", "0103",
            Document.Genre.INTERPRETATION, policy.written_date,
            body=f"<h2>一、出台背景</h2><p>为贯彻落实上级有关部署，县政府研究制定了本文件。</p><h2>二、主要内容</h2><p>文件明确了工作目标、主要任务和保障措施。</p><h2>三、解读机关及联系方式</h2><p>{policy.organisation.name}，电话：{policy.organisation.phone}。</p>",
        )
        policy.interpretations.add(interpretation)
    # A 2025 normative document re-issued in 2026 under the same title is replaced by the new one.
    normative = sorted((d for d in county_documents if d.is_normative), key=lambda d: d.written_date)
    latest = {}
    for document in normative:
        earlier = latest.get(document.title)
        if earlier is not None:
            workflow.change_validity(earlier, by=builder.admin, validity=Document.Validity.REPEALED, replaced_by=document,
                                     note="被同名新文件替代")
        latest[document.title] = document
    for document in normative[1::6]:
        document.refresh_from_db()
        if document.validity == Document.Validity.VALID and document.written_date.year == 2025:
            workflow.change_validity(document, by=builder.admin, validity=Document.Validity.EXPIRED, note="有效期届满")


def _attachments(builder, documents):
    for document in documents[:12]:
        data = _pdf(document.title, [f"{document.organisation.name}", f"{document.written_date:%Y年%m月%d日}", "（此件公开发布）"])
        Attachment.objects.create(
            document=document, file=ContentFile(data, name="attachment.pdf"), original_name=f"{document.title[:60]}.pdf",
            kind="pdf", size=len(data),
        )


def _under_review(builder):
    """县公安局 has one document waiting for its reviewer and one returned to the clerk."""
    organisation = Organisation.objects.filter(short_name="县公安局").first()
    clerk = User.objects.filter(username="gaj_clerk").first()
    reviewer = User.objects.filter(username="gaj_review").first()
    if organisation is None or clerk is None or reviewer is None:
        return
    written = datetime.date(2026, 11, 18)
    waiting = workflow.create(Document(
        title="关于调整户籍业务窗口周六办公时间的通知", organisation=organisation, document_number="青公发〔2026〕41号",
        written_date=written, topic=builder.topics["0103"], genre=Document.Genre.NOTICE,
        attribute=Document.Attribute.PROACTIVE,
        body="<p>各派出所、各户籍窗口：</p><p>为方便群众办理户籍业务，经研究，自2026年12月起调整县政务服务中心户籍窗口办公时间。</p>"
             "<h2>一、调整内容</h2><ol><li>周一至周五：上午9:00—12:00，下午13:30—17:00。</li>"
             "<li>周六上午<strong>9:00—12:00</strong>办理居民身份证申领、户口迁移业务。</li></ol>"
             "<h2>二、有关要求</h2><p>各窗口要在醒目位置公示办公时间，做好群众解释工作。</p>"
             "<table><tr><th>窗口</th><th>周六办理业务</th></tr><tr><td>1号窗口</td><td>居民身份证申领</td></tr>"
             "<tr><td>2号窗口</td><td>户口迁移</td></tr></table>",
    ), by=clerk)
    data = _pdf(waiting.title, ["青禾县公安局", "2026年11月18日", "户籍窗口办公时间表"])
    Attachment.objects.create(document=waiting, file=ContentFile(data, name="attachment.pdf"),
                              original_name="户籍窗口办公时间表.pdf", kind="pdf", size=len(data))
    workflow.submit(waiting, by=clerk, note="请审核：窗口时间已与县政务服务中心确认。")
    returned = workflow.create(Document(
        title="关于开展冬季交通安全宣传活动的通知", organisation=organisation, document_number="青公发〔2026〕42号",
        written_date=written, topic=builder.topics["0103"], genre=Document.Genre.NOTICE,
        attribute=Document.Attribute.PROACTIVE, body=_body("关于开展冬季交通安全宣传活动的通知", builder.rng),
    ), by=clerk)
    workflow.submit(returned, by=clerk)
    workflow.return_to_draft(returned, by=reviewer, note="文号与发文登记不一致，请核对后重新提交。")


def _gazette(builder, county_documents):
    if GazetteIssue.objects.exists():
        return
    entries = [d for d in county_documents if d.is_public and d.written_date.year == 2026][:8]
    issue = GazetteIssue(year=2026, number=1, publish_date=datetime.date(2026, 6, 30), is_published=True)
    lines = ["目    录"] + [f"{n}. {d.title[:38]}" for n, d in enumerate(entries, 1)]
    issue.save()
    workflow.add_gazette_pdf(issue, by=builder.county_office, content=ContentFile(_pdf(issue.title, lines), name="gazette.pdf"))
    for position, document in enumerate(entries, 1):
        GazetteEntry.objects.create(issue=issue, document=document, position=position, page=position * 2 - 1)


@transaction.atomic
def load_demo():
    if Document.objects.exists():
        return "已有政府信息，未新增"
    topics = json.loads((FIXTURES / "topics.json").read_text(encoding="utf-8"))
    for top in topics:
        parent, _ = Topic.objects.get_or_create(code=top["code"], defaults={"name": top["name"]})
        for child in top["children"]:
            Topic.objects.get_or_create(code=child["code"], defaults={"name": child["name"], "parent": parent})
    builder = _Builder()
    bodies = Organisation.objects.filter(is_disclosure_body=True).exclude(kind__in=["village", "residents"]).order_by("tree_id", "lft")
    for organisation in bodies:
        Guide.objects.get_or_create(organisation=organisation, defaults={"body": GUIDE_TEMPLATE.format(
            site=settings.SITE_NAME, name=organisation.name, address=organisation.address, postcode=organisation.postcode,
            hours=organisation.office_hours, phone=organisation.phone)})
    county_documents = []
    for organisation in bodies:
        documents = _organisation_documents(builder, organisation)
        if organisation.short_name in ("县政府", "县政府办公室"):
            county_documents.extend(documents)
    office = Organisation.objects.get(short_name="县政府办公室")
    for title in RULES:
        builder.document(office, title, "0103", Document.Genre.NOTICE, builder.random_date(), is_rule=True, is_normative=True)
    _link_relations(builder, county_documents)
    _attachments(builder, county_documents)
    _gazette(builder, county_documents)
    _under_review(builder)
    withheld = Document.objects.filter(~Q(attribute=Document.Attribute.PROACTIVE)).count()
    return f"新增政府信息 {builder.created} 件（其中依申请公开或不予公开 {withheld} 件），指南 {bodies.count()} 份，政府公报 1 期"


# 县级 bodies hold the figures of table 二 in their own systems; the demo enters plausible ones.
DEMO_SOURCES = {
    "table_two_source": "行政许可、行政处罚、行政强制数据取自县政务服务平台和行政执法监督平台；收费数据取自县财政局非税收入系统",
    "table_four_source": "行政复议数据取自县司法局行政复议台账，行政诉讼数据取自县人民法院行政案件统计",
}
DEMO_PROBLEMS = (
    "一是部分单位主动公开的及时性有待提高；二是政策解读形式较为单一。{next_year}年，将加强公开时效监测，"
    "推行图文、音视频等多样化解读，提高依申请公开答复质量。"
)
# What staff write in place of the draft's prompts for (三) to (五).
DEMO_OVERVIEW_WORK = {
    "（三）": "（三）政府信息管理。严格执行信息发布审核制度，公文在拟制时即认定公开属性；对不予公开的信息每年评估一次。",
    "（四）": "（四）平台建设。依托县政府门户网站“政府信息公开”专栏集中发布信息，同步通过政务新媒体推送。",
    "（五）": "（五）监督保障。将政务公开纳入年度绩效考核，按季度通报公开时效和依申请公开办理情况。",
}


def _demo_overview(draft):
    return "\n".join(DEMO_OVERVIEW_WORK.get(line[:3], line) for line in draft.splitlines())


# A township that published last year's report after its deadline: the county office's dashboard shows it.
LATE_REPORTER = "柳河镇人民政府"


@transaction.atomic
def load_annual_reports():
    """Published 政府信息公开工作年度报告 of the last two years for every demo body, computed from the
    demo register (requests_app's demo calls this once its applications exist)."""
    from . import reports

    if AnnualReport.objects.exists():
        return "已有年度报告，未新增"
    rng = random.Random(49)
    admin = User.objects.get(username="admin")
    county_office = User.objects.filter(username="xfb_fuhe").first() or admin
    office_clerk = User.objects.filter(username="xfb_clerk").first() or admin
    today = timezone.localdate()
    made = 0
    bodies = Organisation.objects.filter(is_disclosure_body=True).exclude(kind__in=["village", "residents"]).order_by("tree_id", "lft")
    for organisation in bodies:
        if organisation.kind == Organisation.Kind.COUNTY_GOVERNMENT:
            clerk, reviewer = office_clerk, county_office
        else:
            clerk, reviewer = _staff(organisation, "clerk", admin), _staff(organisation, "reviewer", admin)
        if reviewer == clerk:
            reviewer = county_office
        for year in (today.year - 2, today.year - 1):
            upheld, pending = rng.randint(0, 2), rng.randint(0, 1)
            report = reports.start(organisation, year, by=clerk)
            report = reports.update(
                report, by=clerk, overview=_demo_overview(reports.draft_overview(organisation, year)),
                licensing_decisions=rng.randint(0, 400), penalty_decisions=rng.randint(0, 120),
                enforcement_decisions=rng.randint(0, 10), fees_amount=Decimal(rng.randint(0, 3000)) / 100,
                reconsideration_upheld=upheld, reconsideration_pending=pending, reconsideration_total=upheld + pending,
                problems=DEMO_PROBLEMS.format(next_year=year + 1), other_matters="本年度未收取信息处理费。", **DEMO_SOURCES,
            )
            reports.submit(report, by=clerk)
            reports.publish(report, by=reviewer)
            # Demo only: published in January of the next year, as the 条例 asks (one township late, in February).
            month, day = (2, 12) if organisation.name == LATE_REPORTER and year == today.year - 1 else (1, rng.randint(10, 28))
            AnnualReport.objects.filter(pk=report.pk).update(
                published_at=timezone.make_aware(datetime.datetime(year + 1, month, day, 10, 0)),
            )
            made += 1
    return f"新增已发布的年度报告 {made} 份"
