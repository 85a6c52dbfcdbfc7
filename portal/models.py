"""The county's organisations, the staff who act for them, and the statutory working-day calendar."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from mptt.models import MPTTModel, TreeForeignKey
from simple_history.models import HistoricalRecords

from .text import CleanCharField

# GB 32100-2015: the 31 characters a unified social credit code may use, and the weights
# of its first 17 positions for the check character.
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17):
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value):
    code = value.strip().upper()
    if len(code) != 18 or any(c not in CREDIT_CODE_CHARS for c in code):
        raise ValidationError("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）", code="credit_code_shape")
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError("统一社会信用代码校验位不正确，请核对", code="credit_code_check")


class Organisation(MPTTModel):
    class Kind(models.TextChoices):
        COUNTY_GOVERNMENT = "county_government", "县人民政府"
        DEPARTMENT = "department", "县政府部门"
        TOWNSHIP = "township", "乡镇"
        SUBDISTRICT = "subdistrict", "街道"
        VILLAGE = "village", "村民委员会"
        RESIDENTS = "residents", "居民委员会"

    name = CleanCharField("名称", max_length=100)
    short_name = CleanCharField("简称", max_length=50, blank=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    parent = TreeForeignKey(
        "self", verbose_name="上级", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    sequence = models.PositiveIntegerField("排序", default=0)
    credit_code = CleanCharField(
        "统一社会信用代码", max_length=18, blank=True, validators=[validate_credit_code],
        help_text="用于生成索引号",
    )
    address = CleanCharField("办公地址", max_length=200, blank=True)
    postcode = CleanCharField("邮政编码", max_length=6, blank=True)
    phone = CleanCharField("联系电话", max_length=50, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    office_hours = CleanCharField("办公时间", max_length=200, blank=True)
    is_disclosure_body = models.BooleanField(
        "政府信息公开主体", default=True, help_text="依法负有政府信息公开职责、单独编制目录和年度报告的机关"
    )

    # Contact data is published in each 指南: every change is kept with who and when.
    history = HistoricalRecords(verbose_name="修改记录", excluded_fields=["lft", "rght", "tree_id", "level"])

    class MPTTMeta:
        order_insertion_by = ["sequence", "name"]

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="organisation_name_unique_in_parent"),
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="organisation_credit_code_unique"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name

    def clean(self):
        if self.kind == self.Kind.COUNTY_GOVERNMENT and self.parent_id:
            raise ValidationError({"parent": "县人民政府是机构树的根，不能有上级"})
        if self.kind != self.Kind.COUNTY_GOVERNMENT and not self.parent_id:
            raise ValidationError({"parent": "请选择上级机构"})
        if self.kind in (self.Kind.VILLAGE, self.Kind.RESIDENTS) and self.parent_id:
            if self.parent.kind not in (self.Kind.TOWNSHIP, self.Kind.SUBDISTRICT):
                raise ValidationError({"parent": "村（居）民委员会的上级应为乡镇或街道"})
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()


class Staff(models.Model):
    """A user who acts for exactly one organisation, in one or more roles."""

    class Role(models.TextChoices):
        CLERK = "clerk", "发布员"
        REVIEWER = "reviewer", "审核员"
        COUNTY_OFFICE = "county_office", "县政府办公室"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="staff")
    organisation = models.ForeignKey(Organisation, verbose_name="所属机构", on_delete=models.PROTECT, related_name="staff")
    is_clerk = models.BooleanField("发布员", default=False, help_text="编制目录、发布信息、登记办理申请")
    is_reviewer = models.BooleanField("审核员", default=False, help_text="本单位政务公开科室：初审目录和信息")
    is_county_office = models.BooleanField("县政府办公室", default=False, help_text="复核各单位目录，全县监督")

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"
        constraints = [
            models.CheckConstraint(
                condition=Q(is_clerk=True) | Q(is_reviewer=True) | Q(is_county_office=True),
                name="staff_has_a_role",
                violation_error_message="请至少选择一个角色",
            )
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username}（{self.organisation.display_name}）"

    def has_role(self, role):
        return getattr(self, f"is_{role}")

    @property
    def roles(self):
        return [role for role in self.Role if self.has_role(role)]


class CalendarDay(models.Model):
    """A date that differs from the Monday–Friday rule. Rows win over chinesecalendar, so staff can
    enter a year's arrangement as soon as the State Council announces it. Every deadline in working
    days (applications' due dates, 条例第二十六条's 公开时限) is counted on it (portal.workdays)."""

    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("是否工作日", help_text="勾选：调休上班日；不勾选：放假日")
    note = CleanCharField("说明", max_length=100, blank=True, help_text="例如：国庆节、国庆节调休上班")

    class Meta:
        # The table was created when the calendar lived in requests_app; kept so no data moves.
        db_table = "requests_app_calendarday"
        verbose_name = "法定工作日历"
        verbose_name_plural = "法定工作日历"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_working_day else '放假'} {self.note}"


class PublicChange(models.Model):
    """One entry of the change feed for mirrors (/api/v1/changes/): a document or a catalogue version
    became public, changed while public, or stopped being public. Append-only, and written only by the
    workflow step that made the change, in its transaction (portal.changes.record). It names the object
    and the action, never its content: an entry outlives the object's being public."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", "政府信息"
        CATALOGUE = "catalogue", "标准目录"

    class Action(models.TextChoices):
        PUBLISHED = "published", "发布"
        CHANGED = "changed", "变更"
        WITHDRAWN = "withdrawn", "撤回（不再公开）"
        SUPERSEDED = "superseded", "被新版本替代"

    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField("对象编号")
    action = models.CharField("变化", max_length=20, choices=Action.choices)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "公开信息变化记录"
        verbose_name_plural = "公开信息变化记录"
        # The feed's order and cursor is the primary key: rows are numbered in commit order (changes.record).
        ordering = ["pk"]

    def __str__(self):
        return f"{self.get_kind_display()}{self.object_id}{self.get_action_display()}"


class ApiToken(models.Model):
    """An organisation's key to the push API (/api/v1/push/), for its own business system. The county
    office issues it (portal.tokens.issue); the secret is shown once and only its SHA-256 is kept.
    Each token acts through its own service user (`user`: not staff, unable to log in, a clerk of
    the organisation), so documents and events name the token, and a reviewer is never the submitter.
    Never deleted: revoked, with who and when."""

    name = CleanCharField("名称", max_length=100, help_text="使用此令牌的系统，例如：县公安局户政业务系统")
    organisation = models.ForeignKey(Organisation, verbose_name="所属机构", on_delete=models.PROTECT, related_name="api_tokens")
    # The first characters of the secret, not secret themselves: found by them, shown by them.
    prefix = models.CharField("前缀", max_length=16, unique=True, editable=False)
    secret_hash = models.CharField("密钥摘要（SHA-256）", max_length=64, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="接口用户", on_delete=models.PROTECT, related_name="api_token", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="撤销人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", editable=False,
    )

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="api_token_revoked_with_who_and_when",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_revoked(self):
        return self.revoked_at is not None


class IdempotentRequest(models.Model):
    """A push POST sent with an Idempotency-Key, and its answer: the same key again from the same
    token gets this answer, and nothing is done twice. Only answers that changed something (2xx) are
    kept; a refused request wrote nothing and may be sent again with the same key."""

    token = models.ForeignKey(ApiToken, verbose_name="接口令牌", on_delete=models.PROTECT, related_name="+")
    key = models.CharField("幂等键", max_length=255)
    request_hash = models.CharField("请求摘要（SHA-256）", max_length=64)
    response_status = models.PositiveSmallIntegerField("响应状态码")
    response_body = models.JSONField("响应内容")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "幂等请求记录"
        verbose_name_plural = "幂等请求记录"
        constraints = [models.UniqueConstraint(fields=["token", "key"], name="idempotent_request_unique_key")]

    def __str__(self):
        return f"{self.token.prefix} {self.key}"


class SearchEntry(models.Model):
    """One public thing as the site search finds it (portal.search): its title, the text its snippet is
    cut from, and the columns the search filters on. Written only by portal.search, from the step that
    makes the thing public or takes it down, so an entry exists exactly while its object is public.
    The segmented words live in `vector` on PostgreSQL and in the FTS5 table portal_search_fts
    (rowid = id) on SQLite; both are created by migration 0007."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", "政府信息"
        ITEM = "item", "公开事项"
        ORGANISATION = "organisation", "机构"
        GAZETTE = "gazette", "政府公报"

    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField("对象编号")
    title = models.CharField("标题", max_length=300)
    document_number = models.CharField("文号", max_length=60, blank=True)
    url = models.CharField("地址", max_length=300)
    # The start of the plain text, for the result's snippet; the words of the whole text are in the index.
    text = models.TextField("摘要来源", blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name="机构", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The topic's code and its ancestors' ("/01/0103/"), so a top-level topic filters its sub-topics
    # without a lookup.
    topic_path = models.CharField("主题分类路径", max_length=100, blank=True)
    date = models.DateField("日期", null=True, blank=True)
    validity = models.CharField("有效性", max_length=20, blank=True)
    # PostgreSQL only (harmless empty columns elsewhere): title words weighted A and body words B; and
    # the title words alone, so "whose titles match" is answered by its own index, never by reading
    # every row that matches a common word.
    vector = SearchVectorField(null=True, editable=False)
    title_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = "搜索索引条目"
        verbose_name_plural = "搜索索引条目"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"


class SecurityEvent(models.Model):
    """One security-relevant event (a login, a failed password, a lock-out, a role change, a token, an
    export). Append-only, written only through portal.security_log.record, kept at least six months
    (网络安全法第二十一条; prune_security_log) and read by the county office."""

    class Kind(models.TextChoices):
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKOUT = "lockout", "锁定（登录失败次数过多）"
        UNLOCK = "unlock", "解除锁定"
        LOGOUT = "logout", "退出登录"
        SESSION_EXPIRED = "session_expired", "会话超时"
        OTP_ENROLLED = "otp_enrolled", "绑定两步验证"
        OTP_RESET = "otp_reset", "重置两步验证"
        OTP_FAILED = "otp_failed", "两步验证码错误"
        ROLE_CHANGED = "role_changed", "账号或权限变更"
        TOKEN_CREATED = "token_created", "创建接口令牌"
        TOKEN_REVOKED = "token_revoked", "撤销接口令牌"
        EXPORT = "export", "导出数据"

    kind = models.CharField("事件", max_length=30, choices=Kind.choices, db_index=True)
    # Who acted (or whose account it was); null for an unknown username or an anonymous export.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # As typed or as it was then: the user may be renamed or deleted; a failed login names no user.
    username = models.CharField("用户名", max_length=150, blank=True)
    address = models.GenericIPAddressField("地址", null=True, blank=True)
    at = models.DateTimeField("时间", db_index=True)
    detail = models.JSONField("详情", default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "安全事件"
        verbose_name_plural = "安全事件"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"


class LoginAttempt(AccessAttempt):
    """django-axes' count of failed logins per username and address, named for the county office's
    list (登录失败记录), where lock-outs are lifted."""

    class Meta:
        proxy = True
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录（锁定）"
