"""The back office for catalogues: compiling from the guideline, editing the item tree, Excel in and
out, and the review buttons. Every state change goes through catalog.workflow."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from mptt.admin import DraggableMPTTAdmin

from portal.admin import BackOfficeAdmin, TimelineInline
from portal.models import Organisation
from portal.permissions import clerk_organisations, is_county_office

from . import permissions, workflow
from .diff import catalogue_changes
from .excel import MAX_UPLOAD_BYTES, ExcelRefused, check_upload_size, parse_catalogue
from .forms import ApproveForm, FirstReviewForm, RejectForm, ReviseForm, StartForm, SubmitForm
from .models import Catalogue, CatalogueItem, Channel, Domain, ReviewStep
from .selectors import rows_by_top_item
from .views import xlsx_response


@admin.register(Domain)
class DomainAdmin(BackOfficeAdmin, admin.ModelAdmin):
    list_display = ("order", "name", "slug", "lead_department", "is_pilot")
    list_display_links = ("name",)
    search_fields = ("name",)
    autocomplete_fields = ("lead_department",)

    def has_change_permission(self, request, obj=None):
        return is_county_office(request.user)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


class NotFoundForMissingObjects:
    """Mixin: an object id that is not there (or not this user's, or not a number) is a 404, not the
    admin's redirect to the index."""

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(f"没有编号为“{object_id}”的{opts.verbose_name}")


class ReviewStepInline(TimelineInline):
    model = ReviewStep
    fields = ("at", "action", "from_state", "to_state", "actor", "comment")
    verbose_name_plural = "审核记录（谁、何时、意见）"

    def has_view_permission(self, request, obj=None):
        # Everyone who may open the catalogue reads its whole record; the parent's queryset already
        # keeps out other organisations' catalogues, and this says so again for the object itself.
        return obj is None or permissions.can_view_catalogue(request.user, obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


STEPS = {
    # url step: (form, workflow function, success message); who may take it is permissions.available_steps
    "submit": (SubmitForm, workflow.submit, "已提交审核"),
    "first-review": (FirstReviewForm, workflow.first_review, "初审通过，已报县政府办公室复核"),
    "approve": (ApproveForm, workflow.approve, "复核通过，目录已发布"),
    "reject": (RejectForm, workflow.reject, "已退回修改"),
    "revise": (ReviseForm, workflow.start_revision, "已创建新版本草稿，原版本在新版本发布前继续公开"),
}


class ImportForm(forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label="编制单位")
    domain = forms.ModelChoiceField(Domain.objects.all(), label="领域")
    file = forms.FileField(label=f"Excel文件（.xlsx，不超过{MAX_UPLOAD_BYTES // (1024 * 1024)}MB）")

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


@admin.register(Catalogue)
class CatalogueAdmin(NotFoundForMissingObjects, BackOfficeAdmin, admin.ModelAdmin):
    list_display = ("__str__", "domain", "organisation", "version", "state", "published_at")
    list_filter = ("state", "is_guideline", "domain")
    list_select_related = ("domain", "organisation")
    search_fields = ("organisation__name", "domain__name")
    fields = ("domain", "organisation", "is_guideline", "version", "state", "created_at", "published_at")
    readonly_fields = fields
    inlines = (ReviewStepInline,)
    change_form_template = "admin/catalog/catalogue/change_form.html"
    change_list_template = "admin/catalog/catalogue/change_list.html"

    def get_queryset(self, request):
        return permissions.visible_catalogues(request.user).select_related("domain", "organisation")

    def has_add_permission(self, request):
        return False  # catalogues are started from a guideline or imported, never typed in blank

    def has_change_permission(self, request, obj=None):
        return False  # the version's fields are the workflow's; items are edited in 公开事项

    def has_delete_permission(self, request, obj=None):
        return False  # versions and their review record are kept

    def get_urls(self):
        own = [
            path("start/", self.admin_site.admin_view(self.start_view), name="catalog_catalogue_start"),
            path("import/", self.admin_site.admin_view(self.import_view), name="catalog_catalogue_import"),
            path("<path:object_id>/export.xlsx", self.admin_site.admin_view(self.export_view), name="catalog_catalogue_export"),
            path(
                "<path:object_id>/step/<str:step>/", self.admin_site.admin_view(self.step_view), name="catalog_catalogue_step"
            ),
        ]
        return own + super().get_urls()

    def _scoped_object(self, request, object_id):
        catalogue = self.get_object(request, unquote(object_id))  # get_queryset's scoping applies
        if catalogue is None:
            raise Http404("没有这个标准目录，或您无权查看")
        return catalogue

    def review_context(self, request, catalogue, bound=None):
        """What the catalogue page shows above the inline record: its state, the reviewer's comment
        when it was returned, the forms of the steps this user may take, the change list and items."""
        published = None
        if not catalogue.is_guideline and catalogue.state != Catalogue.State.PUBLISHED:
            published = Catalogue.objects.filter(
                organisation=catalogue.organisation, domain=catalogue.domain, state=Catalogue.State.PUBLISHED
            ).first()
        returned_by = None
        if catalogue.state == Catalogue.State.RETURNED:
            returned_by = catalogue.steps.filter(action=ReviewStep.Action.REJECT).select_related("actor").last()
        step_forms = [
            bound if bound is not None and bound.step == name else STEPS[name][0](step=name)
            for name in permissions.available_steps(request.user, catalogue)
        ]
        return {
            "catalogue": catalogue,
            "groups": rows_by_top_item(catalogue),
            "published": published,
            "changes": catalogue_changes(published, catalogue) if published else None,
            "returned_by": returned_by,
            "step_forms": step_forms,
            "can_edit": permissions.can_edit_catalogue(request.user, catalogue),
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        catalogue = self._scoped_object(request, object_id)
        extra_context = {**(extra_context or {}), **self.review_context(request, catalogue)}
        return super().change_view(request, object_id, form_url, extra_context)

    def step_view(self, request, object_id, step):
        """One review step, shaped as UserAdmin.user_change_password: the scoped object, the permission,
        the step's form, the workflow function; a refusal comes back (400) with the message and the comment."""
        if step not in STEPS:
            raise Http404("没有这个审核操作")
        catalogue = self._scoped_object(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if step not in permissions.available_steps(request.user, catalogue):
            raise PermissionDenied("您无权对此目录执行该操作，或目录当前状态不允许该操作")
        form_class, function, done = STEPS[step]
        form = form_class(request.POST, step=step)
        if form.is_valid():
            try:
                result = function(catalogue, by=request.user, **form.cleaned_data)
            except workflow.WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, done)
                return redirect("admin:catalog_catalogue_change", result.pk)
        review = self.review_context(request, catalogue, bound=form)
        context = {
            **self.admin_site.each_context(request),
            **review,
            "failed": form,
            # The step may no longer be offered (someone else acted first): then say why above the panel.
            "failed_offered": form in review["step_forms"],
            "title": f"{form.button}：{catalogue}",
            "opts": self.opts,
            "original": catalogue,
        }
        return TemplateResponse(request, "admin/catalog/catalogue/step.html", context, status=400)

    def export_view(self, request, object_id):
        return xlsx_response(self._scoped_object(request, object_id))

    def import_view(self, request):
        organisations = clerk_organisations(request.user)
        if not organisations.exists():
            raise PermissionDenied("只有发布员可以导入本单位的标准目录")
        form = ImportForm(
            request.POST or None, request.FILES or None, organisations=organisations,
            initial={"organisation": request.GET.get("organisation"), "domain": request.GET.get("domain")},
        )
        problems = []
        status = 200
        if request.method == "POST":
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    check_upload_size(upload.size)
                    parsed = parse_catalogue(upload.read(), domain=form.cleaned_data["domain"])
                    problems = parsed.problems
                    if not problems:
                        draft = workflow.import_items(
                            form.cleaned_data["organisation"], form.cleaned_data["domain"], parsed,
                            by=request.user, filename=upload.name,
                        )
                        messages.success(request, f"已导入{parsed.item_count}个事项到{draft}")
                        return redirect("admin:catalog_catalogue_change", draft.pk)
                except ExcelRefused as exc:
                    problems = [str(exc)]
                except workflow.WorkflowError as exc:
                    problems = [str(exc)]
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "title": "导入Excel标准目录",
            "form": form,
            "problems": [str(p) for p in problems],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/catalog/catalogue/import.html", context, status=status)

    def start_view(self, request):
        organisations = clerk_organisations(request.user)
        if not organisations.exists():
            raise PermissionDenied("只有发布员可以编制本单位的标准目录")
        choosing = request.method == "POST"
        data = request.POST if choosing else (request.GET if "domain" in request.GET else None)
        form = StartForm(data, organisations=organisations, choosing=choosing, initial={"organisation": organisations.first()})
        guideline_groups = None
        status = 200
        if form.is_bound and form.is_valid():
            organisation, domain = form.cleaned_data["organisation"], form.cleaned_data["domain"]
            if choosing:
                try:
                    catalogue = workflow.start_catalogue(
                        organisation, domain, by=request.user, guideline_items=form.cleaned_data["items"]
                    )
                except workflow.WorkflowError as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, f"已从国家标准指引领取事项，创建{catalogue}")
                    return redirect("admin:catalog_catalogue_change", catalogue.pk)
        if form.is_bound and not form.is_valid():
            status = 400
        cleaned = getattr(form, "cleaned_data", {})
        organisation, domain = cleaned.get("organisation"), cleaned.get("domain")
        if domain is not None:
            guideline = Catalogue.objects.filter(domain=domain, is_guideline=True).first()
            if guideline is not None:
                guideline_groups = rows_by_top_item(guideline)
        context = {
            **self.admin_site.each_context(request),
            "title": "从国家标准指引编制目录（领取事项）",
            "form": form,
            "guideline_groups": guideline_groups,
            "level_field": workflow.level_field(organisation) if organisation is not None else "level_county",
            "chosen": form.chosen_ids if choosing else None,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/catalog/catalogue/start.html", context, status=status)


class CatalogueItemForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label="公开渠道和载体", choices=Channel.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = CatalogueItem
        fields = (
            "catalogue", "parent", "name", "content", "basis", "deadline", "deadline_days", "owner",
            "channels", "audience", "method", "level_county", "level_township",
        )
        widgets = {"content": forms.Textarea(attrs={"rows": 3}), "basis": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        catalogue, parent = cleaned.get("catalogue"), cleaned.get("parent")
        if parent and catalogue and parent.catalogue_id != catalogue.pk:
            self.add_error("parent", "上级事项不属于所选目录")
        if parent and parent.parent_id:
            self.add_error("parent", "标准目录只有两级：请选择一级事项作为上级")
        if parent and self.instance.pk and self.instance.get_children().exists():
            self.add_error("parent", "该事项下已有二级事项，不能再作为二级事项")
        if parent:
            # 二级事项 carry the eight elements.
            probe = CatalogueItem(**{f: cleaned.get(f) for f in CatalogueItem.ELEMENT_FIELDS if f in cleaned})
            for field, message in probe.element_errors().items():
                self.add_error(field, message)
        return cleaned


@admin.register(CatalogueItem)
class CatalogueItemAdmin(NotFoundForMissingObjects, BackOfficeAdmin, DraggableMPTTAdmin):
    form = CatalogueItemForm
    list_display = ("tree_actions", "indented_title", "owner", "method", "level_county", "level_township")
    list_display_links = ("indented_title",)
    list_filter = ("catalogue",)
    search_fields = ("name",)
    mptt_level_indent = 24

    def get_queryset(self, request):
        qs = super().get_queryset(request).filter(catalogue__in=permissions.visible_catalogues(request.user))
        return qs.select_related("catalogue")

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return clerk_organisations(request.user).exists()
        return permissions.can_edit_catalogue(request.user, obj.catalogue)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_add_permission(self, request):
        return clerk_organisations(request.user).exists()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        editable = Catalogue.objects.filter(
            state__in=Catalogue.EDITABLE_STATES, is_guideline=False, organisation__in=clerk_organisations(request.user)
        )
        if db_field.name == "catalogue":
            kwargs["queryset"] = editable.select_related("domain", "organisation")
        if db_field.name == "parent":
            kwargs["queryset"] = CatalogueItem.objects.filter(parent__isnull=True, catalogue__in=editable)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "catalogue" in request.GET:
            initial["catalogue"] = request.GET["catalogue"]
        return initial

    def save_model(self, request, obj, form, change):
        workflow.lock_item_trees()
        super().save_model(request, obj, form, change)

    def response_post_save_change(self, request, obj):
        return redirect(f"{reverse('admin:catalog_catalogueitem_changelist')}?catalogue__id__exact={obj.catalogue_id}")

    response_post_save_add = response_post_save_change

    def _move_node(self, request):
        # Keep the two-level tree inside one draft catalogue whatever is dragged where.
        try:
            cut = CatalogueItem.objects.select_related("catalogue").get(pk=request.POST.get("cut_item"))
            target = CatalogueItem.objects.get(pk=request.POST.get("pasted_on"))
        except (CatalogueItem.DoesNotExist, TypeError, ValueError):
            return HttpResponse("FAIL, invalid objects.", status=400)
        position = request.POST.get("position")
        new_parent = target if position == "last-child" else target.parent
        problem = None
        if not permissions.can_edit_catalogue(request.user, cut.catalogue):
            problem = "只能调整本单位草稿目录中的事项"
        elif target.catalogue_id != cut.catalogue_id:
            problem = "不能把事项移动到另一个目录"
        elif new_parent is not None and (new_parent.parent_id or cut.get_children().exists()):
            problem = "标准目录只有两级，不能这样移动"
        if problem:
            self.message_user(request, problem, level=messages.ERROR)
            return HttpResponse(f"FAIL, {problem}", status=403)
        with transaction.atomic():
            workflow.lock_item_trees()
            return super()._move_node(request)
