"""The clerks' back office for government information: drafts with attachments, the reviewer's
buttons, validity changes and the yearly assessment of 不予公开 information. Every state change goes
through disclosure.workflow (one table of steps, each with its form); every change to a document is
kept by django-simple-history. Whoever may see a document reads it here, body, attachments and trail."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from catalog.models import Catalogue, CatalogueItem
from portal.admin import BackOfficeAdmin, CountyOfficeAdmin, ReadOnlyAdmin, TimelineInline
from portal.models import Organisation
from portal.permissions import clerk_organisations, is_county_office

from . import permissions, selectors, workflow
from .files import MAX_ATTACHMENT_BYTES, AttachmentRefused, accept_upload
from .forms import (
    AssessmentForm, CatalogueItemChoiceField, GazetteIssueForm, PublishForm, ReturnForm, SubmitForm, TimelinessForm,
    ValidityForm, WithdrawForm, catalogue_item_label,
)
from .models import (
    RELATION_REFUSED, Attachment, Document, DocumentEvent, GazetteEntry, GazetteIssue, GazettePdf, Guide, Topic, may_relate,
)
from .richtext import sanitise_html


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


# Kinds a browser shows itself; everything else is only downloaded.
INLINE_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 1
    fields = ("file", "download", "kind", "size", "position")
    readonly_fields = ("download", "kind", "size")
    verbose_name_plural = (
        f"附件（PDF、OFD、DOC/DOCX、XLS/XLSX、WPS、JPG/PNG、ZIP，每个不超过{MAX_ATTACHMENT_BYTES // 2**20}MB；作者等文档属性在保存时清除）"
    )

    def has_view_permission(self, request, obj=None):
        # Everyone who may see the document reads its attachments (model permissions are not used here).
        return permissions.can_view(request.user, obj)

    def get_fields(self, request, obj=None):
        if obj is not None and not permissions.can_edit(request.user, obj):
            return ("download", "kind", "size", "position")  # the read-only file field would link to /media/
        return self.fields

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
        args = [attachment.document_id, attachment.pk]
        link = format_html('<a href="{}">{}</a>（下载）', reverse("admin:disclosure_document_attachment", args=args),
                           attachment.original_name)
        if attachment.kind in INLINE_TYPES:
            link += format_html(' <a href="{}" target="_blank" rel="noopener">在线查看</a>',
                                reverse("admin:disclosure_document_attachment_view", args=args))
        return link


class DocumentEventInline(TimelineInline):
    model = DocumentEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "note", "lateness")
    verbose_name_plural = "操作记录（谁、何时、说明）"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description="公开时效")
    def lateness(self, event):
        if event.working_days_late:
            return f"逾期公开：超过条例第二十六条规定的公开时限{event.working_days_late}个工作日"
        return ""

    def has_view_permission(self, request, obj=None):
        return permissions.can_view(request.user, obj)


class AssessmentDueFilter(admin.SimpleListFilter):
    title = "年度评估"
    parameter_name = "assessment"

    def lookups(self, request, model_admin):
        return [("due", "评估到期的不予公开信息")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return workflow.assessments_due(queryset)
        return queryset


class PublishDeadlineFilter(admin.SimpleListFilter):
    """条例第二十六条: unpublished 主动公开 information whose 公开时限 is near or passed (the to-do list links here)."""

    title = "公开时限"
    parameter_name = "publish_deadline"

    def lookups(self, request, model_admin):
        return [
            ("soon", f"{workflow.PUBLISH_BY_WARNING_DAYS}个工作日内到期或已逾期（未发布）"),
            ("late_published", "逾期发布的主动公开信息"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "soon":
            return workflow.publication_due_soon(queryset)
        if self.value() == "late_published":
            return queryset.filter(selectors.PUBLISHED_LATE)
        return queryset


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = (
            "title", "organisation", "document_number", "written_date", "formed_on", "topic", "genre", "catalogue_item",
            "body", "attribute", "ground", "ground_reason", "validity", "replaced_by", "is_normative",
            "is_disclosure_rule", "interpretations",
        )
        widgets = {"body": RichTextWidget, "ground_reason": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        cleaned = super().clean()
        # 形成或变更日期 defaults to the 成文日期; the model checks it against that date and today.
        if not cleaned.get("formed_on") and cleaned.get("written_date") and "formed_on" not in self.errors:
            cleaned["formed_on"] = cleaned["written_date"]
        topic = cleaned.get("topic")
        if topic is not None and not topic.is_leaf_node():
            self.add_error("topic", "请选择具体的二级主题分类")
        item = cleaned.get("catalogue_item")
        organisation = cleaned.get("organisation")
        if item is not None and organisation is not None and item.catalogue.organisation_id != organisation.pk:
            self.add_error("catalogue_item", "只能选择本机关已发布目录中的事项")
        interpretations = cleaned.get("interpretations")
        if interpretations is not None and organisation is not None:
            if self.instance.pk and any(d.pk == self.instance.pk for d in interpretations):
                self.add_error("interpretations", "文件不能作为自身的解读")
            elif any(not may_relate(organisation.pk, d) for d in interpretations):
                self.add_error("interpretations", RELATION_REFUSED)
        return cleaned


# One entry per step: (the step's form, the workflow function, the message once done).
STEPS = {
    "submit": (SubmitForm, workflow.submit, "已提交本单位审核员审核"),
    "publish": (PublishForm, workflow.publish, "已审核发布"),
    "return": (ReturnForm, workflow.return_to_draft, "已退回修改"),
    "validity": (ValidityForm, workflow.change_validity, "有效性已变更"),
    "withdraw": (WithdrawForm, workflow.withdraw, "已撤回，公众不再能访问"),
    "assess": (AssessmentForm, workflow.record_assessment, "评估结果已记录"),
}

# What a reader who cannot edit sees below the metadata table and the body shown above them.
READ_ONLY_FIELDSETS = (
    ("有效性与关联", {"fields": ("replaced_by", "interpretations", "is_normative", "is_disclosure_rule")}),
    ("发布信息", {"fields": ("status", "publish_by", "publish_date", "next_assessment_date")}),
)


def _pk_or_404(object_id):
    """A document id from an admin URL; anything but a number is 404, not a server error."""
    try:
        return Document._meta.pk.to_python(unquote(object_id))
    except ValidationError:
        raise Http404 from None


@admin.register(Document)
class DocumentAdmin(BackOfficeAdmin, SimpleHistoryAdmin):
    form = DocumentForm
    list_display = ("title", "organisation", "index_number", "attribute", "status", "validity", "publish_date")
    list_filter = (
        "status", "attribute", "validity", "is_normative", "is_disclosure_rule", AssessmentDueFilter, PublishDeadlineFilter,
        "genre",
    )
    list_select_related = ("organisation",)
    search_fields = ("title", "document_number", "index_number")
    autocomplete_fields = ("interpretations", "replaced_by")
    readonly_fields = ("index_number", "status", "publish_by", "publish_date", "next_assessment_date")
    inlines = (AttachmentInline, DocumentEventInline)
    change_form_template = "admin/disclosure/document/change_form.html"
    date_hierarchy = "publish_date"
    fieldsets = (
        (None, {"fields": (
            "title", "organisation", "document_number", "written_date", "formed_on", "topic", "genre", "catalogue_item",
        )}),
        ("公开属性（源头认定）", {"fields": ("attribute", "ground", "ground_reason")}),
        ("正文", {"fields": ("body",)}),
        ("有效性与关联", {"fields": ("validity", "replaced_by", "is_normative", "is_disclosure_rule", "interpretations")}),
        ("发布信息", {"fields": ("index_number", "status", "publish_by", "publish_date", "next_assessment_date")}),
    )

    def get_queryset(self, request):
        return permissions.visible_documents(request.user).select_related("organisation")

    def get_object(self, request, object_id, from_field=None):
        # The document page shows the metadata table: its related rows come in the same query.
        queryset = self.get_queryset(request).select_related(
            "topic__parent", "catalogue_item__catalogue__domain", "catalogue_item__parent", "replaced_by"
        )
        try:
            return queryset.get(pk=Document._meta.pk.to_python(object_id))
        except (Document.DoesNotExist, ValidationError):
            return None

    def get_search_results(self, request, queryset, search_term):
        # The interpretation/replacement pickers offer what the form accepts, nothing more.
        if request.path.endswith("/autocomplete/"):
            queryset = permissions.relatable_documents(request.user)
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

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return READ_ONLY_FIELDSETS
        return super().get_fieldsets(request, obj)

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
            kwargs["form_class"] = CatalogueItemChoiceField
            kwargs["queryset"] = CatalogueItem.objects.filter(
                catalogue__state=Catalogue.State.PUBLISHED,
                catalogue__is_guideline=False,
                catalogue__organisation__in=clerk_organisations(request.user),
                parent__isnull=False,
            ).select_related("catalogue__domain", "parent").order_by("catalogue__domain__order", "tree_id", "lft")
        if db_field.name == "replaced_by":
            # Checked on the submitted id, not only in the picker; a refused id's title is never rendered.
            kwargs["queryset"] = permissions.relatable_documents(request.user)
            kwargs["error_messages"] = {"invalid_choice": RELATION_REFUSED}
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "interpretations":
            kwargs["queryset"] = permissions.relatable_documents(request.user)
            kwargs["error_messages"] = {"invalid_choice": RELATION_REFUSED, "invalid_pk_value": RELATION_REFUSED}
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        own = clerk_organisations(request.user)
        if own.count() == 1:
            initial.setdefault("organisation", own.first().pk)
        initial.setdefault("written_date", timezone.localdate())
        initial.setdefault("formed_on", initial["written_date"])
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
        view = self.admin_site.admin_view
        own = [
            path("timeliness/", view(self.timeliness_view), name="disclosure_document_timeliness"),
            path("<path:object_id>/step/<str:action>/", view(self.step_view), name="disclosure_document_step"),
            path("<path:object_id>/attachment/<int:attachment_pk>/", view(self.attachment_view),
                 name="disclosure_document_attachment"),
            path("<path:object_id>/attachment/<int:attachment_pk>/view/", view(self.attachment_view),
                 {"inline": True}, name="disclosure_document_attachment_view"),
        ]
        return own + super().get_urls()

    def _document_or_404(self, request, object_id):
        document = self.get_object(request, str(_pk_or_404(object_id)))
        if document is None:
            raise Http404("没有找到该政府信息")
        return document

    def attachment_view(self, request, object_id, attachment_pk, inline=False):
        """Staff read any attachment of the documents they may see, drafts included. PDF and images
        may be viewed in the browser: sandboxed and never sniffed into something else."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        document = self._document_or_404(request, object_id)
        attachment = get_object_or_404(document.attachments, pk=attachment_pk)
        if inline and attachment.kind not in INLINE_TYPES:
            raise Http404("该类型的附件不能在线查看，请下载")
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            handle, as_attachment=not inline, filename=attachment.original_name,
            content_type=INLINE_TYPES[attachment.kind] if inline else "application/octet-stream",
        )
        response["Content-Security-Policy"] = "sandbox"
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-cache"
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        _pk_or_404(object_id)
        document = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if document is not None:
            user = request.user
            steps = permissions.available_steps(user, document)
            extra_context.update(
                # Shown while the document may still be published: 条例第二十六条's 公开时限.
                timeliness=document.timeliness() if document.status in Document.UNPUBLISHED else None,
                document=document,
                steps=[(name, STEPS[name][0].unbound(document, name)) for name in steps],
                returned=document.latest_return(),
                read_only=not self.has_change_permission(request, document),
                rendered_body=mark_safe(sanitise_html(document.body)),  # noqa: S308 (sanitised just now)
                catalogue_item_label=catalogue_item_label(document.catalogue_item) if document.catalogue_item_id else "",
                public_url=document.is_public,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        _pk_or_404(object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        _pk_or_404(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _pk_or_404(object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def timeliness_view(self, request):
        """条例第二十六条, per organisation and year: 主动公开 information published, and how much of it
        after its 公开时限. The county office sees every organisation, other staff their own."""
        if not self.has_view_permission(request):
            raise PermissionDenied("只有本单位工作人员和县政府办公室可以查看公开时效统计")
        today = timezone.localdate()
        form = TimelinessForm(request.GET or None, initial={"year": today.year})
        year = form.cleaned_data["year"] if form.is_valid() else today.year
        rows = selectors.publication_timeliness(permissions.timeliness_organisations(request.user), year)
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": f"{year}年主动公开信息公开时效统计（条例第二十六条）",
            "opts": self.opts, "form": form, "year": year, "rows": rows,
            "total": selectors.TimelinessRow.total(rows), "is_county_office": is_county_office(request.user),
        }
        return TemplateResponse(
            request, "admin/disclosure/document/timeliness.html", context, status=400 if form.is_bound and not form.is_valid() else 200
        )

    def step_view(self, request, object_id, action):
        """One shape for every step (as auth's UserAdmin.user_change_password): the scoped object,
        the permission, the step's form, the workflow function; errors re-render the form with 400."""
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        if action not in STEPS:
            raise Http404("不支持的操作")
        document = self._document_or_404(request, object_id)
        if action not in permissions.available_steps(request.user, document):
            raise PermissionDenied("您无权对此信息执行该操作，或信息当前状态不允许该操作")
        form_class, step, done = STEPS[action]
        if request.method == "POST":
            form = form_class(request.POST, auto_id=f"id_{action}_%s")
            if form.is_valid():
                try:
                    step(document, by=request.user, **form.arguments())
                except workflow.WorkflowError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, str(exc))
                else:
                    messages.success(request, done)
                    return redirect("admin:disclosure_document_change", document.pk)
        else:
            form = form_class.unbound(document, action)
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": f"{form.button}：{document.title}",
            "opts": self.opts, "original": document, "document": document, "form": form, "action": action,
            "heading": document.title, "change_url": reverse("admin:disclosure_document_change", args=[document.pk]),
            "step_url": reverse("admin:disclosure_document_step", args=[document.pk, action]),
            "timeliness": document.timeliness() if action == "publish" else None,
        }
        return TemplateResponse(
            request, "admin/disclosure/document/step_form.html", context, status=400 if form.is_bound else 200
        )


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


class GazettePdfInline(admin.TabularInline):
    """Every PDF the issue has had, newest (the one served) first. Append-only."""

    model = GazettePdf
    extra = 0
    can_delete = False
    fields = ("uploaded_at", "uploaded_by", "note", "download")
    readonly_fields = fields
    verbose_name_plural = "PDF版本（最新的为当前版本，其余为更正前版本）"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by", "issue")

    def has_view_permission(self, request, obj=None):
        return is_county_office(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="文件")
    def download(self, version):
        url = reverse("admin:disclosure_gazetteissue_pdf_version", args=[version.issue_id, version.pk])
        return format_html('<a href="{}">下载</a>', url)


@admin.register(GazetteIssue)
class GazetteIssueAdmin(CountyOfficeAdmin, admin.ModelAdmin):
    """The county office compiles the gazette. A PDF upload is a new version, never an overwrite."""

    form = GazetteIssueForm
    list_display = ("__str__", "publish_date", "is_published")
    list_filter = ("year", "is_published")
    inlines = (GazetteEntryInline, GazettePdfInline)
    fields = ("year", "number", "publish_date", "is_published", "current_pdf", "pdf", "correction_note")
    readonly_fields = ("current_pdf",)

    @admin.display(description="当前PDF")
    def current_pdf(self, issue):
        if not issue.pk or not issue.pdf:
            return "—"
        return format_html('<a href="{}">下载</a>', reverse("admin:disclosure_gazetteissue_pdf", args=[issue.pk]))

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else (GazetteEntryInline,)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("year", "number", "publish_date", "is_published", "pdf")
        return self.fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        upload = form.cleaned_data.get("pdf")
        if upload:
            try:
                workflow.add_gazette_pdf(
                    form.instance, by=request.user, content=upload, note=form.cleaned_data.get("correction_note", "")
                )
            except workflow.WorkflowError as exc:  # the form checked this already; a race lands here
                raise PermissionDenied(str(exc)) from None

    def get_urls(self):
        view = self.admin_site.admin_view
        own = [
            path("<int:pk>/pdf/", view(self.pdf_view), name="disclosure_gazetteissue_pdf"),
            path("<int:pk>/pdf/<int:version_pk>/", view(self.pdf_view), name="disclosure_gazetteissue_pdf_version"),
        ]
        return own + super().get_urls()

    def pdf_view(self, request, pk, version_pk=None):
        if not is_county_office(request.user):
            raise PermissionDenied("只有县政府办公室可以管理政府公报")
        issue = get_object_or_404(GazetteIssue, pk=pk)
        file = issue.pdf if version_pk is None else get_object_or_404(issue.pdf_versions, pk=version_pk).file
        try:
            handle = file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, as_attachment=True, filename=f"{issue.title}.pdf", content_type="application/pdf")


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin, BackOfficeAdmin, admin.ModelAdmin):
    list_display = ("code", "__str__")
    search_fields = ("name", "code")


# The annual reports have their own module; importing it registers them.
from . import report_admin  # noqa: E402, F401
