"""The annual reports' back office: a clerk starts their body's report, writes its text and enters the
figures the portal does not hold; the computed tables show beside them; the steps are the workflow's
(disclosure.reports). Registered from disclosure/admin.py."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from portal.admin import BackOfficeAdmin
from portal.permissions import staff_of

from . import permissions, reports
from .forms import CorrectReportForm, OverviewDraftForm, PublishForm, ReturnForm, SubmitForm
from .models import REVIEW_COLUMNS, REVIEW_GROUPS, AnnualReport, AnnualReportEvent
from .workflow import WorkflowError

# One entry per step: (the step's form, the workflow function, the message once done).
STEPS = {
    "overview": (OverviewDraftForm, reports.write_overview_draft, "已生成“总体情况”草稿，请修改完善"),
    "submit": (SubmitForm, reports.submit, "已提交审核"),
    "publish": (PublishForm, reports.publish, "已审核发布"),
    "return": (ReturnForm, reports.return_to_draft, "已退回修改"),
    "correct": (CorrectReportForm, reports.correct, "已创建更正版本（草稿），原报告在更正发布前仍公开"),
}

REVIEW_FIELDS = tuple(f"{group}_{column}" for group, _ in REVIEW_GROUPS for column, _ in REVIEW_COLUMNS)
ENTERED_FIELDSETS = (
    ("一、总体情况", {"fields": ("overview",)}),
    ("二、主动公开政府信息情况（本系统不掌握的数据，由本单位填报）", {"fields": (
        ("regulations_issued", "regulations_repealed", "regulations_in_force"),
        ("licensing_decisions", "penalty_decisions", "enforcement_decisions"), "fees_amount", "table_two_source",
    )}),
    ("四、政府信息公开行政复议、行政诉讼情况", {"fields": (
        *(tuple(f"{group}_{column}" for column, _ in REVIEW_COLUMNS) for group, _ in REVIEW_GROUPS), "table_four_source",
    )}),
    ("五、六", {"fields": ("problems", "other_matters")}),
)


class AnnualReportEventInline(admin.TabularInline):
    model = AnnualReportEvent
    fields = readonly_fields = ("at", "action", "actor", "from_status", "to_status", "note")
    extra = 0
    can_delete = False
    verbose_name_plural = "操作记录"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StartReportForm(forms.ModelForm):
    """The add page: which body and which year. The rest is written on the report's page."""

    class Meta:
        model = AnnualReport
        fields = ("organisation", "year")


def _pk_or_404(object_id):
    try:
        return AnnualReport._meta.pk.to_python(unquote(object_id))
    except ValidationError:
        raise Http404 from None


@admin.register(AnnualReport)
class AnnualReportAdmin(BackOfficeAdmin, admin.ModelAdmin):
    list_display = ("__str__", "year", "status", "due_date", "published_at")
    list_filter = ("year", "status")
    list_select_related = ("organisation",)
    inlines = (AnnualReportEventInline,)
    change_form_template = "admin/disclosure/annualreport/change_form.html"

    def get_queryset(self, request):
        return permissions.visible_reports(request.user).select_related("organisation", "corrects")

    def get_object(self, request, object_id, from_field=None):
        try:
            return self.get_queryset(request).get(pk=AnnualReport._meta.pk.to_python(object_id))
        except (AnnualReport.DoesNotExist, ValidationError):
            return None

    def has_add_permission(self, request):
        # Every clerk writes their own body's report (the add form offers report_organisations()):
        # asked on every admin page's menu, so without a query.
        staff = staff_of(request.user)
        return request.user.is_superuser or (staff is not None and staff.is_clerk)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_add_permission(request)
        return permissions.can_edit_report(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # every version is kept, corrected ones too

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = StartReportForm
        form = super().get_form(request, obj, **kwargs)
        if "organisation" in form.base_fields:
            widget = form.base_fields["organisation"].widget
            widget.can_add_related = widget.can_change_related = widget.can_delete_related = widget.can_view_related = False
        return form

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ("organisation", "year")}),)
        correction = (("更正说明", {"fields": ("correction_note",)}),) if obj.corrects_id else ()
        return correction + ENTERED_FIELDSETS

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = permissions.report_organisations(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        own = permissions.report_organisations(request.user)
        if own.count() == 1:
            initial.setdefault("organisation", own.first().pk)
        initial.setdefault("year", timezone.localdate().year - 1)  # the report is for the past year
        return initial

    def save_model(self, request, obj, form, change):
        try:
            if change:
                saved = reports.update(obj, by=request.user, **{name: form.cleaned_data[name] for name in form.changed_data})
            else:
                saved = reports.start(obj.organisation, obj.year, by=request.user)
        except WorkflowError as exc:
            raise PermissionDenied(str(exc)) from None
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        pass  # the events are written by the workflow; the inline is read-only

    def change_view(self, request, object_id, form_url="", extra_context=None):
        _pk_or_404(object_id)
        report = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if report is not None:
            steps = permissions.available_report_steps(request.user, report)
            tables = reports.tables(report)
            extra_context.update(
                report=report, tables=tables, table_three=reports.table_three_layout(tables.table_three),
                steps=[(name, STEPS[name][0].unbound(report, name)) for name in steps],
                figure_errors=report.figure_errors(),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/step/<str:action>/", view(self.step_view), name="disclosure_annualreport_step"),
        ] + super().get_urls()

    def step_view(self, request, object_id, action):
        """As DocumentAdmin.step_view: the scoped object, the permission, the step's form, the workflow
        function; a refusal re-renders the form with 400 and the message."""
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        if action not in STEPS:
            raise Http404("不支持的操作")
        report = self.get_object(request, str(_pk_or_404(object_id)))
        if report is None:
            raise Http404("没有找到该年度报告")
        if action not in permissions.available_report_steps(request.user, report):
            raise PermissionDenied("您无权对此报告执行该操作，或报告当前状态不允许该操作")
        form_class, step, done = STEPS[action]
        if request.method == "POST":
            form = form_class(request.POST, auto_id=f"id_{action}_%s")
            if form.is_valid():
                try:
                    result = step(report, by=request.user, **form.arguments())
                except WorkflowError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, str(exc))
                else:
                    messages.success(request, done)
                    return redirect("admin:disclosure_annualreport_change", result.pk)
        else:
            form = form_class.unbound(report, action)
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": f"{form.button}：{report}", "opts": self.opts, "original": report, "report": report,
            "form": form, "action": action, "heading": str(report),
            "change_url": reverse("admin:disclosure_annualreport_change", args=[report.pk]),
            "step_url": reverse("admin:disclosure_annualreport_step", args=[report.pk, action]),
        }
        return TemplateResponse(request, "admin/step_form.html", context,
                                status=400 if form.is_bound else 200)

