"""The public application form, with its human check."""

import random
import re

from django import forms
from django.core import signing

from disclosure.files import AttachmentRefused, accept_upload
from portal.selectors import disclosure_bodies

from .models import Application

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")
MAX_SUPPORTING_FILE = 10 * 1024 * 1024
CHALLENGE_SALT = "requests_app.apply.challenge"


def new_challenge():
    a, b = random.randint(1, 9), random.randint(1, 9)
    return signing.dumps({"a": a, "b": b}, salt=CHALLENGE_SALT), f"{a} 加 {b} 等于几？"


class ApplicationForm(forms.ModelForm):
    # The human check: a sum a person reads and a bot must solve; plus a field people never see.
    challenge = forms.CharField(widget=forms.HiddenInput)
    answer = forms.IntegerField(label="验证问题", error_messages={"required": "请回答验证问题", "invalid": "请输入数字"})
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Application
        fields = (
            "organisation", "applicant_kind", "organisation_category", "applicant_name", "id_type", "id_number",
            "credit_code", "legal_representative", "phone", "email", "address", "postcode",
            "description", "document_number_sought", "form_wanted", "delivery", "supporting_file",
        )
        widgets = {
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
        self.fields["applicant_kind"].choices = Application.ApplicantKind.choices
        self.fields["form_wanted"].choices = Application.Form.choices
        self.fields["delivery"].choices = Application.Delivery.choices
        if not self.is_bound:
            self.initial["challenge"], self.question = new_challenge()

    def refresh_challenge(self):
        """Before showing a refused form again: a new question, everything else as typed."""
        self.data = self.data.copy()
        self.data["challenge"], self.question = new_challenge()
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

    def clean_supporting_file(self):
        upload = self.cleaned_data.get("supporting_file")
        if not upload:
            return upload
        try:
            return accept_upload(upload, max_bytes=MAX_SUPPORTING_FILE).content
        except AttachmentRefused as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError("提交失败，请刷新页面后重试")
        try:
            numbers = signing.loads(self.data.get("challenge", ""), salt=CHALLENGE_SALT, max_age=2 * 60 * 60)
        except signing.BadSignature:
            self.add_error("answer", "验证问题已过期，请回答新的验证问题")
            return cleaned
        if cleaned.get("answer") is not None and cleaned["answer"] != numbers["a"] + numbers["b"]:
            self.add_error("answer", "验证问题回答错误，请重新计算")
        return cleaned


class StatusForm(forms.Form):
    tracking_number = forms.CharField(label="申请编号", max_length=20, error_messages={"required": "请填写申请编号"})
    query_code = forms.CharField(label="查询码", max_length=8, error_messages={"required": "请填写查询码"})

    def clean_tracking_number(self):
        return self.cleaned_data["tracking_number"].strip().upper()

    def clean_query_code(self):
        return self.cleaned_data["query_code"].strip().upper()
