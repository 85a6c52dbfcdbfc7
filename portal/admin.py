from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django_otp.plugins.otp_totp.models import TOTPDevice
from mptt.admin import DraggableMPTTAdmin

from . import accounts, holiday_notice, security_log, signals, todo, tokens
from .models import ApiToken, CalendarDay, LoginAttempt, Organisation, SecurityEvent, Staff
from .text import csv_text, set_text_cell
from .permissions import acts_for, can_manage_api_tokens, is_county_office, staff_of


def staff_display(user):
    """A person as colleagues know them: 张明（县公安局）. The real name is 姓 (last_name) then 名
    (first_name), with no space; the username stands in when neither is set."""
    if user is None:
        return "—"
    name = f"{user.last_name}{user.first_name}".strip() or user.get_username()
    staff = staff_of(user)
    return f"{name}（{staff.organisation.display_name}）" if staff else name


def index(request):
    """The admin home: what waits for this user (待办事项), with Django's list of everything below."""
    return admin.site.index(request, extra_context={"todo_sections": todo.sections(request.user)})


class RefusedFormIs400:
    """Mixin: an add or change form sent back with errors answers 400, as every refused input does
    here (Django's admin answers 200); the page still shows the messages and everything typed."""

    def render_change_form(self, request, context, *args, **kwargs):
        response = super().render_change_form(request, context, *args, **kwargs)
        if request.method == "POST" and context.get("errors"):
            response.status_code = 400
        return response


class BackOfficeAdmin(RefusedFormIs400):
    """Mixin: every back-office user (any staff role) may open and read this model's pages; what
    they may change is each admin's own rule."""

    def has_module_permission(self, request):
        return staff_of(request.user) is not None or request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        # Object-level too: pages that fetch the object themselves (django-simple-history's history
        # view) must not show what this user's queryset leaves out.
        if not self.has_module_permission(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()


class TimelineInline(admin.TabularInline):
    """An append-only record (review steps, document events, application events) shown read-only.
    Subclasses set `model` and `fields`; an "actor" field is shown by the person's name."""

    extra = 0
    can_delete = False
    template = "admin/edit_inline/timeline.html"

    def get_fields(self, request, obj=None):
        return tuple("actor_name" if name == "actor" else name for name in super().get_fields(request, obj))

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if "actor" in self.fields:
            queryset = queryset.select_related("actor__staff__organisation")
        return queryset

    @admin.display(description="操作人")
    def actor_name(self, record):
        return staff_display(record.actor)

    def has_view_permission(self, request, obj=None):
        # Whoever may open the record may read its timeline; staff hold no Django model permissions.
        return self.admin_site.get_model_admin(self.parent_model).has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin:
    """Rows nobody adds, changes or deletes in the admin, superusers included: logs, and lists whose
    rows come from elsewhere. Put before admin.ModelAdmin in the bases."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CountyOfficeAdmin(RefusedFormIs400):
    """Mixin: a model only the county office keeps (the gazette, remedy settings); only a superuser deletes."""

    def has_module_permission(self, request):
        return is_county_office(request.user)

    def has_view_permission(self, request, obj=None):
        return is_county_office(request.user)

    def has_add_permission(self, request):
        return is_county_office(request.user)

    def has_change_permission(self, request, obj=None):
        return is_county_office(request.user)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Organisation)
class OrganisationAdmin(RefusedFormIs400, DraggableMPTTAdmin):
    list_display = ("tree_actions", "indented_title", "kind", "credit_code", "phone", "is_disclosure_body")
    list_display_links = ("indented_title",)
    list_filter = ("kind", "is_disclosure_body")
    search_fields = ("name", "short_name", "credit_code")
    fieldsets = (
        (None, {"fields": ("name", "short_name", "kind", "parent", "sequence", "is_disclosure_body")}),
        ("政府信息公开工作机构", {"fields": ("credit_code", "address", "postcode", "phone", "email", "office_hours")}),
    )

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if is_county_office(request.user):
            return qs
        staff = staff_of(request.user)
        return qs.filter(pk=staff.organisation_id) if staff else qs.none()

    def has_module_permission(self, request):
        return staff_of(request.user) is not None or request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        # A clerk keeps their own organisation's contact data (shown in its 指南) current.
        if is_county_office(request.user):
            return True
        staff = staff_of(request.user)
        return staff is not None and staff.is_clerk and (obj is None or acts_for(request.user, obj))

    def has_add_permission(self, request):
        return is_county_office(request.user)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        if is_county_office(request.user):
            return ()
        return ("name", "short_name", "kind", "parent", "sequence", "is_disclosure_body", "credit_code")


class StaffInline(admin.StackedInline):
    model = Staff
    can_delete = True
    verbose_name_plural = "所属机构和角色"
    autocomplete_fields = ("organisation",)


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(RefusedFormIs400, UserAdmin):
    inlines = (StaffInline,)
    list_display = ("username", "real_name", "is_staff", "is_superuser")
    list_select_related = ("staff__organisation",)
    list_filter = ("is_staff", "is_superuser", "staff__organisation")

    actions = ("reset_second_factor",)

    @admin.display(description="姓名（所属机构）", ordering="last_name")
    def real_name(self, user):
        return staff_display(user)

    # Role changes (flags, groups, permissions, organisation and roles in the inline) are security
    # events: the state before the save is read from the database, compared after the m2m and inlines.
    def save_model(self, request, obj, form, change):
        request._role_before = accounts.role_snapshot(obj) if change else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        accounts.record_role_change(request, form.instance, getattr(request, "_role_before", {}))

    def delete_model(self, request, obj):
        security_log.record("role_changed", request=request, target_username=obj.username, target_user_id=obj.pk,
                            changes={"deleted": {"before": False, "after": True}})
        super().delete_model(request, obj)

    # The county office reads the accounts (to reset a lost device); changing them stays with Django's
    # own permissions (superusers).
    def has_module_permission(self, request):
        return accounts.can_manage_accounts(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return accounts.can_manage_accounts(request.user) or super().has_view_permission(request, obj)

    def has_reset_second_factor_permission(self, request):
        return accounts.can_manage_accounts(request.user)

    @admin.action(description="重置两步验证（手机丢失或更换）", permissions=["reset_second_factor"])
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            accounts.reset_devices(user, by=request.user, request=request)
        messages.success(request, f"已重置{queryset.count()}个账号的身份验证器，下次登录时须重新绑定")


# django-otp's own admin would show every device's secret key; devices are bound at login and reset
# through the user list (StaffUserAdmin.reset_second_factor), recorded.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(LoginAttempt)
class LockoutAdmin(admin.ModelAdmin):
    """django-axes' failed-login counts: the county office sees who or which address is locked out and
    unlocks it (recorded); nothing here is added or edited by hand."""

    list_display = ("typed_username", "address", "failures", "is_locked", "last_attempt")
    search_fields = ("username", "ip_address")
    fields = ("typed_username", "address", "failures", "is_locked", "last_attempt")
    readonly_fields = fields

    @admin.display(description="用户名", ordering="username")
    def typed_username(self, attempt):
        return attempt.username

    @admin.display(description="地址", ordering="ip_address")
    def address(self, attempt):
        return attempt.ip_address

    @admin.display(description="失败次数", ordering="failures_since_start")
    def failures(self, attempt):
        return attempt.failures_since_start

    @admin.display(description="最近一次", ordering="attempt_time")
    def last_attempt(self, attempt):
        return attempt.attempt_time
    actions = ("unlock_usernames", "unlock_addresses")

    def has_module_permission(self, request):
        return accounts.can_manage_accounts(request.user)

    def has_view_permission(self, request, obj=None):
        return accounts.can_manage_accounts(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_unlock_permission(self, request):
        return accounts.can_manage_accounts(request.user)

    @admin.display(description="已锁定", boolean=True)
    def is_locked(self, attempt):
        from django.conf import settings

        return attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT

    @admin.action(description="解除所选账号（用户名）的锁定", permissions=["unlock"])
    def unlock_usernames(self, request, queryset):
        values = accounts.unlock(queryset, by=request.user, what="username")
        messages.success(request, f"已解除锁定：{'、'.join(values) or '无'}")

    @admin.action(description="解除所选地址的锁定", permissions=["unlock"])
    def unlock_addresses(self, request, queryset):
        values = accounts.unlock(queryset, by=request.user, what="ip_address")
        messages.success(request, f"已解除锁定：{'、'.join(values) or '无'}")


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The security log, for the county office to read and export; nobody adds, changes or deletes a
    row here (prune_security_log removes only what is past the retention period)."""

    list_display = ("at", "kind", "username", "user", "address", "detail")
    list_filter = ("kind", "at", "user")
    search_fields = ("username", "address")
    date_hierarchy = "at"
    list_select_related = ("user",)
    actions = ("export_csv", "export_xlsx")

    def has_module_permission(self, request):
        return accounts.can_manage_accounts(request.user)

    def has_view_permission(self, request, obj=None):
        return accounts.can_manage_accounts(request.user)

    def has_export_permission(self, request):
        return accounts.can_manage_accounts(request.user)

    EXPORT_HEADER = ("时间", "事件", "用户名", "用户编号", "地址", "详情")

    def _rows(self, queryset):
        import json

        from django.utils import timezone

        for event in queryset.order_by("at", "pk").iterator():
            yield (
                timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"), event.get_kind_display(),
                event.username, event.user_id or "", event.address or "",
                json.dumps(event.detail, ensure_ascii=False, sort_keys=True),
            )

    def _exported(self, request, queryset, fmt):
        count = queryset.count()
        security_log.record("export", request=request, what="security_log", format=fmt, rows=count)

    @admin.action(description="导出所选安全事件（CSV）", permissions=["export"])
    def export_csv(self, request, queryset):
        import csv

        from django.http import HttpResponse

        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="security-events.csv"'
        response.write("\ufeff")  # Excel and WPS read UTF-8 only with the byte-order mark
        writer = csv.writer(response)
        writer.writerow(self.EXPORT_HEADER)
        for row in self._rows(queryset):
            writer.writerow([csv_text(str(value)) for value in row])
        self._exported(request, queryset, "csv")
        return response

    @admin.action(description="导出所选安全事件（Excel）", permissions=["export"])
    def export_xlsx(self, request, queryset):
        from io import BytesIO

        from django.http import HttpResponse
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "安全事件"
        sheet.append(self.EXPORT_HEADER)
        for row_number, row in enumerate(self._rows(queryset), start=2):
            for column, value in enumerate(row, start=1):
                set_text_cell(sheet.cell(row=row_number, column=column), str(value))
        buffer = BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="security-events.xlsx"'
        self._exported(request, queryset, "xlsx")
        return response


def calendar_changed(request):
    """Tell every app that the calendar changed (inside the caller's transaction, so a failing
    recomputation undoes the change) and return what they report, for the person who changed it."""
    responses = signals.calendar_changed.send(sender=CalendarDay, by=request.user)
    return [sentence for _receiver, sentence in responses if sentence]


@admin.register(CalendarDay)
class CalendarDayAdmin(BackOfficeAdmin, admin.ModelAdmin):
    """The county office keeps the statutory calendar; every change recomputes the deadlines counted
    on it (open applications' due dates, unpublished documents' 公开时限) through calendar_changed."""

    list_display = ("date", "is_working_day", "note")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"

    class NoticeForm(forms.Form):
        text = forms.CharField(
            label="通知全文", widget=forms.Textarea(attrs={"rows": 20, "cols": 100}),
            help_text="粘贴《国务院办公厅关于XXXX年部分节假日安排的通知》全文，包括标题。",
        )

        def clean_text(self):
            try:
                self.days = holiday_notice.calendar_days(holiday_notice.parse_notice(self.cleaned_data["text"]))
            except holiday_notice.NoticeError as exc:
                raise forms.ValidationError(str(exc)) from None
            return self.cleaned_data["text"]

    def has_add_permission(self, request):
        return is_county_office(request.user)

    def has_change_permission(self, request, obj=None):
        return is_county_office(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_county_office(request.user)

    def get_urls(self):
        return [
            path(
                "import-notice/", self.admin_site.admin_view(self.import_notice_view),
                name="portal_calendarday_import_notice",
            ),
            *super().get_urls(),
        ]

    def import_notice_view(self, request):
        """Paste the yearly notice, check the rows it gives, then save them and recompute deadlines."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied("只有县政府办公室可以导入节假日安排")
        form = self.NoticeForm(request.POST or None)
        if form.is_bound and form.is_valid():
            # The rows are read again from the text on confirmation, never from the browser.
            days = form.days
            if "confirm" in request.POST:
                with transaction.atomic():
                    created, updated = self._save_notice_days(days)
                    reports = calendar_changed(request)
                messages.success(
                    request, "；".join([f"已导入节假日安排{len(days)}天（新增{created}天，更新{updated}天）", *reports]),
                )
                return redirect("admin:portal_calendarday_changelist")
            existing = CalendarDay.objects.in_bulk([day.date for day in days], field_name="date")
            rows = [(day, existing.get(day.date)) for day in days]
            return self._notice_page(request, form, rows=rows)
        return self._notice_page(request, form, status=400 if form.is_bound else 200)

    @staticmethod
    def _save_notice_days(days):
        created = updated = 0
        for day in days:
            _row, was_created = CalendarDay.objects.update_or_create(
                date=day.date, defaults={"is_working_day": day.is_working_day, "note": day.note}
            )
            created += was_created
            updated += not was_created
        return created, updated

    def _notice_page(self, request, form, rows=None, status=200):
        context = {
            **self.admin_site.each_context(request),
            "title": "导入国务院办公厅节假日安排通知" if rows is None else "核对节假日安排",
            "form": form,
            "rows": rows,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/portal/calendarday/import_notice.html", context, status=status)

    # The admin runs these inside its own transaction: the row and the recomputation stand or fall together.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for sentence in calendar_changed(request):
            messages.info(request, sentence)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        for sentence in calendar_changed(request):
            messages.info(request, sentence)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        calendar_changed(request)


@admin.register(ApiToken)
class ApiTokenAdmin(RefusedFormIs400, admin.ModelAdmin):
    """The county office issues an organisation's push token (the secret is shown once, on the page
    that answers the save) and revokes it; a token is never edited or deleted."""

    list_display = ("name", "organisation", "prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    list_filter = ("organisation",)
    list_select_related = ("organisation", "created_by")
    search_fields = ("name", "prefix")
    fields = ("name", "organisation", "prefix", "created_by", "created_at", "last_used_at", "revoked_at", "revoked_by")
    actions = ("revoke",)

    def has_module_permission(self, request):
        return can_manage_api_tokens(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_api_tokens(request.user)

    def has_add_permission(self, request):
        return can_manage_api_tokens(request.user)

    def has_change_permission(self, request, obj=None):
        # Only the list's revoke action; the change page is read-only (get_readonly_fields).
        return can_manage_api_tokens(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("prefix", "created_by", "created_at", "last_used_at", "revoked_at", "revoked_by")
        return self.fields

    def get_fields(self, request, obj=None):
        return ("name", "organisation") if obj is None else self.fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = Organisation.objects.filter(is_disclosure_body=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing of a token changes but its revocation
        try:
            obj.issued_secret = tokens.issue(obj, by=request.user)
        except tokens.TokenError as exc:
            raise PermissionDenied(str(exc)) from None

    def response_add(self, request, obj, post_url_continue=None):
        # The secret goes into this one page and nowhere else: no message (stored in the session), no log.
        context = {
            **self.admin_site.each_context(request),
            "title": f"接口令牌已创建：{obj.name}", "opts": self.opts, "token": obj, "secret": obj.issued_secret,
        }
        response = TemplateResponse(request, "admin/portal/apitoken/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="撤销所选接口令牌", permissions=["change"])
    def revoke(self, request, queryset):
        revoked = [token for token in queryset if not token.is_revoked]
        for token in revoked:
            tokens.revoke(token, by=request.user)
        messages.success(request, f"已撤销{len(revoked)}个接口令牌，使用它们的请求将被拒绝")
