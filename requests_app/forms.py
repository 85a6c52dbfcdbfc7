"""The public application form, with its human check; the back office's step forms."""

import re
import uuid
from pathlib import Path

from django import forms
from django.utils import timezone

from disclosure.files import AttachmentRefused, accept_upload
from portal.selectors import disclosure_bodies
from portal.text import CleanFormField

from .models import Application, ApplicationChallenge, Consultation, CorrectionOutcome, ReplyType

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")
MAX_SUPPORTING_FILE = 10 * 1024 * 1024
CHALLENGE_SPENT = "验证问题已过期或已使用，请回答新的验证问题"


class ApplicationForm(forms.ModelForm):
    # The human check: a sum a person reads and a bot must solve, issued by the server and good for
    # one answer (ApplicationChallenge); plus a field people never see. The view looks the challenge
    # up, locked, and sets `challenge_row` before validating.
    challenge = forms.CharField(widget=forms.HiddenInput, required=False)
    answer = forms.IntegerField(label="验证问题", error_messages={"required": "请回答验证问题", "invalid": "请输入数字"})
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    class Meta:
        model = Application
        fields = (
            "kind", "organisation", "applicant_kind", "organisation_category", "applicant_name", "id_type", "id_number",
            "credit_code", "legal_representative", "phone", "email", "address", "postcode",
            "description", "document_number_sought", "provided_in", "inaccuracy", "correct_record",
            "form_wanted", "delivery", "supporting_file",
        )
        widgets = {
            "kind": forms.RadioSelect,
            "inaccuracy": forms.Textarea(attrs={"rows": 3}),
            "correct_record": forms.Textarea(attrs={"rows": 3}),
            "applicant_kind": forms.RadioSelect,
            "form_wanted": forms.RadioSelect,
            "delivery": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "organisation": {"required": "请选择受理机关"},
            "applicant_name": {"required": "请填写姓名或名称"},
            "phone": {"required": "请填写联系电话"},
            "address": {"required": "请填写通信地址"},
            "description": {"required": "请描述所需政府信息的名称、文号或者便于查询的其他特征"},
            "form_wanted": {"required": "请选择信息的载体形式"},
            "delivery": {"required": "请选择获取方式"},
            "applicant_kind": {"required": "请选择申请人类型"},
            "email": {"invalid": "电子邮箱格式不正确"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = disclosure_bodies().order_by("tree_id", "lft")
        self.fields["organisation"].empty_label = "请选择受理机关"
        use_kind_field(self)
        self.fields["applicant_kind"].choices = Application.ApplicantKind.choices
        self.fields["form_wanted"].choices = Application.Form.choices
        self.fields["delivery"].choices = Application.Delivery.choices
        self.challenge_row, self.question = None, ""
        if not self.is_bound:
            self.challenge_row = ApplicationChallenge.issue()
            self.initial["challenge"], self.question = str(self.challenge_row.pk), self.challenge_row.question

    def challenge_id(self):
        """The id of the challenge this form was sent with, or None when it is not one."""
        try:
            return uuid.UUID(str(self.data.get("challenge", "")))
        except ValueError:
            return None

    def refresh_challenge(self):
        """Before showing a refused form again: a new question, everything else as typed."""
        self.challenge_row = ApplicationChallenge.issue()
        self.data = self.data.copy()
        self.data["challenge"], self.question = str(self.challenge_row.pk), self.challenge_row.question
        self.data["answer"] = ""

    def clean_phone(self):
        phone = re.sub(r"\s+", "", self.cleaned_data["phone"])
        if not PHONE_RE.match(phone):
            raise forms.ValidationError("联系电话格式不正确，请填写11位手机号码或带区号的固定电话")
        return phone

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if postcode and not re.fullmatch(r"\d{6}", postcode):
            raise forms.ValidationError("邮政编码应为6位数字")
        return postcode

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip().upper()

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        if len(description) < 4:
            raise forms.ValidationError("请具体描述所需政府信息（名称、文号或其他特征性描述）")
        return description

    def clean_kind(self):
        return kind_or_default(self)

    def clean_supporting_file(self):
        return accepted_supporting_file(self.cleaned_data.get("supporting_file"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError("提交失败，请刷新页面后重试")
        challenge = self.challenge_row
        if challenge is None or str(challenge.pk) != str(self.data.get("challenge")) or not challenge.is_open():
            self.add_error("answer", CHALLENGE_SPENT)
        elif cleaned.get("answer") is not None and cleaned["answer"] != challenge.answer:
            self.add_error("answer", "验证问题回答错误，请重新计算")
        return cleaned


def accepted_supporting_file(upload):
    """The applicant's file checked and cleaned as attachments are, on the public and the paper form:
    a correction request's evidence is such a file."""
    if not upload or not hasattr(upload, "content_type"):
        return upload
    try:
        return accept_upload(upload, max_bytes=MAX_SUPPORTING_FILE).content
    except AttachmentRefused as exc:
        raise forms.ValidationError(str(exc)) from None


def use_kind_field(form):
    """The 申请类型 radio of the public and the paper form. A form sent without it (an old page, a
    script) is a disclosure application, the kind the portal always took."""
    form.fields["kind"].choices = Application.Kind.choices
    form.fields["kind"].required = False


def kind_or_default(form):
    return form.cleaned_data.get("kind") or Application.Kind.DISCLOSURE


class StatusForm(forms.Form):
    tracking_number = CleanFormField(label="申请编号", max_length=20, error_messages={"required": "请填写申请编号"})
    query_code = CleanFormField(label="查询码", max_length=8, error_messages={"required": "请填写查询码"})

    def clean_tracking_number(self):
        return self.cleaned_data["tracking_number"].strip().upper()

    def clean_query_code(self):
        return self.cleaned_data["query_code"].strip().upper()


# ---------------------------------------------------------------- the back office's steps
# One form per step of requests_app.workflow; the fields are named as the step function's arguments,
# so the admin calls step(application, by=user, **form.cleaned_data). title, hint and button say how
# the application page shows the step.

DATE_MESSAGE = "日期格式不正确，应为 2026-10-30 这样的格式"


class StepText(CleanFormField):
    """Text typed into a step, by portal.text's rule: Word's breaks become newlines, other control
    characters go, a NUL is refused with a message next to the field."""

    def __init__(self, label, *, required=False, required_message="", rows=3, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(
            label=label, required=required, error_messages={"required": required_message or f"请填写{label}"}, **kwargs,
        )


def step_date(label):
    return forms.DateField(
        label=label, initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": f"请填写{label}", "invalid": DATE_MESSAGE},
    )


class StepForm(forms.Form):
    title = ""
    hint = ""
    button = "提交"


class RegisterForm(StepForm):
    title, button = "登记受理", "登记受理"


class RequestSupplementForm(StepForm):
    title, hint, button = "告知补正", "收到申请之日起7个工作日内，一次性告知", "告知补正"
    on = step_date("告知日期")
    note = StepText("需补正的事项", required=True, required_message="请写明需要补正的事项")


class RecordSupplementForm(StepForm):
    title, hint, button = "收到补正", "答复期限自补正材料收到之日起重新计算", "登记补正"
    received_on = step_date("补正材料收到日期")
    note = StepText("说明")


class NoSupplementReplyForm(StepForm):
    title, hint, button = "逾期不补正", "申请人无正当理由逾期不补正的，视为放弃申请", "拟定“不再处理”答复"
    reply_text = StepText("情况说明", required=True, required_message="请写明理由及法律依据")


class NotifyFeeForm(StepForm):
    title = "收费通知"
    hint = "条例第四十二条、国办函〔2020〕109号：超过免费标准的才收费，按件或按量择一；缴费期间不计入答复期限"
    button = "计算并发出收费通知"
    method = forms.ChoiceField(
        label="计收方式", choices=[("", "请选择")] + Application.FeeMethod.choices,
        error_messages={"required": "请选择计收方式（按件或按量）", "invalid_choice": "请选择计收方式（按件或按量）"},
    )
    pages = forms.IntegerField(
        label="提供信息的页数（按量计收时填写）", required=False, min_value=0,
        error_messages={"invalid": "页数应为整数", "min_value": "页数不能为负数"},
    )
    on = step_date("收费通知日期")
    payment_instructions = StepText("缴纳方式（写入收费通知书，如缴费地点、账户）", rows=2)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == Application.FeeMethod.BY_QUANTITY and cleaned.get("pages") is None and "pages" not in self.errors:
            self.add_error("pages", "按量计收请填写提供信息的页数（整数）")
        return cleaned


class RecordPaymentForm(StepForm):
    title, hint, button = "登记缴费", "收费通知之日至缴费之日的工作日不计入答复期限", "登记缴费"
    paid_on = step_date("缴费日期")


class FeeUnpaidReplyForm(StepForm):
    title, hint, button = "逾期未缴费", "申请人逾期未按收费通知缴纳费用的，不再处理该申请", "拟定“不再处理”答复"
    reply_text = StepText("情况说明", required=True, required_message="请写明理由及法律依据")


def step_line(label, max_length, *, required=True, required_message=""):
    return StepText(label, required=required, required_message=required_message, max_length=max_length,
                    widget=forms.TextInput(attrs={"size": 50}))


def outcome_field(choices, message):
    return forms.ChoiceField(label="意见", choices=[("", "请选择")] + choices,
                             error_messages={"required": message, "invalid_choice": message})


class ConsultThirdPartyForm(StepForm):
    title = "征求第三方意见"
    hint = "条例第三十二条：公开可能损害第三方合法权益的，书面征求意见；第三方15个工作日内提出意见，该时间不计入答复期限"
    button = "生成征求意见书并发出"
    sent_on = step_date("发出日期")
    consultee = step_line("第三方名称", 100, required_message="请填写征求意见的第三方名称")
    contact = step_line("地址或联系方式", 200, required=False)
    matter = StepText("涉及第三方的信息内容", required=True, required_message="请写明征求意见的事项（涉及的政府信息内容）")
    reasons = StepText("公开可能损害第三方合法权益的情况", required=True,
                       required_message="请写明公开可能损害第三方合法权益的情况（条例第三十二条）")


class RecordThirdPartyAnswerForm(StepForm):
    title, hint, button = "登记第三方意见", "期限届满仍未提出意见的，可登记“逾期未提出意见”，由本机关依法决定", "登记第三方意见"
    answered_on = step_date("收到意见日期（逾期未提出意见的为登记日期）")
    outcome = outcome_field(Consultation.Outcome.choices, "请选择第三方的意见")
    opinion = StepText("意见内容（摘要）")


class ConsultAgencyForm(StepForm):
    title = "征求其他行政机关意见"
    hint = "条例第三十四条：两个以上行政机关共同制作的信息，牵头机关可以征求意见；15个工作日内提出，逾期视为同意公开，该时间不计入答复期限"
    button = "生成征求意见书并发出"
    sent_on = step_date("发出日期")
    consultee = step_line("被征求意见机关", 100, required_message="请填写征求意见的其他行政机关名称")
    contact = step_line("地址或联系方式", 200, required=False)
    matter = StepText("共同制作的信息及征求意见的事项", required=True, required_message="请写明征求意见的事项（涉及的政府信息内容）")


class RecordAgencyAnswerForm(StepForm):
    title, hint, button = "登记其他行政机关意见", "条例第三十四条：逾期未提出意见的，视为同意公开", "登记意见"
    answered_on = step_date("收到意见日期（逾期未提出意见的为登记日期）")
    outcome = outcome_field(
        [(value, f"{label}（视为同意公开）" if value == Consultation.Outcome.NO_OPINION else label)
         for value, label in Consultation.Outcome.choices],
        "请选择被征求意见机关的意见",
    )
    opinion = StepText("意见内容（摘要）")


class NotifyDisclosureForm(StepForm):
    title = "书面告知第三方决定公开"
    hint = "条例第三十二条：第三方不同意公开，本机关认为不公开可能对公共利益造成重大影响而决定公开的，公开前书面告知第三方"
    button = "生成决定公开告知书并发出"
    sent_on = step_date("告知日期")
    content = StepText("决定公开的政府信息内容", required=True, required_message="请写明决定公开的政府信息内容")
    reasons = StepText("决定公开的理由", required=True, required_message="请写明决定公开的理由（如不公开可能对公共利益造成重大影响的情况）")


class ProposeExtensionForm(StepForm):
    title, hint, button = "提出延期申请", "条例第三十三条：需要延长答复期限的，经负责人同意，最长20个工作日", "提交负责人决定"
    days = forms.IntegerField(
        label="延长工作日数", initial=20, min_value=1, max_value=20,
        error_messages={"required": "请填写延长的工作日数", "invalid": "请填写延长的工作日数（整数）",
                        "min_value": "延长的工作日数至少为1日", "max_value": "延长的期限最长不得超过20个工作日"},
    )
    note = StepText("延期理由", required=True, required_message="请写明延期理由")


class ExtendForm(StepForm):
    title, hint, button = "同意延期", "负责人同意后生成延期答复告知书，告知申请人", "同意延期"
    on = step_date("同意日期")
    note = StepText("意见")


class RefuseExtensionForm(StepForm):
    title, hint, button = "不同意延期", "答复期限不变，经办人应按期答复", "不同意延期"
    note = StepText("理由", required=True, required_message="请写明不同意延期的理由")


class RequestReasonsForm(StepForm):
    title, hint, button = "要求说明理由", "条例第三十五条：申请数量、频次明显超过合理范围的", "要求说明理由"
    on = step_date("要求日期")
    note = StepText("情况及要求说明的事项", required=True, required_message="请写明要求申请人说明的事项")


class LongerPeriodForm(StepForm):
    title, hint, button = "确定延迟答复期限", "条例第三十五条：理由合理但无法按期答复的，负责人确定并告知申请人", "确定延迟期限"
    days = forms.IntegerField(
        label="延迟工作日数", min_value=1, max_value=60,
        error_messages={"required": "请填写延迟的工作日数", "invalid": "请填写延迟的工作日数（整数）",
                        "min_value": "延迟的工作日数至少为1日", "max_value": "延迟答复的期限应为1至60个工作日"},
    )
    note = StepText("理由", required=True, required_message="请写明申请理由合理、但无法按期答复的情况")


class ProactiveDraftForm(StepForm):
    title, hint, button = "转为主动公开", "条例第四十四条：多人申请同一信息的，建主动公开草稿，经审核后发布", "建主动公开草稿"
    document_title = StepText("拟公开信息的标题", required=True, required_message="请填写拟主动公开信息的标题", rows=1)
    topic = forms.ModelChoiceField(
        label="主题分类", queryset=None, error_messages={"required": "请选择主题分类", "invalid_choice": "请选择主题分类"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from disclosure.models import Topic

        self.fields["topic"].queryset = Topic.objects.filter(parent__isnull=False).select_related("parent")


class DraftReplyForm(StepForm):
    title, button = "拟定答复", "生成答复告知书"
    reply_type = forms.ChoiceField(
        label="答复类型", choices=[("", "请选择")] + ReplyType.choices, error_messages={
            "required": "请选择答复类型", "invalid_choice": "请选择答复类型"},
    )
    reply_text = StepText("答复内容、理由及依据", rows=5)
    where_public = StepText(
        "已公开信息的获取途径（已主动公开时填写）", max_length=300, widget=forms.TextInput(attrs={"size": 50}),
    )
    responsible_body = StepText(
        "负责公开该信息的机关（不属于本机关负责公开时填写）", max_length=100, widget=forms.TextInput(attrs={"size": 40}),
    )
    information_file = forms.FileField(label="信息原件（仅内部保存）", required=False)
    redacted_file = forms.FileField(label="提供给申请人的信息（部分公开时为区分处理后的版本）", required=False)


class ReplaceLetterForm(StepForm):
    title, hint, button = "修改告知书", "下载后修改，再上传 .docx", "上传修改后的告知书"
    letter = forms.FileField(
        label="修改后的答复告知书", widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
        error_messages={"required": "请上传修改后的答复告知书（.docx）"},
    )

    def clean_letter(self):
        letter = self.cleaned_data["letter"]
        if Path(letter.name).suffix.lower() != ".docx":
            raise forms.ValidationError("请上传修改后的答复告知书（.docx）")
        return letter


class ApproveReplyForm(StepForm):
    title, button = "审批答复", "审批通过"
    note = StepText("意见")


class ReturnReplyForm(StepForm):
    title, button = "退回答复", "退回修改"
    note = StepText("退回意见", required=True, required_message="请写明退回意见")


class SendReplyForm(StepForm):
    title, button = "送达答复", "已送达"
    sent_on = step_date("送达日期")
    note = StepText("说明")


class ArchiveForm(StepForm):
    title, button = "归档", "归档"


class WithdrawForm(StepForm):
    title, button = "申请人撤回", "登记撤回"
    note = StepText("撤回方式和时间", required=True, required_message="请写明撤回的方式和时间（如申请人书面撤回）")


class CorrectionReplyForm(StepForm):
    title, hint, button = "拟定更正申请答复", "条例第四十一条：审核属实的予以更正；不属于本机关职能的，转送或告知有权更正的机关", "生成更正申请答复书"
    outcome = forms.ChoiceField(
        label="处理结果", choices=[("", "请选择")] + CorrectionOutcome.choices, error_messages={
            "required": "请选择处理结果", "invalid_choice": "请选择处理结果"},
    )
    reply_text = StepText("更正的内容（予以更正）或不予更正的理由", rows=5)
    competent_body = StepText(
        "有权更正的行政机关（不属于本机关职能时填写）", max_length=100, widget=forms.TextInput(attrs={"size": 40}),
    )
