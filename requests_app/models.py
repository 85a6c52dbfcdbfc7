"""Applications for government information (依申请公开) and their append-only timeline. Their
deadlines are counted on the statutory calendar in portal (portal.workdays)."""

import datetime
import re
import secrets
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.crypto import EncryptedEmailField, EncryptedTextField, keyed_hash, normalise_id_number, normalise_phone
from portal.models import Organisation, validate_credit_code
from portal.text import CleanCharField, CleanTextField

# 居民身份证 (GB 11643-1999): 17 digits and a check character from these weights.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def validate_resident_id(value):
    number = value.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError("居民身份证号码应为18位，最后一位可以是数字或X", code="id_shape")
    if ID_CHECK[sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS)) % 11] != number[17]:
        raise ValidationError("居民身份证号码校验位不正确，请核对", code="id_check")


def mask(value, keep_start, keep_end):
    """The middle of a personal number replaced by asterisks, e.g. 1101**********1234."""
    value = value or ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end:]


class ReplyType(models.TextChoices):
    """条例第三十六条 and 第三十七条, as the rows of the annual report's table 三 (国办公开办函〔2021〕30号),
    plus telling the applicant where information already public can be had."""

    ALREADY_PUBLIC = "already_public", "已主动公开，告知获取方式和途径"
    DISCLOSED = "disclosed", "予以公开"
    PARTIALLY_DISCLOSED = "partially_disclosed", "部分公开"
    WITHHELD_STATE_SECRET = "withheld_state_secret", "不予公开：属于国家秘密"
    WITHHELD_LAW = "withheld_law", "不予公开：其他法律行政法规禁止公开"
    WITHHELD_THREE_SECURITIES = "withheld_three_securities", "不予公开：危及“三安全一稳定”"
    WITHHELD_THIRD_PARTY = "withheld_third_party", "不予公开：保护第三方合法权益"
    WITHHELD_INTERNAL = "withheld_internal", "不予公开：属于三类内部事务信息"
    WITHHELD_PROCESS = "withheld_process", "不予公开：属于四类过程性信息"
    WITHHELD_ENFORCEMENT = "withheld_enforcement", "不予公开：属于行政执法案卷"
    WITHHELD_QUERY = "withheld_query", "不予公开：属于行政查询事项"
    UNAVAILABLE_NOT_HELD = "unavailable_not_held", "无法提供：本机关不掌握相关政府信息"
    # 第三十六条第（五）项. Table 三 has no row of its own for it; it is counted in the row above (REPORT_ROWS),
    # and its label says so, after that row's words.
    NOT_THIS_BODY = "not_this_body", "无法提供：本机关不掌握相关政府信息（不属于本机关负责公开，告知负责公开的机关）"
    UNAVAILABLE_NEEDS_CREATION = "unavailable_needs_creation", "无法提供：没有现成信息需要另行制作"
    UNAVAILABLE_UNCLEAR = "unavailable_unclear", "无法提供：补正后申请内容仍不明确"
    NOT_PROCESSED_PETITION = "not_processed_petition", "不予处理：信访举报投诉类申请"
    NOT_PROCESSED_REPEAT = "not_processed_repeat", "不予处理：重复申请"
    NOT_PROCESSED_PUBLICATION = "not_processed_publication", "不予处理：要求提供公开出版物"
    NOT_PROCESSED_EXCESSIVE = "not_processed_excessive", "不予处理：无正当理由大量反复申请"
    NOT_PROCESSED_CONFIRMATION = "not_processed_confirmation", "不予处理：要求行政机关确认或重新出具已获取信息"
    # The annual report's own words (国办公开办函〔2021〕30号, table 三 (六)1 and 2).
    OTHER_NO_SUPPLEMENT = "other_no_supplement", "其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    OTHER_FEE_UNPAID = "other_fee_unpaid", "其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    OTHER = "other", "其他处理：其他"

    @property
    def group(self):
        """The annual report's group: disclosed, partial, withheld, unavailable, not_processed, other."""
        if self in (ReplyType.ALREADY_PUBLIC, ReplyType.DISCLOSED):
            return "disclosed"
        if self == ReplyType.PARTIALLY_DISCLOSED:
            return "partial"
        if self == ReplyType.NOT_THIS_BODY:
            return "unavailable"
        return self.value.split("_")[0] if not self.value.startswith("not_processed") else "not_processed"

    @property
    def report_row(self):
        """The row of the annual report's table 三 this reply is counted in (REPORT_ROWS)."""
        return REPORT_ROWS[self]


# The row of table 三 (国办公开办函〔2021〕30号) each reply type is counted in, as the table prints it.
# Correction requests (Application.Kind.CORRECTION, 条例第四十一条) have no reply type (a constraint keeps
# it so) and are not 政府信息公开申请: the report counts selectors.disclosure_applications() only.
# Two reply types share a row twice:
# - 已主动公开 is counted as 予以公开: the applicant is given the information, by telling where it is.
# - 不属于本机关负责公开 (第三十六条第（五）项) has no row of its own. It is counted as 本机关不掌握相关政府信息,
#   as county reports do in practice: the body holds no information of its own to give, and (五) is the
#   case of (四) where another body is known to be responsible. Not 其他处理 3, which is for replies the
#   条例 does not name.
REPORT_ROWS = {
    ReplyType.ALREADY_PUBLIC: "（一）予以公开",
    ReplyType.DISCLOSED: "（一）予以公开",
    ReplyType.PARTIALLY_DISCLOSED: "（二）部分公开",
    ReplyType.WITHHELD_STATE_SECRET: "（三）不予公开 1.属于国家秘密",
    ReplyType.WITHHELD_LAW: "（三）不予公开 2.其他法律行政法规禁止公开",
    ReplyType.WITHHELD_THREE_SECURITIES: "（三）不予公开 3.危及“三安全一稳定”",
    ReplyType.WITHHELD_THIRD_PARTY: "（三）不予公开 4.保护第三方合法权益",
    ReplyType.WITHHELD_INTERNAL: "（三）不予公开 5.属于三类内部事务信息",
    ReplyType.WITHHELD_PROCESS: "（三）不予公开 6.属于四类过程性信息",
    ReplyType.WITHHELD_ENFORCEMENT: "（三）不予公开 7.属于行政执法案卷",
    ReplyType.WITHHELD_QUERY: "（三）不予公开 8.属于行政查询事项",
    ReplyType.UNAVAILABLE_NOT_HELD: "（四）无法提供 1.本机关不掌握相关政府信息",
    ReplyType.NOT_THIS_BODY: "（四）无法提供 1.本机关不掌握相关政府信息",
    ReplyType.UNAVAILABLE_NEEDS_CREATION: "（四）无法提供 2.没有现成信息需要另行制作",
    ReplyType.UNAVAILABLE_UNCLEAR: "（四）无法提供 3.补正后申请内容仍不明确",
    ReplyType.NOT_PROCESSED_PETITION: "（五）不予处理 1.信访举报投诉类申请",
    ReplyType.NOT_PROCESSED_REPEAT: "（五）不予处理 2.重复申请",
    ReplyType.NOT_PROCESSED_PUBLICATION: "（五）不予处理 3.要求提供公开出版物",
    ReplyType.NOT_PROCESSED_EXCESSIVE: "（五）不予处理 4.无正当理由大量反复申请",
    ReplyType.NOT_PROCESSED_CONFIRMATION: "（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
    ReplyType.OTHER_NO_SUPPLEMENT: "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ReplyType.OTHER_FEE_UNPAID: "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ReplyType.OTHER: "（六）其他处理 3.其他",
}


# What each reply type must carry, as the law requires (field name → what to ask for).
REPLY_REQUIREMENTS = {
    ReplyType.ALREADY_PUBLIC: {"where_public": "请告知获取该信息的方式和途径（如网址、公报期号）"},
    ReplyType.DISCLOSED: {"reply_text": "请写明提供的信息及提供方式"},
    ReplyType.PARTIALLY_DISCLOSED: {
        "reply_text": "请写明不予公开部分的理由",
        "redacted_file": "部分公开须附区分处理后的信息",
    },
    ReplyType.UNAVAILABLE_NOT_HELD: {"reply_text": "请说明本机关不掌握该信息的情况"},
    # 第三十六条第（五）项: tell the applicant why, and the responsible body's name and contact.
    ReplyType.NOT_THIS_BODY: {
        "reply_text": "请说明该信息不属于本机关负责公开的理由",
        "responsible_body": "请写明负责公开该信息的行政机关名称及联系方式",
    },
    ReplyType.OTHER: {"reply_text": "请写明处理情况"},
}
for _type in ReplyType:
    if _type.group in ("withheld", "not_processed") or _type in (
        ReplyType.UNAVAILABLE_NEEDS_CREATION, ReplyType.UNAVAILABLE_UNCLEAR, ReplyType.OTHER_NO_SUPPLEMENT,
        ReplyType.OTHER_FEE_UNPAID,
    ):
        REPLY_REQUIREMENTS.setdefault(_type, {"reply_text": "请写明理由及法律依据"})


class CorrectionOutcome(models.TextChoices):
    """条例第四十一条: how a correction request (政府信息更正申请) is answered. Not a ReplyType: a correction
    request is not a 政府信息公开申请, and the annual report's table 三 has no row for it."""

    CORRECTED = "corrected", "予以更正（已更正并告知）"
    NOT_CORRECTED = "not_corrected", "不予更正（审核不属实，说明理由）"
    TRANSFERRED = "transferred", "不属于本机关职能（转送有权更正的机关）"
    TOLD_TO_APPLY = "told_to_apply", "不属于本机关职能（告知向有权更正的机关提出）"


# What each outcome must carry (field → what to ask for): 第四十一条 says 予以更正并告知 (what was
# corrected), a refusal is reasoned, and both cases outside this body's functions name the body with
# the power to correct.
CORRECTION_REQUIREMENTS = {
    CorrectionOutcome.CORRECTED: {"reply_text": "请写明已更正的内容（更正后的记录及更正方式）"},
    CorrectionOutcome.NOT_CORRECTED: {"reply_text": "请写明审核不属实、不予更正的理由"},
    CorrectionOutcome.TRANSFERRED: {"competent_body": "请写明已转送的有权更正的行政机关名称"},
    CorrectionOutcome.TOLD_TO_APPLY: {"competent_body": "请写明有权更正的行政机关名称"},
}


def new_query_code():
    # No 0/O or 1/I/L: the code is read off paper and typed by hand.
    return "".join(secrets.choice("23456789ABCDEFGHJKMNPQRSTUVWXYZ") for _ in range(8))


def supporting_file_path(instance, filename):
    return f"applications/{instance.receipt_date:%Y}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


reply_file_path = supporting_file_path


class Application(models.Model):
    class Kind(models.TextChoices):
        DISCLOSURE = "disclosure", "政府信息公开申请"
        # 条例第四十一条: 有证据证明行政机关提供的与其自身相关的政府信息记录不准确的，可以要求行政机关更正.
        CORRECTION = "correction", "政府信息更正申请"

    class ApplicantKind(models.TextChoices):
        PERSON = "person", "自然人"
        ORGANISATION = "organisation", "法人或其他组织"

    class OrganisationCategory(models.TextChoices):
        BUSINESS = "business", "商业企业"
        RESEARCH = "research", "科研机构"
        NON_PROFIT = "non_profit", "社会公益组织"
        LEGAL_SERVICE = "legal_service", "法律服务机构"
        OTHER = "other", "其他"

    class IdType(models.TextChoices):
        RESIDENT_ID = "resident_id", "居民身份证"
        PASSPORT = "passport", "护照"
        HK_MACAO = "hk_macao", "港澳居民来往内地通行证"
        TAIWAN = "taiwan", "台湾居民来往大陆通行证"
        FOREIGN_PR = "foreign_pr", "外国人永久居留身份证"
        OTHER = "other", "其他有效身份证件"

    class Form(models.TextChoices):
        PAPER = "paper", "纸质"
        EMAIL = "email", "电子邮件"
        DISC = "disc", "光盘/U盘"
        READING = "reading", "当场阅读"

    class Delivery(models.TextChoices):
        PICK_UP = "pick_up", "自行领取"
        POST = "post", "邮寄"
        EMAIL = "email", "电子邮件"

    class Channel(models.TextChoices):
        ONLINE = "online", "在线申请"
        IN_PERSON = "in_person", "当面提交"
        REGISTERED_POST = "registered_post", "邮寄（需签收）"
        POST = "post", "平常信函"
        FAX = "fax", "传真"
        EMAIL = "email", "电子邮件"

    class State(models.TextChoices):
        RECEIVED = "received", "已收到，待登记"
        REGISTERED = "registered", "办理中"
        SUPPLEMENT_REQUESTED = "supplement_requested", "待申请人补正"
        # 条例第三十二条 (a third party) and 第三十四条 (another agency): one state for both consultations;
        # the open Consultation says whom. The value is kept so that existing rows stay valid.
        THIRD_PARTY = "third_party", "征求意见中"
        FEE_NOTIFIED = "fee_notified", "待缴费"
        REPLY_DRAFTED = "reply_drafted", "答复待审批"
        REPLY_APPROVED = "reply_approved", "答复已审批，待送达"
        REPLIED = "replied", "已答复"
        ARCHIVED = "archived", "已归档"
        WITHDRAWN = "withdrawn", "申请人已撤回"

    OPEN_STATES = (
        State.RECEIVED, State.REGISTERED, State.SUPPLEMENT_REQUESTED, State.THIRD_PARTY,
        State.REPLY_DRAFTED, State.REPLY_APPROVED, State.FEE_NOTIFIED,
    )

    class FeeMethod(models.TextChoices):
        BY_COUNT = "by_count", "按件计收"
        BY_QUANTITY = "by_quantity", "按量计收"

    tracking_number = models.CharField("申请编号", max_length=20, unique=True, editable=False)
    # The query code is a password: kept as Django's salted slow hash, shown once (the receipt page, the
    # receipt mail, the 登记回执) and never to staff. See set_query_code.
    query_code_hash = models.CharField("查询码（散列）", max_length=128, editable=False)
    # One key per form shown to the applicant: a second POST of the same form finds the first application.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, verbose_name="受理机关", on_delete=models.PROTECT, related_name="applications")

    # The 条例 sets no answer period for 第四十一条; a correction request is answered in the period of
    # 第三十三条 like a disclosure application (compute_due_date does not tell them apart).
    kind = models.CharField("申请类型", max_length=20, choices=Kind.choices, default=Kind.DISCLOSURE)
    applicant_kind = models.CharField("申请人类型", max_length=20, choices=ApplicantKind.choices)
    organisation_category = models.CharField("组织类别", max_length=20, choices=OrganisationCategory.choices, blank=True)
    applicant_name = CleanCharField("姓名或名称", max_length=100)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices, blank=True)
    # Personal data at rest is ciphertext (portal.crypto); the *_hash columns find the same person's
    # applications (fees by applicant and month, the admin's search) without decrypting.
    id_number = EncryptedTextField("证件号码", max_length=40, blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    credit_code = CleanCharField("统一社会信用代码", max_length=18, blank=True, validators=[validate_credit_code])
    legal_representative = CleanCharField("法定代表人或负责人", max_length=50, blank=True)
    phone = EncryptedTextField("联系电话", max_length=30)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    email = EncryptedEmailField("电子邮箱", max_length=254, blank=True)
    address = EncryptedTextField("通信地址", max_length=200)
    postcode = CleanCharField("邮政编码", max_length=6, blank=True)

    description = CleanTextField("所需信息的名称或内容描述")
    document_number_sought = CleanCharField("文号（如已知）", max_length=60, blank=True)
    # Required of disclosure applications (clean); a correction request asks for no information.
    form_wanted = models.CharField("信息的载体形式", max_length=20, choices=Form.choices, blank=True)
    delivery = models.CharField("获取方式", max_length=20, choices=Delivery.choices)
    supporting_file = models.FileField("补充材料", upload_to=supporting_file_path, blank=True, max_length=200)

    # 条例第四十一条: what a correction request says is wrong (description names the information).
    provided_in = CleanCharField(
        "该信息的提供途径", max_length=200, blank=True,
        help_text="更正申请：行政机关在何处提供了该信息，例如答复书文号、证照或文件名称",
    )
    inaccuracy = CleanTextField("记录不准确之处", blank=True)
    correct_record = CleanTextField("正确的记录", blank=True)

    channel = models.CharField("申请渠道", max_length=20, choices=Channel.choices)
    arrived_on = models.DateField("送达/签收/确认日期", help_text="当面：提交日；邮寄需签收：签收日；平常信函：收到日；在线、传真、电子邮件：双方确认日")
    receipt_date = models.DateField("收到申请之日", editable=False)
    state = models.CharField("状态", max_length=30, choices=State.choices, default=State.RECEIVED, editable=False)

    # The facts the statutory clock is computed from (条例第三十条、第三十二条、第三十三条).
    clock_start = models.DateField("计时起算日", null=True, editable=False)
    # For both kinds of consultation (第三十三条第三款: 征求第三方和其他机关意见所需时间不计算在前款规定的期限内).
    third_party_sent_on = models.DateField("征求意见日", null=True, blank=True, editable=False)
    third_party_paused_days = models.PositiveIntegerField("征求意见不计时工作日", default=0, editable=False)
    extension_days = models.PositiveIntegerField("延期工作日", default=0, editable=False)
    # 条例第三十三条: the clerk proposes an extension and the disclosure office head decides it.
    extension_proposed_days = models.PositiveSmallIntegerField("申请延长的工作日", default=0, editable=False)
    extension_reason = CleanTextField("延期理由", blank=True, editable=False)
    proactive_document = models.ForeignKey(
        "disclosure.Document", verbose_name="转为主动公开的信息", on_delete=models.SET_NULL, null=True, blank=True,
        editable=False, related_name="+", help_text="条例第四十四条：多人申请的信息转为主动公开时创建的草稿",
    )
    longer_period_days = models.PositiveIntegerField(
        "延迟答复工作日", default=0, editable=False, help_text="条例第三十五条：申请理由合理但无法按期答复时确定的延迟期限",
    )
    supplement_due = models.DateField("补正期限", null=True, blank=True, editable=False,
                                      help_text="告知补正时给申请人的期限；逾期不补正的，才可按“逾期不补正”处理")
    # 条例第四十二条 and 国办函〔2020〕109号: the fee notice and its payment period, not counted in the answer period.
    fee_method = models.CharField("信息处理费计收方式", max_length=20, choices=FeeMethod.choices, blank=True, editable=False)
    fee_amount = models.DecimalField("信息处理费金额（元）", max_digits=10, decimal_places=2, null=True, blank=True, editable=False)
    fee_computation = CleanTextField("信息处理费计算过程", blank=True, editable=False)
    fee_notified_on = models.DateField("收费通知日期", null=True, blank=True, editable=False)
    fee_due = models.DateField("缴费期限", null=True, blank=True, editable=False)
    fee_paid_on = models.DateField("缴费日期", null=True, blank=True, editable=False)
    fee_paused_days = models.PositiveIntegerField("缴费不计时工作日", default=0, editable=False)
    due_date = models.DateField("答复期限", null=True, blank=True, editable=False)
    due_date_is_provisional = models.BooleanField("期限依据暂定假日", default=False, editable=False)

    reply_type = models.CharField("答复类型", max_length=40, choices=ReplyType.choices, blank=True, editable=False)
    reply_text = CleanTextField("答复内容", blank=True, editable=False)
    where_public = CleanCharField("已公开信息的获取途径", max_length=300, blank=True, editable=False)
    responsible_body = CleanCharField("负责公开该信息的机关", max_length=100, blank=True, editable=False)
    correction_outcome = models.CharField(
        "更正申请处理结果", max_length=20, choices=CorrectionOutcome.choices, blank=True, editable=False,
    )
    competent_body = CleanCharField("有权更正的行政机关", max_length=100, blank=True, editable=False)
    information_file = models.FileField("信息原件（仅内部保存）", upload_to=reply_file_path, blank=True, max_length=200, editable=False)
    redacted_file = models.FileField("提供的信息（区分处理后）", upload_to=reply_file_path, blank=True, max_length=200, editable=False)
    replied_on = models.DateField("答复日期", null=True, blank=True, editable=False)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-receipt_date", "-id"]
        indexes = [
            models.Index(fields=["organisation", "state", "due_date"], name="application_queue"),
            models.Index(fields=["receipt_date"], name="application_receipt"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(applicant_kind="person") | ~Q(organisation_category=""),
                name="organisation_applicant_has_category",
            ),
            models.CheckConstraint(condition=Q(extension_days__lte=20), name="extension_at_most_20_days"),
            # A disclosure application gets a reply type, a correction request an outcome, never the other's.
            models.CheckConstraint(
                condition=Q(kind="disclosure", correction_outcome="") | Q(kind="correction", reply_type=""),
                name="answer_of_its_own_kind",
            ),
            # 条例第四十一条: 有证据证明. A correction request comes with its evidence.
            models.CheckConstraint(
                condition=Q(kind="disclosure") | ~Q(supporting_file=""), name="correction_request_has_evidence",
            ),
        ]

    # Set on the instance that issued the code (set_query_code), never loaded from the database.
    query_code = None

    def __str__(self):
        return self.tracking_number

    def save(self, *args, **kwargs):
        if self._state.adding and not self.query_code_hash:
            self.set_query_code()
        # The hashes follow the numbers they stand for, whatever path saves the row.
        for name, value in self.personal_data_hashes().items():
            setattr(self, name, value)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            fields = set(update_fields)
            fields |= {"id_number_hash"} if "id_number" in fields else set()
            fields |= {"phone_hash"} if "phone" in fields else set()
            kwargs["update_fields"] = fields
        super().save(*args, **kwargs)

    def personal_data_hashes(self):
        return {
            "id_number_hash": keyed_hash(normalise_id_number(self.id_number)),
            "phone_hash": keyed_hash(normalise_phone(self.phone)),
        }

    def set_query_code(self):
        """A new query code: its hash is kept, the code itself only on this instance (for the one
        page, mail or letter that tells it to the applicant). The caller saves query_code_hash."""
        self.query_code = new_query_code()
        self.query_code_hash = make_password(self.query_code)
        return self.query_code

    def check_query_code(self, code):
        # A stronger hasher configured later upgrades the stored hash on the next good lookup.
        def upgrade(raw):
            self.query_code_hash = make_password(raw)
            Application.objects.filter(pk=self.pk).update(query_code_hash=self.query_code_hash)

        return check_password(code, self.query_code_hash, setter=upgrade)

    @classmethod
    def of_same_applicant(cls, id_number="", phone=""):
        """Applications by the holder of this ID number or phone, found through the keyed hashes."""
        condition = Q(pk__in=[])
        if normalise_id_number(id_number):
            condition |= Q(id_number_hash=keyed_hash(normalise_id_number(id_number)))
        if normalise_phone(phone):
            condition |= Q(phone_hash=keyed_hash(normalise_phone(phone)))
        return cls.objects.filter(condition)

    # Personal data shown in lists is masked here, so that no page can forget to.
    @property
    def masked_id_number(self):
        return mask(self.id_number, 4, 4)

    @property
    def masked_phone(self):
        return mask(self.phone, 3, 4)

    @property
    def masked_name(self):
        if self.applicant_kind == self.ApplicantKind.ORGANISATION:
            return self.applicant_name
        return self.applicant_name[:1] + "*" * max(len(self.applicant_name) - 1, 1)

    @property
    def is_open(self):
        return self.state in self.OPEN_STATES

    def delete(self, *args, **kwargs):
        raise PermissionDenied("政府信息公开申请及其办理记录不得删除；撤回和归档是申请的状态")

    def clean(self):
        errors = {}
        if self.applicant_kind == self.ApplicantKind.ORGANISATION:
            if not self.organisation_category:
                errors["organisation_category"] = "请选择组织类别"
            if not self.credit_code:
                errors["credit_code"] = "请填写统一社会信用代码"
            if not self.legal_representative:
                errors["legal_representative"] = "请填写法定代表人或负责人"
        else:
            if not self.id_type:
                errors["id_type"] = "请选择证件类型"
            if not self.id_number:
                errors["id_number"] = "请填写证件号码"
            elif self.id_type == self.IdType.RESIDENT_ID:
                try:
                    validate_resident_id(self.id_number)
                except ValidationError as exc:
                    errors["id_number"] = exc.messages[0]
        errors.update(self.kind_errors())
        if self.delivery == self.Delivery.EMAIL and not self.email:
            errors["email"] = "选择电子邮件获取时请填写电子邮箱"
        if self.delivery == self.Delivery.POST and not self.postcode:
            errors["postcode"] = "选择邮寄时请填写邮政编码"
        if errors:
            raise ValidationError(errors)


    @property
    def is_correction(self):
        return self.kind == self.Kind.CORRECTION

    def kind_errors(self):
        """What the application's kind asks of it, as field → message: the carrier form for a disclosure
        application; for a correction request what is wrong, the correct record and the evidence."""
        if not self.is_correction:
            return {} if self.form_wanted else {"form_wanted": "请选择信息的载体形式"}
        errors = {}
        if not (self.inaccuracy or "").strip():
            errors["inaccuracy"] = "请写明该信息记录不准确之处"
        if not (self.correct_record or "").strip():
            errors["correct_record"] = "请写明正确的记录"
        if not self.supporting_file:
            errors["supporting_file"] = "申请更正须有证据证明（条例第四十一条），请上传证明该信息记录不准确的材料"
        return errors

    def drop_fields_of_other_kind(self):
        """A form filled in without JavaScript sends every field: keep only those of the chosen kind."""
        if self.is_correction:
            self.form_wanted = ""
        else:
            self.provided_in = self.inaccuracy = self.correct_record = ""


class ApplicationEvent(models.Model):
    """One step of an application. Append-only: never changed, never deleted."""

    class Action(models.TextChoices):
        RECEIVED = "received", "收到申请"
        REGISTERED = "registered", "登记受理"
        SUPPLEMENT_REQUESTED = "supplement_requested", "告知补正"
        SUPPLEMENT_RECEIVED = "supplement_received", "收到补正"
        THIRD_PARTY_CONSULTED = "third_party_consulted", "征求第三方意见"
        THIRD_PARTY_ANSWERED = "third_party_answered", "收到第三方意见"
        AGENCY_CONSULTED = "agency_consulted", "征求其他行政机关意见"
        AGENCY_ANSWERED = "agency_answered", "收到其他行政机关意见"
        DISCLOSURE_NOTIFIED = "disclosure_notified", "书面告知第三方决定公开"
        EXTENSION_PROPOSED = "extension_proposed", "提出延期申请"
        EXTENSION_REFUSED = "extension_refused", "不同意延期"
        EXTENDED = "extended", "延长答复期限"
        REASONS_REQUESTED = "reasons_requested", "要求说明理由"
        LONGER_PERIOD_SET = "longer_period_set", "确定延迟答复期限"
        PROACTIVE_DRAFT_OPENED = "proactive_draft_opened", "转为主动公开（已建草稿）"
        FEE_NOTIFIED = "fee_notified", "发出收费通知"
        FEE_PAID = "fee_paid", "申请人缴纳信息处理费"
        REPLY_DRAFTED = "reply_drafted", "拟定答复"
        LETTER_REPLACED = "letter_replaced", "更换答复告知书"
        REPLY_RETURNED = "reply_returned", "退回答复"
        REPLY_APPROVED = "reply_approved", "审批答复"
        REPLIED = "replied", "答复送达"
        ARCHIVED = "archived", "归档"
        WITHDRAWN = "withdrawn", "申请人撤回"
        DUE_DATE_RECOMPUTED = "due_date_recomputed", "工作日历调整，重新计算期限"

    # Steps the applicant sees in the status lookup.
    PUBLIC_ACTIONS = (
        Action.RECEIVED, Action.REGISTERED, Action.SUPPLEMENT_REQUESTED, Action.SUPPLEMENT_RECEIVED,
        Action.THIRD_PARTY_CONSULTED, Action.AGENCY_CONSULTED, Action.EXTENDED, Action.REASONS_REQUESTED, Action.LONGER_PERIOD_SET,
        Action.REPLIED, Action.WITHDRAWN, Action.FEE_NOTIFIED, Action.FEE_PAID,
    )

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.PROTECT, related_name="events")
    action = models.CharField("步骤", max_length=30, choices=Action.choices)
    from_state = models.CharField("原状态", max_length=30, choices=Application.State.choices, blank=True)
    to_state = models.CharField("新状态", max_length=30, choices=Application.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="空：申请人在线提交",
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    on = models.DateField("发生日期", help_text="如补正材料到达日、第三方回复日")
    note = CleanTextField("说明", blank=True)
    due_date = models.DateField("此后的答复期限", null=True, blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.application} {self.get_action_display()}"

    @property
    def is_public(self):
        return self.action in self.PUBLIC_ACTIONS

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("办理记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("办理记录只能追加，不能删除")


class PersonalDataAccess(models.Model):
    """One look at an applicant's personal data in the back office (个人信息保护法第五十一条、第五十五条:
    who saw whose data, when, and how). Append-only: never changed, never deleted."""

    class What(models.TextChoices):
        VIEWED = "viewed", "查看申请（含个人信息）"
        LETTER = "letter", "下载文书"
        FILE = "file", "下载材料"
        EXPORTED = "exported", "导出"
        QUERY_CODE_RESET = "query_code_reset", "重置查询码"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="查看人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.PROTECT, related_name="personal_data_accesses",
    )
    what = models.CharField("操作", max_length=20, choices=What.choices)
    detail = CleanCharField("对象", max_length=200, blank=True, help_text="下载的文书文号或材料名称")

    class Meta:
        verbose_name = "个人信息查看记录"
        verbose_name_plural = "个人信息查看记录"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["application", "at"], name="personal_data_access_by_app")]

    def __str__(self):
        return f"{self.user} {self.get_what_display()} {self.application}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("个人信息查看记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("个人信息查看记录只能追加，不能删除")


class Consultation(models.Model):
    """A written consultation about an application: of a third party whose rights disclosure may harm
    (条例第三十二条), or of another agency that made the information jointly (第三十四条). Both have 15
    working days and their time is not counted in the answer period (第三十三条第三款). One is open at a
    time per application (the state 征求意见中 stands for it), which is how county offices work: a second
    party is consulted after the first answered."""

    REPLY_DAYS = 15  # 条例第三十二条、第三十四条: 自收到征求意见书之日起15个工作日内提出意见

    class Kind(models.TextChoices):
        THIRD_PARTY = "third_party", "第三方"
        AGENCY = "agency", "其他行政机关"

    class Outcome(models.TextChoices):
        CONSENTED = "consented", "同意公开"
        OBJECTED = "objected", "不同意公开"
        NO_OPINION = "no_opinion", "逾期未提出意见"

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.PROTECT, related_name="consultations")
    kind = models.CharField("征求对象类别", max_length=20, choices=Kind.choices)
    consultee = CleanCharField("征求意见对象", max_length=100)
    contact = CleanCharField("地址或联系方式", max_length=200, blank=True)
    matter = CleanTextField("征求意见的事项", help_text="涉及该对象的政府信息内容")
    reasons = CleanTextField("公开可能损害第三方合法权益的情况", blank=True)
    sent_on = models.DateField("发出日期")
    reply_by = models.DateField("答复期限", help_text="发出之日起15个工作日")
    answered_on = models.DateField("收到意见日期", null=True, blank=True)
    outcome = models.CharField("意见", max_length=20, choices=Outcome.choices, blank=True)
    opinion = CleanTextField("意见内容", blank=True)
    letter = models.ForeignKey(
        "Letter", verbose_name="征求意见书", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="空：本系统生成文书之前登记的征求意见",
    )
    disclosure_notice = models.ForeignKey(
        "Letter", verbose_name="决定公开告知书", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(answered_on__isnull=True), name="one_open_consultation",
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True, outcome="") | (Q(answered_on__isnull=False) & ~Q(outcome="")),
                name="consultation_answer_has_outcome",
            ),
            models.CheckConstraint(condition=Q(reply_by__gte=models.F("sent_on")), name="consultation_reply_by_after_sent"),
            # 第三十二条: only a third party is told of a decision to disclose over its objection.
            models.CheckConstraint(
                condition=Q(disclosure_notice__isnull=True) | Q(kind="third_party", outcome="objected"),
                name="disclosure_notice_only_after_objection",
            ),
        ]

    def __str__(self):
        return f"{self.application} 征求{self.consultee}意见"

    @property
    def is_open(self):
        return self.answered_on is None

    @property
    def deemed_consent(self):
        """条例第三十四条: an agency that gives no opinion in time is deemed to consent."""
        return self.kind == self.Kind.AGENCY and self.outcome == self.Outcome.NO_OPINION

    @property
    def outcome_display(self):
        if not self.outcome:
            return "待答复"
        return f"{self.get_outcome_display()}（视为同意公开）" if self.deemed_consent else self.get_outcome_display()


class ApplicationCounter(models.Model):
    """The last tracking serial handed out per year; it only grows."""

    year = models.PositiveIntegerField(unique=True)
    last_serial = models.PositiveIntegerField(default=0)


class ReplySettings(models.Model):
    """Per organisation: the facts the remedy paragraph of its letters is built from (remedies.py),
    and overrides for the bodies that paragraph names."""

    organisation = models.OneToOneField(Organisation, verbose_name="机关", on_delete=models.CASCADE, related_name="reply_settings")
    # 《行政复议法》（2023）第二十七条: 对海关、金融、外汇管理等实行垂直领导的行政机关、税务和国家安全机关的行政行为不服的，
    # 向上一级主管部门申请行政复议.
    is_vertically_managed = models.BooleanField(
        "实行垂直领导", default=False,
        help_text="海关、金融、外汇管理等实行垂直领导的机关及税务、国家安全机关（《行政复议法》第二十七条）：向上一级主管部门申请行政复议",
    )
    superior_authority = CleanCharField(
        "上一级主管部门或上一级人民政府", max_length=100, blank=True,
        help_text="实行垂直领导的机关填写上一级主管部门，例如：国家税务总局青禾市税务局；县人民政府填写上一级人民政府，例如：青禾市人民政府",
    )
    reconsideration_body = CleanCharField(
        "行政复议机关（特别设置）", max_length=100, blank=True,
        help_text="通常留空，由法定规则确定：县政府部门、乡镇为县人民政府，实行垂直领导的机关为上一级主管部门，县人民政府为上一级人民政府",
    )
    court = CleanCharField(
        "行政诉讼管辖法院（特别设置）", max_length=100, blank=True,
        help_text="留空时：县人民政府为有管辖权的中级人民法院，其他机关为全县默认法院；实行集中管辖的地方请填写指定法院",
    )
    letter_code = CleanCharField(
        "发文机关代字", max_length=20, blank=True,
        help_text="依申请公开文书编号的机关代字，例如“青教”得“青教依复〔2026〕12号”；不填则用机关简称",
    )
    supplement_period_days = models.PositiveSmallIntegerField(
        "补正期限（工作日）", null=True, blank=True,
        help_text="告知补正时给申请人的合理期限（条例第三十条）；不填则用全县设置（默认15个工作日）",
    )

    class Meta:
        verbose_name = "答复救济途径设置"
        verbose_name_plural = "答复救济途径设置"
        constraints = [
            models.CheckConstraint(
                condition=Q(is_vertically_managed=False) | ~Q(superior_authority=""),
                name="vertically_managed_names_its_superior",
                violation_error_message="实行垂直领导的机关须填写上一级主管部门",
            ),
        ]

    def __str__(self):
        return f"{self.organisation.name}的救济途径设置"

    def clean(self):
        if self.is_vertically_managed and not self.superior_authority.strip():
            raise ValidationError({"superior_authority": "实行垂直领导的机关须填写上一级主管部门（行政复议机关）"})


class FeeSchedule(models.Model):
    """The 信息处理费 standard (国办函〔2020〕109号《政府信息公开信息处理费管理办法》第五条), kept by
    the county office; the active row is the one fees are computed from."""

    name = CleanCharField("名称", max_length=100, default="国办函〔2020〕109号标准")
    is_active = models.BooleanField("启用", default=True, help_text="只能有一条启用的收费标准")
    # 按件计收: per applicant per calendar month.
    count_free = models.PositiveIntegerField("按件：每月免费件数", default=10)
    count_first_band_end = models.PositiveIntegerField("按件：第一档截至件数", default=30)
    count_first_rate = models.DecimalField("按件：第一档单价（元/件）", max_digits=8, decimal_places=2, default=100)
    count_band_size = models.PositiveIntegerField("按件：此后每档件数", default=10)
    count_band_increase = models.DecimalField("按件：每档提高（元/件）", max_digits=8, decimal_places=2, default=100)
    # 按量计收: pages of the information provided for one application, each band at its own rate.
    page_free = models.PositiveIntegerField("按量：免费页数", default=30)
    page_band1_end = models.PositiveIntegerField("按量：第一档截至页数", default=100)
    page_band1_rate = models.DecimalField("按量：第一档单价（元/页）", max_digits=8, decimal_places=2, default=10)
    page_band2_end = models.PositiveIntegerField("按量：第二档截至页数", default=200)
    page_band2_rate = models.DecimalField("按量：第二档单价（元/页）", max_digits=8, decimal_places=2, default=20)
    page_above_rate = models.DecimalField("按量：超出部分单价（元/页）", max_digits=8, decimal_places=2, default=40)
    payment_days = models.PositiveSmallIntegerField("缴费期限（工作日）", default=20)

    class Meta:
        verbose_name = "信息处理费标准"
        verbose_name_plural = "信息处理费标准"
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_fee_schedule",
                                    violation_error_message="只能有一条启用的收费标准，请先停用原有标准"),
        ]

    def __str__(self):
        return f"{self.name}{'（启用）' if self.is_active else ''}"

    def clean(self):
        errors = {}
        if self.count_first_band_end < self.count_free:
            errors["count_first_band_end"] = "第一档截至件数不能小于免费件数"
        if self.count_band_size < 1:
            errors["count_band_size"] = "每档件数至少为1"
        if not self.page_free <= self.page_band1_end <= self.page_band2_end:
            errors["page_band2_end"] = "页数档次应依次递增：免费页数 ≤ 第一档 ≤ 第二档"
        if errors:
            raise ValidationError(errors)


class LetterKind(models.TextChoices):
    """The letters the handling of an application sends (条例第三十条至第四十二条), each a .docx
    from its template (letters.py)."""

    ACKNOWLEDGEMENT = "acknowledgement", "政府信息公开申请登记回执"
    SUPPLEMENT = "supplement", "补正申请告知书"
    REASONS = "reasons", "说明理由通知书"
    LONGER_PERIOD = "longer_period", "延迟答复告知书"
    EXTENSION = "extension", "延期答复告知书"
    FEE = "fee", "政府信息公开信息处理费收费通知书"
    # To a third party (条例第三十二条) or another agency (第三十四条), not to the applicant.
    THIRD_PARTY_CONSULTATION = "third_party_consultation", "政府信息公开征求第三方意见书"
    AGENCY_CONSULTATION = "agency_consultation", "政府信息公开征求意见书"
    DISCLOSURE_DECISION = "disclosure_decision", "政府信息决定公开告知书"
    REPLY = "reply", "政府信息公开申请答复告知书"
    CORRECTION_REPLY = "correction_reply", "政府信息更正申请答复书"

    @property
    def series(self):
        """The letter number's word after 依 (e.g. 复 in 青教依复〔2026〕12号): a series per organisation,
        kind of letter and year."""
        return LETTER_SERIES[self]


LETTER_SERIES = {
    LetterKind.ACKNOWLEDGEMENT: "登",
    LetterKind.SUPPLEMENT: "补",
    LetterKind.REASONS: "询",
    LetterKind.LONGER_PERIOD: "延",
    LetterKind.EXTENSION: "延",
    LetterKind.FEE: "费",
    LetterKind.THIRD_PARTY_CONSULTATION: "征",
    LetterKind.AGENCY_CONSULTATION: "征",
    LetterKind.DISCLOSURE_DECISION: "告",
    LetterKind.REPLY: "复",
    LetterKind.CORRECTION_REPLY: "更",
}

# The letter that answers an application of each kind: a draft until approved (four eyes), sent last.
REPLY_LETTER_KINDS = {
    Application.Kind.DISCLOSURE: LetterKind.REPLY,
    Application.Kind.CORRECTION: LetterKind.CORRECTION_REPLY,
}


class LetterSeries(models.Model):
    """The last number handed out in one organisation's series of one year; it only grows."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=4)
    year = models.PositiveIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "code", "year"], name="one_letter_series")]


def letter_file_path(instance, filename):
    return f"letters/{instance.dated:%Y}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Letter(models.Model):
    """One letter sent for an application, as it was sent: its number, its text and its .docx. A
    letter that needs approval (the reply) is a draft until then; once issued it never changes, so
    the status page, the download and the archive show what the applicant received."""

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField("文书", max_length=30, choices=LetterKind.choices)
    number = CleanCharField("文号", max_length=60)
    series = models.ForeignKey(LetterSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    serial = models.PositiveIntegerField(null=True, blank=True)
    recipient = CleanCharField("收件人", max_length=100)
    dated = models.DateField("落款日期")
    text = CleanTextField("正文", help_text="文书的文字，每段一行，取自生成或上传的文件")
    file = models.FileField("文件", upload_to=letter_file_path, max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制作人", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField("制作时间", auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签发人", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )
    issued_at = models.DateTimeField("签发时间", null=True, blank=True)

    class Meta:
        verbose_name = "依申请公开文书"
        verbose_name_plural = "依申请公开文书"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["series", "serial"], name="one_letter_per_number"),
            models.UniqueConstraint(
                fields=["application", "kind"], condition=Q(issued_at__isnull=True), name="one_draft_letter_per_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_issued(self):
        return self.issued_at is not None

    @property
    def paragraphs(self):
        return [line for line in self.text.splitlines() if line.strip()]

    def save(self, *args, **kwargs):
        if self.pk is not None and Letter.objects.filter(pk=self.pk, issued_at__isnull=False).exists():
            raise PermissionDenied("已签发的文书不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("依申请公开文书不得删除")


def letter_template_path(instance, filename):
    return f"letter-templates/{instance.kind}-{uuid.uuid4().hex[:8]}.docx"


class LetterTemplate(models.Model):
    """A county's own template for one kind of letter, uploaded by the county office in place of the
    shipped one (requests_app/letter_templates/). Letters already made keep their file."""

    kind = models.CharField("文书", max_length=30, choices=LetterKind.choices, unique=True)
    file = models.FileField("模板文件（.docx）", upload_to=letter_template_path, max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now=True)

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        ordering = ["kind"]

    def __str__(self):
        return f"{self.get_kind_display()}（本县模板）"


class ApplicationChallenge(models.Model):
    """The question the online form asks, issued by the server and good for one answer within
    APPLICATION_CHALLENGE_MINUTES: its id is the form's hidden `challenge`. It carries the
    submission_key the application will be saved under, chosen here and never by the client, so the
    same form sent again (a browser retrying after a network error) finds the application the first
    sending made; a different form sent with it is refused. Kept in the database so that every worker and host knows it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    a = models.PositiveSmallIntegerField()
    b = models.PositiveSmallIntegerField()
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issued_at = models.DateTimeField(default=timezone.now, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)
    # What was sent with it: only the same form sent again is shown the application it made.
    form_digest = models.CharField(max_length=64, blank=True, editable=False)

    KEEP = datetime.timedelta(days=1)  # after that an answered form's resubmission is not recognised

    def __str__(self):
        return self.question

    @classmethod
    def issue(cls):
        now = timezone.now()
        cls.objects.filter(issued_at__lt=now - cls.KEEP).delete()
        return cls.objects.create(a=secrets.randbelow(9) + 1, b=secrets.randbelow(9) + 1, issued_at=now)

    @property
    def question(self):
        return f"{self.a} 加 {self.b} 等于几？"

    @property
    def answer(self):
        return self.a + self.b

    def is_open(self):
        age = timezone.now() - self.issued_at
        return self.used_at is None and age <= datetime.timedelta(minutes=settings.APPLICATION_CHALLENGE_MINUTES)


class LimitedAttempt(models.Model):
    """One use of a limited public action (requests_app.limits): an online application or a status
    lookup by an address, a query code tried on a tracking number. In the database, so that every
    worker and host counts together; the subject is a keyed hash, since an address is personal
    information; rows older than a day are deleted as new ones come."""

    class Action(models.TextChoices):
        APPLY = "apply", "在线申请"
        LOOKUP = "lookup", "进度查询"
        CODE = "code", "查询码"

    class Outcome(models.TextChoices):
        PENDING = "pending", "处理中"
        SUCCEEDED = "succeeded", "成功"
        FAILED = "failed", "失败"

    action = models.CharField(max_length=10, choices=Action.choices)
    subject = models.CharField(max_length=64)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["action", "subject", "at"], name="limited_attempt_count"),
            models.Index(fields=["at"], name="limited_attempt_age"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
