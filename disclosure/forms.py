"""Forms of the documents back office: one per workflow step, the 公开事项 choice and the gazette issue.
A step form's `arguments()` are the keyword arguments of its disclosure.workflow function."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone

from portal.text import CleanFormField

from .files import AttachmentRefused, accept_upload
from .models import Document, GazetteIssue
from .permissions import public_documents
from .workflow import Assessment


class NoteForm(forms.Form):
    button = "确定"
    note = CleanFormField(label="说明（可选）", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @classmethod
    def unbound(cls, document, action):
        """The empty form the document page shows for this step (ids kept apart per step)."""
        return cls(auto_id=f"id_{action}_%s", initial=cls.initial_for(document))

    @classmethod
    def initial_for(cls, document):
        return {}

    def arguments(self):
        return dict(self.cleaned_data)


class SubmitForm(NoteForm):
    button = "提交审核"
    note = CleanFormField(label="提交说明（可选）", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PublishForm(NoteForm):
    button = "审核通过并发布"
    note = CleanFormField(label="审核意见（可选）", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(NoteForm):
    button = "退回修改"
    note = CleanFormField(
        label="退回意见（必填）", widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "退回时必须填写退回意见"},
    )


class WithdrawForm(NoteForm):
    button = "撤回"
    note = CleanFormField(
        label="撤回原因（必填）", widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "撤回时必须写明原因"},
    )


class ValidityForm(NoteForm):
    button = "变更有效性"
    validity = forms.ChoiceField(label="有效性", choices=Document.Validity.choices, error_messages={
        "required": "请选择有效性", "invalid_choice": "请选择有效性",
    })
    replaced_by = CleanFormField(label="替代文件的索引号（可选）", required=False, max_length=60)
    field_order = ("validity", "replaced_by", "note")

    @classmethod
    def initial_for(cls, document):
        return {"validity": document.validity}

    def clean_replaced_by(self):
        index_number = self.cleaned_data["replaced_by"].strip()
        if not index_number:
            return None
        document = public_documents().filter(index_number=index_number).first()
        if document is None:
            raise forms.ValidationError("找不到该索引号对应的已公开文件")
        return document


class AssessmentForm(NoteForm):
    button = "记录评估结果"
    outcome = forms.ChoiceField(
        label="评估结论", widget=forms.RadioSelect, initial=Assessment.KEEP,
        choices=[(Assessment.KEEP, "继续不予公开"), (Assessment.DISCLOSE, "转为主动公开")],
        error_messages={"required": "请选择评估结论", "invalid_choice": "未知的评估结论"},
    )
    note = CleanFormField(
        label="评估理由（必填）", widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "请写明评估理由"},
    )
    field_order = ("outcome", "note")

    def arguments(self):
        return {"outcome": self.cleaned_data["outcome"], "reason": self.cleaned_data["note"]}


class TimelinessForm(forms.Form):
    """The year of the 公开时效统计 (条例第二十六条); by GET, so the page can be linked."""

    year = forms.IntegerField(label="年度", min_value=2008, error_messages={
        "required": "请填写年度", "invalid": "年度应为四位数字，例如2026", "min_value": "年度不能早于2008年（旧条例施行之年）",
        "max_value": "年度不能晚于今年",
    })

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].validators.append(MaxValueValidator(timezone.localdate().year))


def catalogue_item_label(item):
    """`domain › 一级事项 › 二级事项`: the same 二级事项 name recurs under many 一级事项 and domains."""
    parts = [item.catalogue.domain.name, item.parent.name if item.parent_id else None, item.name]
    return " › ".join(part for part in parts if part)


class CatalogueItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item):
        return catalogue_item_label(item)


class GazetteIssueForm(forms.ModelForm):
    """The PDF is not a model field of the form: every upload becomes a new GazettePdf version
    (disclosure.workflow.add_gazette_pdf), so a published issue is corrected, never overwritten."""

    pdf = forms.FileField(label="PDF文件", required=False, widget=forms.FileInput,
                          help_text="发布后如需更正，请上传更正后的PDF并写明更正说明；原文件保留为更正前版本")
    correction_note = CleanFormField(label="更正说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = GazetteIssue
        fields = ("year", "number", "publish_date", "is_published")
        exclude = ("pdf",)  # the admin lists "pdf" among its fields; the form never writes it to the issue

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload is None:
            return None
        try:
            return accept_upload(upload, allowed_kinds={"pdf"}).content
        except AttachmentRefused as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        cleaned = super().clean()
        if "pdf" in self.errors:
            return cleaned
        if not self.instance.pk and not cleaned.get("pdf"):
            self.add_error("pdf", "请上传公报PDF文件")
        was_published = self.instance.pk and GazetteIssue.objects.filter(pk=self.instance.pk, is_published=True).exists()
        if was_published and cleaned.get("pdf") and not cleaned.get("correction_note", "").strip():
            self.add_error("correction_note", "已发布的公报更换PDF须写明更正说明（更正了什么）")
        return cleaned


# --- 政府信息公开工作年度报告 ---------------------------------------------------------------------

class CorrectReportForm(NoteForm):
    button = "更正此报告"
    note = CleanFormField(
        label="更正说明（必填）", widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请写明更正什么、为什么"},
    )


class OverviewDraftForm(forms.Form):
    """No fields: the step writes the generated draft into 一、总体情况."""

    button = "根据统计数据生成“总体情况”草稿"

    @classmethod
    def unbound(cls, report, action):
        return cls(auto_id=f"id_{action}_%s")

    def arguments(self):
        return {}
