"""The back office for applications: the queue with days left, paper applications entered by staff,
the timeline, and each step as a button. Applications are never deleted, not even by a superuser."""

import io
from functools import partial
from pathlib import Path

from django import forms as django_forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from portal.admin import BackOfficeAdmin, CountyOfficeAdmin, ReadOnlyAdmin, RefusedFormIs400, TimelineInline, staff_display
from portal.permissions import clerk_organisations, is_county_office, staff_of

from . import forms, letters, permissions, remedies, selectors, workflow
from .models import (
    Application,
    ApplicationEvent,
    Consultation,
    FeeSchedule,
    Letter,
    LetterKind,
    LetterTemplate,
    PersonalDataAccess,
    ReplySettings,
    ReplyType,
)


class QueueFilter(admin.SimpleListFilter):
    title = "期限"
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", "已逾期"), ("this_week", "本周到期"), ("frequent", "多人申请（建议转主动公开）")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return selectors.overdue(queryset)
        if self.value() == "this_week":
            return selectors.due_this_week(queryset)
        if self.value() == "frequent":
            return queryset.filter(pk__in=selectors.frequently_requested(queryset))
        return queryset


class ApplicationRecordInline(TimelineInline):
    """A read-only record of the application (its timeline, letters, consultations)."""

    def has_view_permission(self, request, obj=None):
        # Whoever may see the application sees its whole trail, read-only. Without obj (Django
        # builds the inline's queryset so), any back-office user: the formset keeps this application's rows.
        if obj is None:
            return staff_of(request.user) is not None or request.user.is_superuser
        return permissions.can_view(request.user, obj)


class ApplicationEventInline(ApplicationRecordInline):
    model = ApplicationEvent
    fields = ("on", "action", "from_state", "to_state", "actor", "note", "due_date", "at")
    verbose_name_plural = "办理记录（只追加，不可修改或删除）"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application", "actor")


class LetterInline(ApplicationRecordInline):
    """The letters sent or drafted for the application, each with its number and its file."""

    model = Letter
    fields = ("number", "kind", "recipient", "dated", "state", "issued_by_name", "download")
    verbose_name_plural = "文书（签发后不可修改）"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application", "issued_by__staff__organisation")

    @admin.display(description="状态")
    def state(self, letter):
        return f"已签发（{timezone.localtime(letter.issued_at):%Y-%m-%d %H:%M}）" if letter.is_issued else "草稿，待审批"

    @admin.display(description="签发人")
    def issued_by_name(self, letter):
        return staff_display(letter.issued_by) if letter.issued_by else "—"

    @admin.display(description="文件")
    def download(self, letter):
        url = reverse("admin:requests_app_application_letter", args=[letter.application_id, letter.pk])
        return format_html('<a href="{}">下载</a>', url)


class ConsultationInline(ApplicationRecordInline):
    """条例第三十二条、第三十四条: whom the application was sent to for an opinion, and what they said."""

    model = Consultation
    fields = ("kind", "consultee", "sent_on", "reply_by", "answered_on", "outcome_text", "opinion", "letter", "disclosure_notice")
    verbose_name_plural = "征求意见（第三方、其他行政机关）"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application", "letter", "disclosure_notice")

    @admin.display(description="意见")
    def outcome_text(self, consultation):
        return consultation.outcome_display


class PaperApplicationForm(django_forms.ModelForm):
    """Staff enter applications that came in person, by post, fax or e-mail."""

    class Meta:
        model = Application
        fields = (
            "kind", "organisation", "channel", "arrived_on", "applicant_kind", "organisation_category", "applicant_name",
            "id_type", "id_number", "credit_code", "legal_representative", "phone", "email", "address", "postcode",
            "description", "document_number_sought", "provided_in", "inaccuracy", "correct_record",
            "form_wanted", "delivery", "supporting_file",
        )
        widgets = {"kind": django_forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            forms.use_kind_field(self)
        if "channel" in self.fields:
            self.fields["channel"].choices = [c for c in Application.Channel.choices if c[0] != Application.Channel.ONLINE]

    def clean_kind(self):
        return forms.kind_or_default(self)

    def clean_supporting_file(self):
        return forms.accepted_supporting_file(self.cleaned_data.get("supporting_file"))

    def clean_arrived_on(self):
        arrived_on = self.cleaned_data["arrived_on"]
        try:
            workflow.check_date(arrived_on, "arrived_on", "送达日期")
        except workflow.WorkflowError as exc:
            raise django_forms.ValidationError(str(exc)) from None
        return arrived_on


# One entry per step: its form, its workflow function, and what the person is told when it is done.
STEPS = {
    "register": (forms.RegisterForm, workflow.register, "已登记受理"),
    "request_supplement": (forms.RequestSupplementForm, workflow.request_supplement, "已告知补正，期限暂停计算"),
    "consult_third_party": (
        forms.ConsultThirdPartyForm, workflow.consult_third_party, "已征求第三方意见，第三方答复时间不计入答复期限",
    ),
    "consult_agency": (
        forms.ConsultAgencyForm, workflow.consult_agency, "已征求其他行政机关意见，征求意见时间不计入答复期限",
    ),
    "draft_reply": (forms.DraftReplyForm, workflow.draft_reply, "答复已拟定，告知书已生成，待审核员审批"),
    "record_supplement": (
        forms.RecordSupplementForm, workflow.record_supplement, "已登记补正，答复期限自补正之日起重新计算",
    ),
    "draft_no_supplement_reply": (
        forms.NoSupplementReplyForm, partial(workflow.draft_reply, reply_type=ReplyType.OTHER_NO_SUPPLEMENT),
        "答复已拟定，告知书已生成，待审核员审批",
    ),
    "record_third_party_answer": (
        forms.RecordThirdPartyAnswerForm, workflow.record_third_party_answer, "已登记第三方意见，答复期限恢复计算",
    ),
    "record_agency_answer": (
        forms.RecordAgencyAnswerForm, workflow.record_agency_answer, "已登记其他行政机关意见，答复期限恢复计算",
    ),
    "notify_fee": (forms.NotifyFeeForm, workflow.notify_fee, "已发出收费通知，缴费前答复期限暂停计算"),
    "record_payment": (forms.RecordPaymentForm, workflow.record_payment, "已登记缴费，答复期限相应顺延"),
    "draft_fee_unpaid_reply": (
        forms.FeeUnpaidReplyForm, partial(workflow.draft_reply, reply_type=ReplyType.OTHER_FEE_UNPAID),
        "答复已拟定，告知书已生成，待审核员审批",
    ),
    "propose_extension": (forms.ProposeExtensionForm, workflow.propose_extension, "已提出延期申请，待负责人决定"),
    "extend": (forms.ExtendForm, workflow.extend, "已同意延期，延期答复告知书已生成"),
    "refuse_extension": (forms.RefuseExtensionForm, workflow.refuse_extension, "已不同意延期"),
    "request_reasons": (forms.RequestReasonsForm, workflow.request_reasons, "已要求申请人说明理由"),
    "set_longer_period": (forms.LongerPeriodForm, workflow.set_longer_period, "已确定延迟答复期限并告知申请人"),
    "replace_letter": (forms.ReplaceLetterForm, workflow.replace_letter, "已更换答复告知书"),
    "approve_reply": (forms.ApproveReplyForm, workflow.approve_reply, "答复已审批"),
    "return_reply": (forms.ReturnReplyForm, workflow.return_reply, "答复已退回修改"),
    "notify_disclosure": (forms.NotifyDisclosureForm, workflow.notify_disclosure, "已书面告知第三方决定公开的内容和理由"),
    "send_reply": (forms.SendReplyForm, workflow.send_reply, "答复已送达"),
    "archive": (forms.ArchiveForm, workflow.archive, "已归档"),
    "withdraw": (forms.WithdrawForm, workflow.withdraw, "已登记申请人撤回"),
    "open_proactive_draft": (
        forms.ProactiveDraftForm, workflow.open_proactive_draft, "已建主动公开草稿，请在“政府信息”中完善后提交审核",
    ),
    "draft_correction_reply": (
        forms.CorrectionReplyForm, workflow.draft_correction_reply, "更正申请答复已拟定，答复书已生成，待审核员审批",
    ),
}


SESSION_ACKNOWLEDGEMENT_CODE = "requests_app.acknowledgement_code"


def step_form(step, *args):
    # Several step forms share a page: each gets its own element ids.
    return STEPS[step][0](*args, auto_id=f"id_{step}_%s")


FILE_FIELDS = {
    "supporting_file": "申请人补充材料",
    "redacted_file": "提供的信息",
    "information_file": "信息原件（内部）",
}


class QueueChangeList(ChangeList):
    """The queue page: days left and the 多人申请 flag worked out once for the page's rows, with one
    calendar read and one look at the year's applications (not per row, and not on the shared admin)."""

    def get_results(self, request):
        super().get_results(request)
        frequent = selectors.frequently_requested(self.root_queryset)
        calendar = selectors.queue_calendar()
        for application in self.result_list:
            application.queue_days_left = selectors.working_days_left(application, overrides=calendar)
            application.queue_frequent = application.pk in frequent


@admin.register(Application)
class ApplicationAdmin(RefusedFormIs400, admin.ModelAdmin):
    list_display = (
        "tracking_number", "kind", "organisation", "applicant", "phone_masked", "channel", "receipt_date", "state",
        "due", "days_left", "reply_type", "frequent",
    )
    list_filter = (QueueFilter, "kind", "state", "channel", "reply_type", "correction_outcome", "applicant_kind")
    list_select_related = ("organisation",)
    search_fields = ("tracking_number",)
    search_help_text = "输入申请编号，或完整的证件号码、联系电话（查找同一申请人的申请）"
    date_hierarchy = "receipt_date"
    inlines = (ConsultationInline, LetterInline, ApplicationEventInline)
    change_form_template = "admin/requests_app/application/change_form.html"
    readonly_fields = (
        "tracking_number", "receipt_date", "state", "clock_start", "third_party_paused_days", "extension_days",
        "extension_proposed_days", "extension_reason",
        "due_date", "due_date_is_provisional", "reply_type", "reply_text", "where_public", "responsible_body",
        "replied_on", "files", "fee_method", "fee_amount", "fee_computation", "fee_notified_on", "fee_due",
        "fee_paid_on", "fee_paused_days", "correction_outcome", "competent_body",
    )

    def get_queryset(self, request):
        return permissions.visible_applications(request.user).select_related("organisation")

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()  # a new paper application has no trail yet

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = PaperApplicationForm
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": PaperApplicationForm.Meta.fields})]
        return [
            ("申请", {"fields": ("tracking_number", "kind", "organisation", "channel", "arrived_on", "receipt_date", "state")}),
            ("申请人（个人信息，仅本机关经办人员和县政府办公室可见）", {"fields": (
                "applicant_kind", "organisation_category", "applicant_name", "id_type", "id_number", "credit_code",
                "legal_representative", "phone", "email", "address", "postcode")}),
            *self._information_fieldsets(obj),
            ("期限", {"fields": (
                "clock_start", "third_party_paused_days", "extension_days", "extension_proposed_days", "extension_reason",
                "due_date", "due_date_is_provisional")}),
            *([] if obj.is_correction else [("信息处理费", {"fields": (
                "fee_method", "fee_amount", "fee_computation", "fee_notified_on", "fee_due", "fee_paid_on", "fee_paused_days")})]),
            self._reply_fieldset(obj),
        ]

    @staticmethod
    def _information_fieldsets(application):
        if application.is_correction:
            return [("要求更正的信息（条例第四十一条）", {"fields": (
                "description", "document_number_sought", "provided_in", "inaccuracy", "correct_record", "delivery")})]
        return [("所需信息", {"fields": ("description", "document_number_sought", "form_wanted", "delivery")})]

    @staticmethod
    def _reply_fieldset(application):
        if application.is_correction:
            return ("答复", {"fields": ("correction_outcome", "reply_text", "competent_body", "replied_on", "files")})
        return ("答复", {"fields": ("reply_type", "reply_text", "where_public", "responsible_body", "replied_on", "files")})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = clerk_organisations(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        own = clerk_organisations(request.user)
        if own.count() == 1:
            initial.setdefault("organisation", own.first().pk)
        initial.setdefault("arrived_on", timezone.localdate())
        return initial

    def has_module_permission(self, request):
        return staff_of(request.user) is not None or request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        if obj is not None:
            return permissions.can_view(request.user, obj)
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return clerk_organisations(request.user).exists()

    def has_change_permission(self, request, obj=None):
        return False  # every change is a workflow step (the buttons), never a free edit

    def has_delete_permission(self, request, obj=None):
        return False  # never deleted, not even by an administrator

    def save_model(self, request, obj, form, change):
        try:
            workflow.receive(obj, by=request.user)
        except workflow.WorkflowError as exc:
            raise PermissionDenied(str(exc)) from None
        # The query code exists in plain only now: the applicant's copy of the 登记回执 is made with it
        # once, from the application's page (acknowledgement_copy_view).
        request.session[SESSION_ACKNOWLEDGEMENT_CODE] = [obj.pk, obj.query_code]

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if "_popup" in request.POST or "_addanother" in request.POST:
            return response
        return redirect("admin:requests_app_application_change", obj.pk)

    def _pending_code(self, request, application):
        pending = request.session.get(SESSION_ACKNOWLEDGEMENT_CODE)
        return pending[1] if pending and pending[0] == application.pk else None

    def acknowledgement_copy_view(self, request, pk):
        """The applicant's 登记回执 with the query code, once, for the clerk who entered the application."""
        application = self._application(request, pk)
        code = self._pending_code(request, application)
        letter = application.letters.filter(kind=LetterKind.ACKNOWLEDGEMENT).order_by("-pk").first()
        if code is None or letter is None:
            raise Http404("含查询码的登记回执只能在录入申请后下载一次；如申请人遗失查询码，请联系县政府办公室重置")
        del request.session[SESSION_ACKNOWLEDGEMENT_CODE]
        _log_access(request, application, PersonalDataAccess.What.LETTER, f"{letter.get_kind_display()} {letter.number}（含查询码）")
        return FileResponse(
            io.BytesIO(letters.acknowledgement_copy(letter, code)), as_attachment=True, filename=letters.letter_filename(letter),
        )

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    def get_search_results(self, request, queryset, search_term):
        """The tracking number as typed, or a whole ID number or phone through its keyed hash: the
        columns hold ciphertext, so this is the only way to find one applicant's applications."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            same = Application.of_same_applicant(id_number=term, phone=term).values("pk")
            results = results | queryset.filter(pk__in=same)
        return results, may_have_duplicates

    @admin.display(description="申请人")
    def applicant(self, application):
        return application.masked_name

    @admin.display(description="联系电话")
    def phone_masked(self, application):
        return application.masked_phone

    @admin.display(description="答复期限", ordering="due_date")
    def due(self, application):
        if application.due_date is None:
            paused = (Application.State.SUPPLEMENT_REQUESTED, Application.State.FEE_NOTIFIED)
            return "暂停计时" if application.state in paused else "—"
        return f"{application.due_date:%Y-%m-%d}{'（暂定）' if application.due_date_is_provisional else ''}"

    @admin.display(description="剩余工作日")
    def days_left(self, application):
        left = application.queue_days_left
        if left is None:
            return "—"
        urgency = "overdue" if left < 0 else "days" if left <= 3 else "week" if left <= 7 else "ample"
        text = f"逾期{-left}日" if left < 0 else f"{left}日"
        # A class, not a style="" attribute: the Content-Security-Policy allows no inline style.
        return format_html('<strong class="days-left-{}">{}</strong>', urgency, text)

    @admin.display(description="多人申请", boolean=True)
    def frequent(self, application):
        return application.queue_frequent

    @admin.display(description="材料与文书")
    def files(self, application):
        links = [
            format_html('<a href="{}">{}</a>', reverse("admin:requests_app_application_file", args=[application.pk, name]), label)
            for name, label in FILE_FIELDS.items() if getattr(application, name)
        ]
        return format_html_join("", "{}<br>", ((link,) for link in links)) if links else "—"

    def get_urls(self):
        own = [
            path("<int:pk>/step/<str:action>/", self.admin_site.admin_view(self.step_view), name="requests_app_application_step"),
            path("<int:pk>/file/<str:name>/", self.admin_site.admin_view(self.file_view), name="requests_app_application_file"),
            path(
                "<int:pk>/acknowledgement-copy/", self.admin_site.admin_view(self.acknowledgement_copy_view),
                name="requests_app_application_acknowledgement_copy",
            ),
            path(
                "<int:pk>/reset-query-code/", self.admin_site.admin_view(self.reset_query_code_view),
                name="requests_app_application_reset_query_code",
            ),
            path(
                "<int:pk>/letter/<int:letter_pk>/", self.admin_site.admin_view(self.letter_view),
                name="requests_app_application_letter",
            ),
        ]
        return own + super().get_urls()

    def _application(self, request, pk):
        # Through get_queryset: another organisation's application does not exist for this user.
        application = self.get_object(request, unquote(str(pk)))
        if application is None or not permissions.can_view(request.user, application):
            raise Http404("没有找到该申请")
        return application

    def file_view(self, request, pk, name):
        """Files are never served from MEDIA_ROOT directly: staff of the application get them here."""
        application = self._application(request, pk)
        file = getattr(application, name) if name in FILE_FIELDS else None
        if not file:
            raise Http404
        suffix = Path(file.name).suffix
        _log_access(request, application, PersonalDataAccess.What.FILE, FILE_FIELDS[name])
        return FileResponse(file.open("rb"), as_attachment=True, filename=f"{application.tracking_number}{FILE_FIELDS[name]}{suffix}")

    def letter_view(self, request, pk, letter_pk):
        application = self._application(request, pk)
        letter = application.letters.filter(pk=letter_pk).first()
        if letter is None:
            raise Http404
        _log_access(request, application, PersonalDataAccess.What.LETTER, f"{letter.get_kind_display()} {letter.number}")
        return FileResponse(letter.file.open("rb"), as_attachment=True, filename=letters.letter_filename(letter))

    def _step_context(self, request, application, **context):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts, "original": application, "application": application,
            "days_left": selectors.working_days_left(application),
            **context,
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if application is not None:
            steps = permissions.available_steps(request.user, application)
            extra_context.update(self._step_context(
                request, application, step_forms=[(step, step_form(step)) for step in steps],
            ))
            if self._pending_code(request, application):
                extra_context["acknowledgement_copy_url"] = reverse(
                    "admin:requests_app_application_acknowledgement_copy", args=[application.pk],
                )
            # The page shows the applicant's ID number, phone, e-mail and address unmasked.
            _log_access(request, application, PersonalDataAccess.What.VIEWED)
            if is_county_office(request.user):
                recent = application.personal_data_accesses.select_related("user__staff__organisation")[:10]
                extra_context["accesses"] = [(access, staff_display(access.user)) for access in recent]
                extra_context["accesses_url"] = (
                    reverse("admin:requests_app_personaldataaccess_changelist") + f"?application__id__exact={application.pk}"
                )
                extra_context["may_reset_query_code"] = True
        return super().change_view(request, object_id, form_url, extra_context)

    def reset_query_code_view(self, request, pk):
        """The county office gives an applicant who lost the query code a new one, shown on this page
        once to be printed or read out; the old code stops working."""
        application = self._application(request, pk)
        if not is_county_office(request.user):
            raise PermissionDenied("只有县政府办公室可以重置查询码")
        query_code = None
        if request.method == "POST":
            with transaction.atomic():
                locked = Application.objects.select_for_update().get(pk=application.pk)
                query_code = locked.set_query_code()
                locked.save(update_fields=["query_code_hash"])
                _log_access(request, application, PersonalDataAccess.What.QUERY_CODE_RESET)
        context = self._step_context(
            request, application, title=f"{application.tracking_number}：重置查询码", query_code=query_code,
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/requests_app/application/reset_query_code.html", context)


    def step_view(self, request, pk, action):
        """One step, the shape of UserAdmin.user_change_password: the application through the scoped
        queryset, the right checked, the step's form validated, the workflow function called. A refusal
        shows the step again (400) with the message at its field and everything typed kept."""
        if action not in STEPS:
            raise Http404("不支持的操作")
        application = self._application(request, pk)
        if not permissions.may_take(request.user, application, action):
            raise PermissionDenied("您不能对该申请办理此步骤")
        _form_class, step, done = STEPS[action]
        status = 200
        if request.method == "POST":
            form = step_form(action, request.POST, request.FILES)
            if form.is_valid():
                try:
                    step(application, by=request.user, **form.cleaned_data)
                except workflow.WorkflowError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, str(exc))
                else:
                    messages.success(request, done)
                    return redirect("admin:requests_app_application_change", application.pk)
            status = 400
            application.refresh_from_db()
        else:
            form = step_form(action)
        context = self._step_context(
            request, application, title=f"{application.tracking_number}：{form.title}", step=action, form=form,
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/requests_app/application/step.html", context, status=status)


def _log_access(request, application, what, detail=""):
    PersonalDataAccess.objects.create(user=request.user, application=application, what=what, detail=detail)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Who looked at which applicant's personal data, and when: for the county office only, read-only.
    The rows are written by the views that show the data (ApplicationAdmin), nowhere else."""

    list_display = ("at", "user_name", "application", "what", "detail")
    list_filter = ("what", ("user", admin.RelatedOnlyFieldListFilter), "at")
    list_select_related = ("application", "user__staff__organisation")
    search_fields = ("application__tracking_number",)
    search_help_text = "输入申请编号"
    date_hierarchy = "at"

    def lookup_allowed(self, lookup, value, request=None):
        # The application page links to its own rows.
        return lookup == "application__id__exact" or super().lookup_allowed(lookup, value, request)

    def has_module_permission(self, request):
        return is_county_office(request.user)

    def has_view_permission(self, request, obj=None):
        return is_county_office(request.user)

    @admin.display(description="查看人", ordering="user")
    def user_name(self, access):
        return staff_display(access.user)


@admin.register(ReplySettings)
class ReplySettingsAdmin(CountyOfficeAdmin, admin.ModelAdmin):
    list_display = ("organisation", "is_vertically_managed", "superior_authority", "letter_reconsideration_body", "letter_court")
    list_filter = ("is_vertically_managed",)
    list_select_related = ("organisation__parent",)
    fieldsets = (
        (None, {"fields": (
            "organisation", "is_vertically_managed", "superior_authority", "letter_code", "supplement_period_days")}),
        ("特别设置（通常留空，由法定规则确定）", {"fields": ("reconsideration_body", "court")}),
    )

    # What the letters print, after the rules of remedies.py: the override, or the body the law names.
    @admin.display(description="告知书中的行政复议机关")
    def letter_reconsideration_body(self, obj):
        return remedies.reconsideration_body(obj.organisation, obj)

    @admin.display(description="告知书中的管辖法院")
    def letter_court(self, obj):
        return remedies.court(obj.organisation, obj)


@admin.register(FeeSchedule)
class FeeScheduleAdmin(CountyOfficeAdmin, admin.ModelAdmin):
    """The county office adjusts the 信息处理费 standard; one row is active."""

    list_display = ("name", "is_active", "count_free", "count_first_rate", "page_free", "page_band1_rate", "payment_days")
    fieldsets = (
        (None, {"fields": ("name", "is_active", "payment_days")}),
        ("按件计收（同一申请人一个自然月内）", {"fields": (
            "count_free", "count_first_band_end", "count_first_rate", "count_band_size", "count_band_increase")}),
        ("按量计收（一件申请提供信息的页数，分段累进）", {"fields": (
            "page_free", "page_band1_end", "page_band1_rate", "page_band2_end", "page_band2_rate", "page_above_rate")}),
    )


class LetterTemplateForm(django_forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ("kind", "file")

    def clean(self):
        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        if upload is None or kind is None or not hasattr(upload, "content_type"):
            return cleaned  # unchanged file, or a field already refused
        from disclosure.files import AttachmentRefused, accept_upload

        try:
            accepted = accept_upload(upload, allowed_kinds={"docx"})
        except AttachmentRefused as exc:
            raise django_forms.ValidationError({"file": str(exc)}) from None
        data = accepted.content.read()
        try:
            letters.check_template(kind, data)
        except letters.LetterError as exc:
            raise django_forms.ValidationError({"file": str(exc)}) from None
        accepted.content.seek(0)
        cleaned["file"] = accepted.content
        return cleaned


@admin.register(LetterTemplate)
class LetterTemplateAdmin(CountyOfficeAdmin, admin.ModelAdmin):
    """The county office replaces a shipped letter template with its own .docx (edited in Word or
    WPS); deleting it brings the shipped one back. Letters already made keep their file."""

    form = LetterTemplateForm
    list_display = ("kind", "uploaded_by", "uploaded_at")
    change_list_template = "admin/requests_app/lettertemplate/change_list.html"
    change_form_template = "admin/requests_app/lettertemplate/change_form.html"

    def has_delete_permission(self, request, obj=None):
        return is_county_office(request.user)

    def save_model(self, request, obj, form, change):
        obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path("shipped/<str:kind>/", self.admin_site.admin_view(self.shipped_view), name="requests_app_lettertemplate_shipped"),
            *super().get_urls(),
        ]

    def shipped_view(self, request, kind):
        if not is_county_office(request.user):
            raise PermissionDenied("只有县政府办公室可以管理文书模板")
        if kind not in LetterKind.values:
            raise Http404
        return FileResponse(
            io.BytesIO(letters.shipped_template(kind)), as_attachment=True,
            filename=f"{LetterKind(kind).label}（默认模板）.docx",
        )

    def changelist_view(self, request, extra_context=None):
        custom = set(LetterTemplate.objects.values_list("kind", flat=True))
        kinds = [(kind, kind in custom) for kind in LetterKind]
        return super().changelist_view(request, {**(extra_context or {}), "kinds": kinds})

    def render_change_form(self, request, context, *args, **kwargs):
        context["variables"] = [
            (kind.label, list(letters.variables(kind).items())) for kind in LetterKind
        ]
        return super().render_change_form(request, context, *args, **kwargs)
