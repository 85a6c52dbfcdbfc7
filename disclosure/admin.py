"""The clerks' back office for government information: drafts with attachments, the reviewer's
buttons, validity changes and the yearly assessment of 不予公开 information. Every state change goes
through disclosure.workflow; every change to a document is kept by django-simple-history."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from catalog.models import Catalogue, CatalogueItem
from portal.admin import BackOfficeAdmin, CountyOfficeAdmin, TimelineInline
from portal.models import Organisation
from portal.permissions import clerk_organisations, is_county_office

from . import permissions, workflow
from .files import AttachmentRefused, accept_upload, check_attachment, strip_metadata
from .models import Attachment, Document, DocumentEvent, GazetteEntry, GazetteIssue, Guide, Topic


class RichTextWidget(forms.Textarea):
    """A contenteditable area (paste from Word keeps headings, lists and tables) that writes its HTML
    into the textarea on submit; the server sanitises it whatever arrives."""

    template_name = "disclosure/widgets/richtext.html"

    class Media:
        js = ("disclosure/richtext.js",)
        css = {"all": ("disclosure/richtext.css",)}


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ("file", "position")
        # No "currently: <link>": MEDIA_ROOT is not served; the download column goes through the admin.
        widgets = {"file": forms.FileInput}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is None or not hasattr(upload, "content_type"):
            return upload  # unchanged existing file
        try:
            accepted = accept_upload(upload)
        except AttachmentRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        self.instance.original_name = accepted.original_name[:255]
        self.instance.kind = accepted.kind
        self.instance.size = accepted.size
        return accepted.content


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 1
    fields = ("file", "download", "kind", "size", "position")
    readonly_fields = ("download", "kind", "size")
    verbose_name_plural = "附件（PDF、OFD、DOC/DOCX、XLS/XLSX、WPS、JPG/PNG、ZIP，每个不超过50MB；作者等文档属性在保存时清除）"

    def has_add_permission(self, request, obj=None):
        return obj is None or permissions.can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return obj is None or permissions.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is None or permissions.can_edit(request.user, obj)

    @admin.display(description="已上传的文件")
    def download(self, attachment):
        if not attachment.pk:
            return "—"
        url = reverse("admin:disclosure_document_attachment", args=[attachment.document_id, attachment.pk])
        return format_html('<a href="{}">{}</a>', url, attachment.original_name)


class DocumentEventInline(TimelineInline):
    model = DocumentEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "note")
    verbose_name_plural = "操作记录（谁、何时、说明）"


class AssessmentDueFilter(admin.SimpleListFilter):
    title = "年度评估"
    parameter_name = "assessment"

    def lookups(self, request, model_admin):
        return [("due", "评估到期的不予公开信息")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return workflow.assessments_due(queryset)
        return queryset


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = (
            "title", "organisation", "document_number", "written_date", "topic", "genre", "catalogue_item",
            "body", "attribute", "ground", "ground_reason", "validity", "replaced_by", "is_normative",
            "is_disclosure_rule", "interpretations",
        )
        widgets = {"body": RichTextWidget, "ground_reason": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        cleaned = super().clean()
        topic = cleaned.get("topic")
        if topic is not None and not topic.is_leaf_node():
            self.add_error("topic", "请选择具体的二级主题分类")
        item = cleaned.get("catalogue_item")
        organisation = cleaned.get("organisation")
        if item is not None and organisation is not None and item.catalogue.organisation_id != organisation.pk:
            self.add_error("catalogue_item", "只能选择本机关已发布目录中的事项")
        return cleaned


STEPS = {
    "submit": (permissions.can_edit, "已提交本单位审核员审核"),
    "publish": (permissions.can_publish, "已审核发布"),
    "return": (permissions.can_publish, "已退回修改"),
    "withdraw": (permissions.can_withdraw, "已撤回，公众不再能访问"),
    "validity": (permissions.can_change_validity, "有效性已变更"),
    "assess": (permissions.can_assess, "评估结果已记录"),
}


@admin.register(Document)
class DocumentAdmin(BackOfficeAdmin, SimpleHistoryAdmin):
    form = DocumentForm
    list_display = ("title", "organisation", "index_number", "attribute", "status", "validity", "publish_date")
    list_filter = ("status", "attribute", "validity", "is_normative", "is_disclosure_rule", AssessmentDueFilter, "genre")
    list_select_related = ("organisation",)
    search_fields = ("title", "document_number", "index_number")
    autocomplete_fields = ("interpretations", "replaced_by")
    readonly_fields = ("index_number", "status", "publish_date", "next_assessment_date")
    inlines = (AttachmentInline, DocumentEventInline)
    change_form_template = "admin/disclosure/document/change_form.html"
    date_hierarchy = "publish_date"
    fieldsets = (
        (None, {"fields": ("title", "organisation", "document_number", "written_date", "topic", "genre", "catalogue_item")}),
        ("公开属性（源头认定）", {"fields": ("attribute", "ground", "ground_reason")}),
        ("正文", {"fields": ("body",)}),
        ("有效性与关联", {"fields": ("validity", "replaced_by", "is_normative", "is_disclosure_rule", "interpretations")}),
        ("发布信息", {"fields": ("index_number", "status", "publish_date", "next_assessment_date")}),
    )

    def get_queryset(self, request):
        return permissions.visible_documents(request.user).select_related("organisation")

    def get_search_results(self, request, queryset, search_term):
        # The interpretation/replacement pickers offer only public documents.
        if request.path.endswith("/autocomplete/"):
            queryset = permissions.public_documents()
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request):
        return clerk_organisations(request.user).exists()

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return clerk_organisations(request.user).exists()
        return permissions.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        # Only a draft that never got an index number may go; everything else is kept.
        return obj is not None and permissions.can_edit(request.user, obj) and not obj.index_number

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # Organisations, topics and catalogue items are kept elsewhere: no add/edit shortcuts here.
        for name in ("organisation", "topic", "catalogue_item"):
            widget = form.base_fields[name].widget if name in form.base_fields else None
            if widget is not None:
                widget.can_add_related = widget.can_change_related = widget.can_delete_related = False
                widget.can_view_related = False
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = clerk_organisations(request.user)
        if db_field.name == "topic":
            kwargs["queryset"] = Topic.objects.select_related("parent")
        if db_field.name == "catalogue_item":
            kwargs["queryset"] = CatalogueItem.objects.filter(
                catalogue__state=Catalogue.State.PUBLISHED,
                catalogue__is_guideline=False,
                catalogue__organisation__in=clerk_organisations(request.user),
                parent__isnull=False,
            ).select_related("catalogue__domain", "parent")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        own = clerk_organisations(request.user)
        if own.count() == 1:
            initial.setdefault("organisation", own.first().pk)
        initial.setdefault("written_date", timezone.localdate())
        return initial

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
        else:
            try:
                workflow.create(obj, by=request.user)
            except workflow.WorkflowError as exc:
                raise PermissionDenied(str(exc)) from None

    def get_urls(self):
        own = [
            path("<int:pk>/step/<str:action>/", self.admin_site.admin_view(self.step_view), name="disclosure_document_step"),
            path("<int:pk>/attachment/<int:attachment_pk>/", self.admin_site.admin_view(self.attachment_view),
                 name="disclosure_document_attachment"),
        ]
        return own + super().get_urls()

    def attachment_view(self, request, pk, attachment_pk):
        """Staff read any attachment of the documents they may see, drafts included."""
        document = get_object_or_404(self.get_queryset(request), pk=pk)
        attachment = get_object_or_404(document.attachments, pk=attachment_pk)
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        document = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if document is not None:
            user = request.user
            extra_context.update(
                document=document,
                can_submit=permissions.can_edit(user, document),
                can_publish=permissions.can_publish(user, document),
                can_withdraw=permissions.can_withdraw(user, document),
                can_assess=permissions.can_assess(user, document),
                validity_choices=Document.Validity.choices,
                public_url=document.is_public,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def step_view(self, request, pk, action):
        if request.method != "POST" or action not in STEPS:
            return HttpResponse("不支持的操作", status=405)
        document = get_object_or_404(Document, pk=pk)
        allowed, done = STEPS[action]
        if not allowed(request.user, document):
            raise PermissionDenied("您无权对此信息执行该操作，或信息当前状态不允许该操作")
        note = request.POST.get("note", "")
        by = request.user
        try:
            if action == "submit":
                workflow.submit(document, by=by, note=note)
            elif action == "publish":
                workflow.publish(document, by=by, note=note)
            elif action == "return":
                workflow.return_to_draft(document, by=by, note=note)
            elif action == "withdraw":
                workflow.withdraw(document, by=by, note=note)
            elif action == "validity":
                replaced_by = None
                if request.POST.get("replaced_by", "").strip():
                    replaced_by = permissions.public_documents().filter(
                        index_number=request.POST["replaced_by"].strip()
                    ).first()
                    if replaced_by is None:
                        raise workflow.WorkflowError("找不到该索引号对应的已公开文件", field="replaced_by")
                if request.POST.get("validity") not in Document.Validity.values:
                    raise workflow.WorkflowError("请选择有效性", field="validity")
                workflow.change_validity(
                    document, by=by, validity=request.POST["validity"], replaced_by=replaced_by, note=note
                )
            elif action == "assess":
                workflow.record_assessment(document, by=by, outcome=request.POST.get("outcome", ""), reason=note)
        except workflow.WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("admin:disclosure_document_change", document.pk)
        messages.success(request, done)
        return redirect("admin:disclosure_document_change", document.pk)


@admin.register(Guide)
class GuideAdmin(BackOfficeAdmin, SimpleHistoryAdmin):
    list_display = ("organisation", "updated_at")
    fields = ("organisation", "body")

    def get_form(self, request, obj=None, **kwargs):
        kwargs["widgets"] = {"body": RichTextWidget}
        return super().get_form(request, obj, **kwargs)

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("organisation")
        return qs if is_county_office(request.user) else qs.filter(organisation__in=clerk_organisations(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = (
                Organisation.objects.filter(is_disclosure_body=True)
                if is_county_office(request.user) else clerk_organisations(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return is_county_office(request.user) or clerk_organisations(request.user).exists()

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_add_permission(request)
        return is_county_office(request.user) or clerk_organisations(request.user).filter(pk=obj.organisation_id).exists()

    def has_delete_permission(self, request, obj=None):
        return False


class GazetteEntryForm(forms.ModelForm):
    class Meta:
        model = GazetteEntry
        fields = ("document", "position", "page")

    def clean_document(self):
        document = self.cleaned_data["document"]
        if not document.is_public:
            raise forms.ValidationError("公报目录只能收录已公开发布的主动公开信息")
        return document


class GazetteEntryInline(admin.TabularInline):
    model = GazetteEntry
    form = GazetteEntryForm
    extra = 3
    autocomplete_fields = ("document",)


class GazetteIssueForm(forms.ModelForm):
    class Meta:
        model = GazetteIssue
        fields = ("year", "number", "publish_date", "pdf", "is_published")
        widgets = {"pdf": forms.FileInput}

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload is None or not hasattr(upload, "content_type"):
            return upload
        data = upload.read()
        try:
            if check_attachment(upload.name, data) != "pdf":
                raise AttachmentRefused("政府公报请上传PDF文件")
            return ContentFile(strip_metadata(data, "pdf"), name=upload.name)
        except AttachmentRefused as exc:
            raise forms.ValidationError(str(exc)) from None


@admin.register(GazetteIssue)
class GazetteIssueAdmin(CountyOfficeAdmin, admin.ModelAdmin):
    """The county office compiles the gazette."""

    form = GazetteIssueForm
    list_display = ("__str__", "publish_date", "is_published")
    list_filter = ("year", "is_published")
    inlines = (GazetteEntryInline,)
    readonly_fields = ("current_pdf",)

    @admin.display(description="当前PDF")
    def current_pdf(self, issue):
        if not issue.pk or not issue.pdf:
            return "—"
        return format_html('<a href="{}">下载</a>', reverse("admin:disclosure_gazetteissue_pdf", args=[issue.pk]))

    def get_urls(self):
        own = [path("<int:pk>/pdf/", self.admin_site.admin_view(self.pdf_view), name="disclosure_gazetteissue_pdf")]
        return own + super().get_urls()

    def pdf_view(self, request, pk):
        if not is_county_office(request.user):
            raise PermissionDenied("只有县政府办公室可以管理政府公报")
        issue = get_object_or_404(GazetteIssue, pk=pk)
        return FileResponse(issue.pdf.open("rb"), as_attachment=True, filename=f"{issue.title}.pdf")


@admin.register(Topic)
class TopicAdmin(BackOfficeAdmin, admin.ModelAdmin):
    list_display = ("code", "__str__")
    search_fields = ("name", "code")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
