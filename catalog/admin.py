"""The back office for catalogues: compiling from the guideline, editing the item tree, Excel in and
out, and the review buttons. Every state change goes through catalog.workflow."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from mptt.admin import DraggableMPTTAdmin

from portal.admin import BackOfficeAdmin, TimelineInline
from portal.models import Organisation
from portal.permissions import clerk_organisations, is_county_office

from . import permissions, workflow
from .diff import catalogue_changes
from .excel import MAX_UPLOAD_BYTES, ExcelRefused, check_upload_size, parse_catalogue
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


class ReviewStepInline(TimelineInline):
    model = ReviewStep
    fields = ("at", "action", "from_state", "to_state", "actor", "comment")
    verbose_name_plural = "审核记录（谁、何时、意见）"


STEPS = {
    # url action: (workflow function, permission predicate, success message)
    "submit": (workflow.submit, permissions.can_edit_catalogue, "已提交本单位审核员初审"),
    "first-review": (workflow.first_review, permissions.can_first_review, "初审通过，已报县政府办公室复核"),
    "approve": (workflow.approve, permissions.can_final_review, "复核通过，目录已发布"),
    "reject": (workflow.reject, permissions.can_reject, "已退回修改"),
    "revise": (workflow.start_revision, permissions.can_start_revision, "已创建新版本草稿，原版本在新版本发布前继续公开"),
}


class ImportForm(forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label="编制单位")
    domain = forms.ModelChoiceField(Domain.objects.all(), label="领域")
    file = forms.FileField(label=f"Excel文件（.xlsx，不超过{MAX_UPLOAD_BYTES // (1024 * 1024)}MB）")

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class StartForm(forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label="编制单位")
    domain = forms.ModelChoiceField(Domain.objects.all(), label="领域")

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


@admin.register(Catalogue)
class CatalogueAdmin(BackOfficeAdmin, admin.ModelAdmin):
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
            path("<int:pk>/export.xlsx", self.admin_site.admin_view(self.export_view), name="catalog_catalogue_export"),
            path("<int:pk>/step/<str:action>/", self.admin_site.admin_view(self.step_view), name="catalog_catalogue_step"),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        catalogue = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if catalogue is not None:
            user = request.user
            published = None
            if not catalogue.is_guideline and catalogue.state != Catalogue.State.PUBLISHED:
                published = Catalogue.objects.filter(
                    organisation=catalogue.organisation, domain=catalogue.domain, state=Catalogue.State.PUBLISHED
                ).first()
            extra_context.update(
                catalogue=catalogue,
                groups=rows_by_top_item(catalogue),
                published=published,
                changes=catalogue_changes(published, catalogue) if published else None,
                can_edit=permissions.can_edit_catalogue(user, catalogue),
                can_first_review=permissions.can_first_review(user, catalogue),
                can_final_review=permissions.can_final_review(user, catalogue),
                can_reject=permissions.can_reject(user, catalogue),
                can_start_revision=permissions.can_start_revision(user, catalogue)
                and not Catalogue.objects.filter(
                    organisation=catalogue.organisation, domain=catalogue.domain, state__in=Catalogue.OPEN_STATES
                ).exists(),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def step_view(self, request, pk, action):
        if request.method != "POST" or action not in STEPS:
            return HttpResponse("不支持的操作", status=405)
        catalogue = get_object_or_404(Catalogue, pk=pk)
        step, allowed, done = STEPS[action]
        if not allowed(request.user, catalogue):
            raise PermissionDenied("您无权对此目录执行该操作，或目录当前状态不允许该操作")
        kwargs = {"by": request.user}
        if action != "revise":
            kwargs["comment"] = request.POST.get("comment", "")
        try:
            result = step(catalogue, **kwargs)
        except workflow.WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("admin:catalog_catalogue_change", catalogue.pk)
        messages.success(request, done)
        return redirect("admin:catalog_catalogue_change", result.pk)

    def export_view(self, request, pk):
        catalogue = get_object_or_404(self.get_queryset(request), pk=pk)
        return xlsx_response(catalogue)

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
        data = request.POST if request.method == "POST" else (request.GET if "domain" in request.GET else None)
        form = StartForm(data, organisations=organisations, initial={"organisation": organisations.first()})
        guideline_groups = None
        status = 200
        if form.is_bound and form.is_valid():
            organisation, domain = form.cleaned_data["organisation"], form.cleaned_data["domain"]
            guideline = Catalogue.objects.filter(domain=domain, is_guideline=True).first()
            if guideline is not None:
                guideline_groups = rows_by_top_item(guideline)
            if request.method == "POST":
                chosen = CatalogueItem.objects.filter(pk__in=request.POST.getlist("items"))
                try:
                    catalogue = workflow.start_catalogue(organisation, domain, by=request.user, guideline_items=chosen)
                except workflow.WorkflowError as exc:
                    messages.error(request, str(exc))
                    status = 400
                else:
                    messages.success(request, f"已从国家标准指引领取事项，创建{catalogue}")
                    return redirect("admin:catalog_catalogue_change", catalogue.pk)
        elif form.is_bound:
            status = 400
        organisation = form.cleaned_data.get("organisation") if form.is_bound and form.is_valid() else None
        township = organisation is not None and organisation.kind in (
            Organisation.Kind.TOWNSHIP, Organisation.Kind.SUBDISTRICT
        )
        context = {
            **self.admin_site.each_context(request),
            "title": "从国家标准指引编制目录（领取事项）",
            "form": form,
            "guideline_groups": guideline_groups,
            "level_field": "level_township" if township else "level_county",
            "chosen": set(map(int, filter(str.isdigit, request.POST.getlist("items")))) if request.method == "POST" else None,
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
class CatalogueItemAdmin(BackOfficeAdmin, DraggableMPTTAdmin):
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
            state=Catalogue.State.DRAFT, is_guideline=False, organisation__in=clerk_organisations(request.user)
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
