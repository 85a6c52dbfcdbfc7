"""Forms of the catalogue back office: one per review step, and the start page (领取事项)."""

from django import forms

from portal.models import Organisation
from portal.text import CleanFormField

from .models import CatalogueItem, Domain


class StepForm(forms.Form):
    """A review step with no input. `button` labels the page's button for it."""

    button = ""

    def __init__(self, *args, step, **kwargs):
        # Several step forms share the catalogue page: ids carry the step, field names stay plain.
        kwargs.setdefault("auto_id", f"id_{step}_%s")
        super().__init__(*args, **kwargs)
        self.step = step


class CommentForm(StepForm):
    comment = CleanFormField(label="审核意见（可选）", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SubmitForm(CommentForm):
    button = "提交审核"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].label = "提交说明（可选）"


class FirstReviewForm(CommentForm):
    button = "初审通过"


class ApproveForm(CommentForm):
    button = "复核通过并发布"


class RejectForm(CommentForm):
    button = "退回修改"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        comment = self.fields["comment"]
        comment.label, comment.required = "退回意见（必填）", True
        comment.error_messages["required"] = "请填写退回意见，说明需要修改什么"


class ReviseForm(StepForm):
    button = "修订（创建新版本草稿）"


class StartForm(forms.Form):
    """Organisation and domain; with `choosing=True` (the POST) also the guideline items ticked, which
    must be items of that domain's guideline."""

    organisation = forms.ModelChoiceField(Organisation.objects.none(), label="编制单位")
    domain = forms.ModelChoiceField(Domain.objects.all(), label="领域")

    def __init__(self, *args, organisations, choosing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.choosing = choosing

    def clean(self):
        cleaned = super().clean()
        domain = cleaned.get("domain")
        if self.choosing and domain is not None:
            items = forms.ModelMultipleChoiceField(
                CatalogueItem.objects.filter(catalogue__domain=domain, catalogue__is_guideline=True),
                error_messages={
                    "required": "请至少选择一个公开事项",
                    "invalid_pk_value": "所选事项无效（“%(pk)s”不是事项编号），请在下表中勾选事项",
                    "invalid_choice": f"所选事项无效（%(value)s 不属于{domain.name}领域的国家标准指引），请在下表中重新勾选",
                },
            )
            try:
                cleaned["items"] = items.clean(self.data.getlist("items"))
            except forms.ValidationError as exc:
                self.add_error(None, exc)
        return cleaned

    @property
    def chosen_ids(self):
        """The ticked item ids that are numbers, to tick them again when the page comes back."""
        return {int(value) for value in self.data.getlist("items") if value.isdigit()}
