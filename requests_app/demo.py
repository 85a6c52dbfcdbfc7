"""Demo applications for 青禾县: a year and a half of them, in every state and every reply type, so
that the queue, the annual report and the dashboard have something real to show. Deterministic and
idempotent."""

import datetime
import io
import random

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from portal.models import Organisation, credit_code_check_char
from portal.workdays import add_working_days

from . import workflow
from .models import Application, ApplicationEvent, Consultation, ReplySettings, ReplyType, validate_resident_id

FIRST_DAY = datetime.date(2025, 6, 2)

SUBJECTS = {
    "青禾县公安局": ["2025年青禾县户籍人口统计数据", "本人户口迁移审批材料", "柳河镇派出所辖区治安案件统计", "青公发〔2025〕12号文件"],
    "青禾县教育局": ["2026年城区义务教育学校招生片区划分依据", "青禾县第二实验小学建设项目批复", "2025年学生资助资金发放名单"],
    "青禾县民政局": ["2025年第四季度城乡低保对象名单", "本人所在村特困供养审批材料", "养老机构运营补贴发放情况"],
    "青禾县自然资源局": ["柳河镇前营村集体土地征收批复文件", "2025年度国有建设用地供应结果", "征地补偿安置方案"],
    "青禾县住房和城乡建设局": ["人民路棚户区改造项目房屋征收决定", "2025年公共租赁住房分配名单", "农村危房改造补助资金拨付情况"],
    "柳河镇人民政府": ["前营村2025年低保评议会议记录", "柳河镇2025年财政预算", "后营村土地承包经营权调整方案"],
}
NAMES = ["王建国", "李秀兰", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周涛", "吴敏", "徐强", "孙芳", "马超", "朱琳", "胡军"]
COMPANIES = [("青禾县某某建材有限公司", "business"), ("青禾律师事务所", "legal_service"), ("青禾县农业科学研究所", "research"),
             ("青禾县慈善总会", "non_profit"), ("青禾县某某农民专业合作社", "other")]

# 《行政复议法》第二十七条: the demo county's vertically managed bodies and their next-level authority,
# which their letters name as the reconsideration body.
VERTICALLY_MANAGED = {"国家税务总局青禾县税务局": "国家税务总局青禾市税务局"}
TAX_SUBJECTS = {
    ReplyType.WITHHELD_THIRD_PARTY: "青禾县某某建材有限公司2025年度纳税申报资料",
    ReplyType.DISCLOSED: "2025年青禾县小微企业税费减免政策执行情况",
}

REPLY_DETAILS = {
    ReplyType.ALREADY_PUBLIC: {"where_public": "青禾县人民政府门户网站“政府信息公开”专栏"},
    ReplyType.DISCLOSED: {"reply_text": "现将所申请的信息以电子邮件方式提供给你"},
    ReplyType.PARTIALLY_DISCLOSED: {"reply_text": "其中涉及个人身份证号码、住址等个人隐私的内容已作区分处理"},
    ReplyType.UNAVAILABLE_NOT_HELD: {"reply_text": "经检索，本机关未制作或获取该信息"},
    ReplyType.NOT_THIS_BODY: {"reply_text": "征地补偿安置方案由自然资源主管部门拟定并公开",
                              "responsible_body": "青禾县自然资源局（联系电话：0539-7900017）"},
    ReplyType.OTHER: {"reply_text": "申请人于答复前通过其他途径已获取该信息，本机关终止办理"},
}


def _resident_id(rng):
    first17 = f"3799{rng.randint(10, 99)}{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    number = first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]
    validate_resident_id(number)
    return number


def _credit_code(rng):
    first17 = f"91379921{rng.randint(10**8, 10**9 - 1)}"
    return first17 + credit_code_check_char(first17)


def _backdate(application, on):
    # Demo only: the workflow dates its own steps today; these happened in the past.
    ApplicationEvent.objects.filter(pk=application.events.latest("pk").pk).update(on=on)


def _staff(organisation, role, fallback):
    return User.objects.filter(staff__organisation=organisation, **{f"staff__is_{role}": True}).first() or fallback


def _new(rng, organisation, clerk, arrived_on, online, description=None):
    is_company = rng.random() < 0.3
    fields = {
        "organisation": organisation, "description": description or rng.choice(SUBJECTS[organisation.name]),
        "phone": f"13{rng.randint(100000000, 999999999)}", "address": f"青禾县{rng.choice(['人民路', '文昌街', '柳河镇前营村', '石桥镇'])}{rng.randint(1, 200)}号",
        "postcode": "379900", "form_wanted": rng.choice(Application.Form.values), "delivery": Application.Delivery.EMAIL,
        "email": f"applicant{rng.randint(1000, 9999)}@example.com",
        "channel": Application.Channel.ONLINE if online else rng.choice(
            [Application.Channel.IN_PERSON, Application.Channel.REGISTERED_POST, Application.Channel.POST, Application.Channel.EMAIL]),
        "arrived_on": arrived_on,
    }
    if is_company:
        name, category = rng.choice(COMPANIES)
        fields.update(applicant_kind="organisation", applicant_name=name, organisation_category=category,
                      credit_code=_credit_code(rng), legal_representative=rng.choice(NAMES))
    else:
        fields.update(applicant_kind="person", applicant_name=rng.choice(NAMES), id_type="resident_id", id_number=_resident_id(rng))
    application = workflow.receive(Application(**fields), by=None if online else clerk)
    if online and arrived_on < timezone.localdate() - datetime.timedelta(days=3):
        application = workflow.register(application, by=clerk)
        _backdate(application, application.receipt_date)
    return application


def _approver(organisation, clerk, fallback):
    # Four eyes: a reviewer who is not the drafting clerk; else (柳河镇's one clerk-and-reviewer) the county office.
    others = User.objects.filter(staff__organisation=organisation, staff__is_reviewer=True).exclude(pk=clerk.pk)
    return others.first() or User.objects.filter(staff__is_county_office=True).first() or fallback


def _pdf(title):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont("STSong-Light", 16)
    page.drawString(70, 760, title)
    page.save()
    return out.getvalue()


def _reply(rng, application, clerk, reviewer, reply_type, *, send=True, archive=False):
    details = REPLY_DETAILS.get(reply_type, {"reply_text": "经审查，该信息属于上述情形，依法作出本答复"})
    files = {}
    if reply_type in (ReplyType.DISCLOSED, ReplyType.PARTIALLY_DISCLOSED):
        # Real PDFs: draft_reply checks and cleans every file it is given.
        files["redacted_file"] = ContentFile(_pdf("提供的政府信息（演示）"), name="information.pdf")
        files["information_file"] = ContentFile(_pdf("政府信息原件（演示）"), name="original.pdf")
    day = min(add_working_days(application.receipt_date, rng.randint(3, 15)), application.due_date or timezone.localdate())
    application = workflow.draft_reply(application, by=clerk, reply_type=reply_type, on=day, **details, **files)
    _backdate(application, day)
    application = workflow.approve_reply(application, by=_approver(application.organisation, clerk, reviewer))
    _backdate(application, day)
    if send:
        application = workflow.send_reply(application, by=clerk, sent_on=day)
    if archive:
        application = workflow.archive(application, by=clerk)
        _backdate(application, day)
    return application


def _reply_settings():
    """Remedy facts the rules of remedies.py cannot know: the city above the county, vertical management."""
    for organisation in Organisation.objects.filter(kind=Organisation.Kind.COUNTY_GOVERNMENT):
        ReplySettings.objects.get_or_create(
            organisation=organisation, defaults={"superior_authority": "青禾市人民政府", "court": "青禾市中级人民法院"}
        )
    for organisation in Organisation.objects.filter(name__in=VERTICALLY_MANAGED):
        ReplySettings.objects.get_or_create(organisation=organisation, defaults={
            "is_vertically_managed": True, "superior_authority": VERTICALLY_MANAGED[organisation.name],
        })


def load_demo():
    applications = _load_applications()
    # The annual reports are computed from the register, so they come once it is there.
    from disclosure.demo import load_annual_reports

    return f"{applications}；{load_annual_reports()}"


@transaction.atomic
def _load_applications():
    _reply_settings()
    if Application.objects.exists():
        return "已有申请，未新增"
    rng = random.Random(36)
    admin = User.objects.get(username="admin")
    organisations = list(Organisation.objects.filter(name__in=SUBJECTS))
    today = timezone.localdate()
    reply_types = list(ReplyType)
    made = 0
    # Closed applications across the year and a half, every reply type at least once.
    for n in range(110):
        organisation = organisations[n % len(organisations)]
        clerk, reviewer = _staff(organisation, "clerk", admin), _staff(organisation, "reviewer", admin)
        arrived = FIRST_DAY + datetime.timedelta(days=rng.randint(0, (today - FIRST_DAY).days - 45))
        application = _new(rng, organisation, clerk, arrived, online=rng.random() < 0.6)
        reply_type = reply_types[n] if n < len(reply_types) else rng.choice(
            [ReplyType.DISCLOSED] * 6 + [ReplyType.ALREADY_PUBLIC] * 3 + [ReplyType.PARTIALLY_DISCLOSED] * 2 + reply_types)
        if reply_type in (ReplyType.OTHER_NO_SUPPLEMENT,):
            application = workflow.request_supplement(application, by=clerk, note="请写明所需信息的具体名称和年份，15日内补正",
                                                      on=add_working_days(application.receipt_date, 2))
        elif reply_type == ReplyType.OTHER_FEE_UNPAID:
            # 国办函〔2020〕109号: a fee notice whose 20 working days passed without payment.
            application = workflow.notify_fee(application, by=clerk, method=Application.FeeMethod.BY_QUANTITY, pages=120,
                                              on=add_working_days(application.receipt_date, 2))
        elif reply_type == ReplyType.UNAVAILABLE_UNCLEAR or rng.random() < 0.1:
            application = workflow.request_supplement(application, by=clerk, note="请明确所需信息的时间范围",
                                                      on=add_working_days(application.receipt_date, 2))
            application = workflow.record_supplement(application, by=clerk, received_on=add_working_days(application.receipt_date, 6))
        if reply_type == ReplyType.NOT_PROCESSED_EXCESSIVE:
            application = workflow.request_reasons(application, by=clerk, on=add_working_days(application.receipt_date, 2),
                                                   note="本月内提出同类申请40余件，请说明申请理由")
        if reply_type == ReplyType.WITHHELD_THIRD_PARTY or rng.random() < 0.08:
            if application.state == Application.State.REGISTERED:
                sent = add_working_days(application.clock_start, 3)
                application = workflow.consult_third_party(
                    application, by=clerk, sent_on=sent, consultee="青禾县恒达建材有限公司", contact="青禾县工业园区纬二路8号",
                    matter="所申请信息中该公司的生产工艺和原料供应商情况", reasons="可能涉及该公司的商业秘密",
                )
                objected = reply_type == ReplyType.WITHHELD_THIRD_PARTY
                application = workflow.record_third_party_answer(
                    application, by=clerk, answered_on=add_working_days(sent, 8),
                    outcome=Consultation.Outcome.OBJECTED if objected else Consultation.Outcome.CONSENTED,
                    opinion="涉及本公司商业秘密，不同意公开" if objected else "同意公开",
                )
        # Nobody decides their own extension: only where the organisation has a reviewer besides the clerk.
        if rng.random() < 0.1 and application.state == Application.State.REGISTERED and clerk != reviewer:
            decided = add_working_days(application.clock_start, 15)
            application = workflow.propose_extension(application, by=clerk, days=15, note="涉及多个科室，需协调",
                                                     on=add_working_days(application.clock_start, 14))
            application = workflow.extend(application, by=reviewer, on=decided)
        _reply(rng, application, clerk, reviewer, reply_type, archive=rng.random() < 0.5)
        made += 1
    # The tax bureau's letters name its superior, 国家税务总局青禾市税务局, as the reconsideration body.
    for organisation in Organisation.objects.filter(name__in=VERTICALLY_MANAGED):
        clerk = _staff(organisation, "clerk", admin)
        for n, (reply_type, description) in enumerate(TAX_SUBJECTS.items()):
            arrived = today - datetime.timedelta(days=120 + 30 * n)
            application = _new(rng, organisation, clerk, arrived, online=False, description=description)
            _reply(rng, application, clerk, _staff(organisation, "reviewer", admin), reply_type)
            made += 1
    # Withdrawn ones.
    for n in range(3):
        organisation = organisations[n]
        clerk = _staff(organisation, "clerk", admin)
        application = _new(rng, organisation, clerk, today - datetime.timedelta(days=60 + n * 40), online=False)
        workflow.withdraw(application, by=clerk, note="申请人书面申请撤回")
        made += 1
    # Open ones in every state: some overdue, some due this week, some fresh.
    for n, (state, age) in enumerate([
        ("received", 1), ("received", 0), ("registered", 5), ("registered", 26), ("registered", 33), ("registered", 12),
        ("supplement_requested", 4), ("third_party", 10), ("reply_drafted", 14), ("reply_approved", 18), ("registered", 29),
        ("fee_notified", 9),
    ]):
        organisation = organisations[n % len(organisations)]
        clerk, reviewer = _staff(organisation, "clerk", admin), _staff(organisation, "reviewer", admin)
        arrived = today - datetime.timedelta(days=age)
        application = _new(rng, organisation, clerk, arrived, online=state == "received")
        if state == "supplement_requested":
            workflow.request_supplement(application, by=clerk, note="请写明所需信息的年份", on=max(application.receipt_date, today - datetime.timedelta(days=2)))
        elif state == "third_party":
            workflow.consult_third_party(
                application, by=clerk, sent_on=max(application.clock_start, today - datetime.timedelta(days=3)),
                consultee="青禾县顺通物流有限公司", matter="所申请信息中该公司的车辆运营数据",
                reasons="可能涉及该公司的经营信息",
            )
        elif state == "fee_notified":
            workflow.notify_fee(application, by=clerk, method=Application.FeeMethod.BY_QUANTITY, pages=260,
                                on=max(application.receipt_date, today - datetime.timedelta(days=2)))
        elif state == "reply_approved":
            _reply(rng, application, clerk, reviewer, ReplyType.DISCLOSED, send=False)
        elif state == "reply_drafted":
            workflow.draft_reply(application, by=clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供所申请的信息")
        made += 1
    # Three people asking for the same document: a candidate for 依申请转主动公开.
    organisation = organisations[0]
    for _ in range(3):
        _new(rng, organisation, _staff(organisation, "clerk", admin), today - datetime.timedelta(days=20), online=False,
             description="青禾县2025年户籍人口统计数据（分乡镇）")
        made += 1
    made += _corrections(Organisation.objects.get(name="青禾县公安局"), admin, today)
    return f"新增申请 {made} 件（各种状态、各种答复类型）"


# 条例第四十一条: correction requests, each with its evidence; one corrected and sent, one waiting.
CORRECTIONS = [
    ("李秀兰", "本人户籍登记信息", "出生日期记载为1980年5月1日", "出生日期应为1980年5月11日", True),
    ("周涛", "本人无犯罪记录证明", "证明中的身份证号码第15位有误", "身份证号码应为379901198803150036", False),
]


def _corrections(organisation, admin, today):
    clerk = _staff(organisation, "clerk", admin)
    for n, (name, description, inaccuracy, correct_record, answered) in enumerate(CORRECTIONS):
        rng = random.Random(41 + n)
        application = workflow.receive(Application(
            kind=Application.Kind.CORRECTION, organisation=organisation, applicant_kind="person", applicant_name=name,
            id_type="resident_id", id_number=_resident_id(rng), phone=f"13{rng.randint(100000000, 999999999)}",
            address="青禾县人民路88号", postcode="379900", description=description, provided_in="县公安局出具的证明材料",
            inaccuracy=inaccuracy, correct_record=correct_record, delivery=Application.Delivery.PICK_UP,
            channel=Application.Channel.IN_PERSON, arrived_on=today - datetime.timedelta(days=20 - 10 * n),
            supporting_file=ContentFile(_pdf(f"{name}的证明材料"), name="evidence.pdf"),
        ), by=clerk)
        if answered:
            workflow.draft_correction_reply(application, by=clerk, outcome="corrected",
                                            reply_text=f"已将该记录更正为：{correct_record.removeprefix('出生日期应为')}")
            workflow.approve_reply(application, by=_approver(organisation, clerk, admin))
            workflow.send_reply(application, by=clerk)
    return len(CORRECTIONS)
