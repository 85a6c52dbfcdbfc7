"""The push API for departments' business systems (/api/v1/push/, 标准目录嵌入部门业务系统): with its
organisation's token (portal.tokens) a system creates and edits that organisation's drafts, uploads
their attachments through the back office's checks, reads back what it pushed, and submits it for
review. It never publishes, withdraws or sets a status: the organisation's reviewer does, in the back
office, through the same workflow functions. A POST with an Idempotency-Key is done once."""

import hashlib
import json

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from catalog.models import Catalogue, CatalogueItem
from portal.api import BearerTokenAuthentication, PageNumberPagination, PrivateAnswers, absolute
from portal.models import IdempotentRequest

from . import workflow
from .files import AttachmentRefused, accept_upload
from .models import Attachment, Document, DocumentEvent, Topic

# What a system may write; everything else in a body is refused by name (FORBIDDEN, or unknown).
WRITABLE = (
    "title", "document_number", "written_date", "formed_on", "topic", "genre", "catalogue_item", "body", "attribute",
    "ground", "ground_reason", "validity", "is_normative", "is_disclosure_rule",
)
FORBIDDEN = {
    "status": "接口不能设置或修改状态：提交审核请调用 submit，发布由本单位审核员在后台审核",
    "index_number": "索引号在发布时自动生成，不能通过接口设置",
    "publish_date": "发布日期由审核员发布时确定，不能通过接口设置",
    "created_by": "创建人为本接口令牌，不能设置",
    "attachments": "附件请通过 attachments 接口逐个上传",
}
NOT_EDITABLE = "此信息已提交审核或已发布，不能再通过接口修改；被审核员退回后可再修改"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def pushed_documents(organisation):
    """What a token reads back: its organisation's documents pushed through any of its tokens (a
    system never reads the back office's other drafts or non-public information)."""
    return Document.objects.filter(organisation=organisation, created_by__api_token__organisation=organisation)


def item_choices(organisation):
    # As the back office's form offers them: 二级事项 of the organisation's published catalogues.
    return CatalogueItem.objects.filter(
        catalogue__state=Catalogue.State.PUBLISHED, catalogue__is_guideline=False, catalogue__organisation=organisation,
        parent__isnull=False,
    )


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = NOT_EDITABLE


class IdempotencyKeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "此 Idempotency-Key 已用于另一个不同的请求；新的请求请使用新的 Idempotency-Key"


def model_errors(exc):
    """A model's ValidationError as the API's field → messages."""
    if not hasattr(exc, "error_dict"):
        return {"non_field_errors": exc.messages}
    return {("non_field_errors" if field == NON_FIELD_ERRORS else field): messages for field, messages in exc.message_dict.items()}


# ---------------------------------------------------------------- serializers


@extend_schema_field(OpenApiTypes.UUID)
class CatalogueItemKeyField(serializers.Field):
    """A catalogue item by its key (as the read-only API names it), among the organisation's own."""

    default_error_messages = {"not_found": "找不到此公开事项：请填写本单位已发布目录中二级事项的 key"}

    def to_internal_value(self, data):
        try:
            item = self.context["items"].filter(key=str(data)).first()
        except DjangoValidationError:
            item = None
        if item is None:
            self.fail("not_found")
        return item

    def to_representation(self, value):
        return str(value.key)


class PushAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "original_name", "kind", "size", "position", "uploaded_at"]
        extra_kwargs = {
            "original_name": {"help_text": "文件名"}, "kind": {"help_text": "文件类型"}, "size": {"help_text": "大小（字节，已清除文档属性）"},
            "position": {"help_text": "顺序"}, "uploaded_at": {"help_text": "上传时间"},
        }


class PushDocumentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:push-document-detail", help_text="本条目的推送接口地址")
    organisation = serializers.PrimaryKeyRelatedField(read_only=True, help_text="发布机构的机构编号（令牌所属机构）")
    topic = serializers.SlugRelatedField(
        slug_field="code", queryset=Topic.objects.all(), help_text="主题分类代码（二级分类）",
        error_messages={"does_not_exist": "找不到主题分类代码“{value}”", "invalid": "主题分类代码应为字符串"},
    )
    catalogue_item = CatalogueItemKeyField(
        required=False, allow_null=True, help_text="落实的公开事项：本单位已发布目录中二级事项的 key",
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True, help_text="状态（中文）")
    page_url = serializers.SerializerMethodField(help_text="公开网站上的页面地址（仅当已公开发布）")
    attachments = PushAttachmentSerializer(many=True, read_only=True, help_text="附件")

    class Meta:
        model = Document
        fields = [
            "id", "url", "status", "status_display", "index_number", "publish_date", "page_url", "organisation",
            *WRITABLE, "attachments", "created_at", "updated_at",
        ]
        read_only_fields = ["status", "index_number", "publish_date", "created_at", "updated_at"]
        extra_kwargs = {
            "status": {"help_text": "状态：draft 草稿、returned 已退回、submitted 待审核、published 已发布、withdrawn 已撤回"},
            "index_number": {"help_text": "索引号（发布后生成）"}, "publish_date": {"help_text": "发布日期"},
            "title": {"help_text": "标题"}, "document_number": {"help_text": "文号，例如：青政办〔2026〕12号"},
            "written_date": {"help_text": "成文日期"}, "formed_on": {"help_text": "形成或变更日期（不填取成文日期）"},
            "genre": {"help_text": "体裁（代码）"}, "body": {"help_text": "正文（HTML，保存时净化）"},
            "attribute": {"help_text": "公开属性：proactive 主动公开、on_request 依申请公开、withheld 不予公开"},
            "ground": {"help_text": "不公开依据（《条例》条款代码；主动公开不填）"}, "ground_reason": {"help_text": "不公开理由"},
            "validity": {"help_text": "有效性（代码）"}, "is_normative": {"help_text": "是否行政规范性文件"},
            "is_disclosure_rule": {"help_text": "是否列入“政府信息公开制度”栏目"},
            "created_at": {"help_text": "创建时间"}, "updated_at": {"help_text": "修改时间"},
        }

    def get_page_url(self, obj) -> str | None:
        return absolute(self.context.get("request"), reverse("disclosure:document_detail", args=[obj.pk])) if obj.is_public else None

    def to_internal_value(self, data):
        if isinstance(data, dict):
            self.check_keys(data)
        return super().to_internal_value(data)

    def check_keys(self, data):
        organisation = self.context["organisation"]
        if "organisation" in data and str(data["organisation"]) != str(organisation.pk):
            raise PermissionDenied(f"此接口令牌只能为{organisation.name}推送政府信息")
        errors = {}
        for key in data:
            if key in FORBIDDEN:
                errors[key] = [FORBIDDEN[key]]
            elif key not in WRITABLE and key != "organisation":
                errors[key] = [f"未知字段“{key}”，可写字段：{'、'.join(WRITABLE)}"]
        if errors:
            raise ValidationError(errors)

    def validate_topic(self, topic):
        if not topic.is_leaf_node():
            raise ValidationError("请选择具体的二级主题分类")
        return topic

    def validate(self, attrs):
        # The model's own rules (文号, dates, attribute and ground), on the document as it would be saved.
        document = self.instance or Document(organisation=self.context["organisation"], created_by=self.context["user"])
        if self.instance is not None:
            self.changed = [name for name, value in attrs.items() if getattr(document, name) != value]
        for name, value in attrs.items():
            setattr(document, name, value)
        if document.formed_on is None and document.written_date is not None:
            document.formed_on = document.written_date  # 形成日期: as a rule the day it was written
        try:
            document.full_clean()
        except DjangoValidationError as exc:
            raise ValidationError(model_errors(exc)) from None
        self.document = document
        return attrs

    def create(self, validated_data):
        document = self.document
        document._history_user = self.context["user"]
        try:
            return workflow.create(document, by=self.context["user"])
        except workflow.WorkflowError as exc:
            raise ValidationError({exc.field or "non_field_errors": [str(exc)]}) from None

    def update(self, instance, validated_data):
        document = self.document
        document._history_user = self.context["user"]
        document.save()
        if self.changed:
            labels = "、".join(str(Document._meta.get_field(name).verbose_name) for name in self.changed)
            record(document, DocumentEvent.Action.EDIT, by=self.context["user"], note=f"通过接口修改：{labels}")
        return document


class PushDocumentDetailSerializer(PushDocumentSerializer):
    return_note = serializers.SerializerMethodField(help_text="审核员的退回意见（仅当已退回）")

    class Meta(PushDocumentSerializer.Meta):
        fields = [*PushDocumentSerializer.Meta.fields, "return_note"]

    def get_return_note(self, obj) -> str | None:
        event = obj.latest_return()
        return event.note if event else None


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="附件文件（multipart/form-data），与后台上传的检查相同", error_messages={
        "required": "请上传文件（表单字段 file）", "invalid": "请以 multipart/form-data 上传文件（表单字段 file）",
        "empty": "上传的文件是空文件",
    })
    position = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1, help_text="顺序（默认排在最后）")

    def validate_file(self, upload):
        try:
            return accept_upload(upload)
        except AttachmentRefused as exc:
            raise ValidationError(str(exc)) from None


class SubmitSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, help_text="提交说明（可选）")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="原因（中文）")


def record(document, action, *, by, note=""):
    return DocumentEvent.objects.create(
        document=document, action=action, from_status=document.status, to_status=document.status, actor=by, note=note,
    )


# ---------------------------------------------------------------- idempotency


def request_hash(request):
    """What makes two requests the same: the address and the content sent (form fields and files by
    their bytes, not by a multipart boundary that changes every time)."""
    files = {name: [(f.name, _file_digest(f)) for f in request.FILES.getlist(name)] for name in request.FILES}
    if hasattr(request.data, "getlist"):
        data = {key: request.data.getlist(key) for key in request.data if key not in request.FILES}
    else:
        data = request.data
    text = json.dumps({"path": request.path, "data": data, "files": files}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _file_digest(upload):
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def idempotency_key(request):
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 255 or not key.isascii() or not key.isprintable():
        raise ValidationError({IDEMPOTENCY_HEADER: ["Idempotency-Key 应为1至255个可打印的ASCII字符，例如一个UUID"]})
    return key


def replay(stored, fingerprint):
    if stored.request_hash != fingerprint:
        raise IdempotencyKeyReused()
    return Response(stored.response_body, status=stored.response_status, headers={"Idempotent-Replayed": "true"})


def done_once(request, perform):
    """Run `perform` (a function returning a Response) in one transaction. With an Idempotency-Key,
    the first successful answer is stored with the request's hash in that transaction, and a repeat
    gets it back without `perform` running again (two at once: the second waits on the key's row
    and replays, its own work undone)."""
    key = idempotency_key(request)
    if key is None:
        with transaction.atomic():
            return perform()
    token = request.auth
    fingerprint = request_hash(request)
    stored = IdempotentRequest.objects.filter(token=token, key=key).first()
    if stored is not None:
        return replay(stored, fingerprint)
    try:
        with transaction.atomic():
            response = perform()
            body = json.loads(JSONRenderer().render(response.data))
            IdempotentRequest.objects.create(
                token=token, key=key, request_hash=fingerprint, response_status=response.status_code, response_body=body,
            )
    except IntegrityError:
        stored = IdempotentRequest.objects.filter(token=token, key=key).first()
        if stored is None:
            raise
        return replay(stored, fingerprint)
    return response


# ---------------------------------------------------------------- the endpoints

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="客户端自选的幂等键（例如UUID）：用同一令牌、同一键重复请求，返回第一次的结果而不重复执行；同一键用于不同请求返回422",
)


def refusals(*codes):
    texts = {
        400: ("输入有误：各字段的错误说明（中文）", OpenApiTypes.OBJECT),
        401: ("缺少接口令牌、令牌格式不正确、无效或已被撤销", ErrorSerializer),
        403: ("不能为其他机构推送", ErrorSerializer),
        404: ("没有找到本单位推送的这条信息", ErrorSerializer),
        409: ("信息已提交审核或已发布，不能再修改", ErrorSerializer),
        422: ("Idempotency-Key 已用于另一个不同的请求", ErrorSerializer),
    }
    return {code: OpenApiResponse(response=texts[code][1], description=texts[code][0]) for code in codes}


@extend_schema_view(
    list=extend_schema(
        summary="推送：本单位推送的政府信息", description="凭接口令牌列出本单位通过接口推送的政府信息及其状态，从新到旧。",
        responses={200: PushDocumentSerializer(many=True), **refusals(400, 401)},
    ),
    retrieve=extend_schema(
        summary="推送：信息详情和状态", responses={200: PushDocumentDetailSerializer, **refusals(401, 404)},
    ),
    create=extend_schema(
        summary="推送：创建草稿",
        description="为令牌所属机构创建一件政府信息草稿（与后台相同的校验）。不能设置状态，不能为其他机构创建。",
        parameters=[IDEMPOTENCY_PARAMETER], request=PushDocumentSerializer,
        responses={201: PushDocumentDetailSerializer, **refusals(400, 401, 403, 422)},
    ),
    partial_update=extend_schema(
        summary="推送：修改草稿", description="修改草稿或被退回的信息，只需给出要改的字段。",
        request=PushDocumentSerializer, responses={200: PushDocumentDetailSerializer, **refusals(400, 401, 403, 404, 409)},
    ),
)
class PushDocumentViewSet(PrivateAnswers, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    pagination_class = PageNumberPagination
    serializer_class = PushDocumentSerializer
    # Any id reaches the view (a malformed one is the JSON 404 of get_object, after the token's 401),
    # never the site's HTML 404.
    lookup_value_regex = "[^/]+"

    @property
    def organisation(self):
        return self.request.auth.organisation

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator, with no token
            return Document.objects.none()
        return (
            pushed_documents(self.organisation).select_related("organisation", "topic", "catalogue_item")
            .prefetch_related("attachments").order_by("-pk")
        )

    def get_serializer_class(self):
        return PushDocumentSerializer if self.action == "list" else PushDocumentDetailSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self.request, "auth", None) is not None:
            context.update(organisation=self.organisation, user=self.request.user, items=item_choices(self.organisation))
        return context

    def locked(self):
        """The document of the URL, row-locked, if it is this organisation's pushed one; 404 otherwise."""
        document = self.get_object()
        return Document.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=document.pk)

    def editable(self):
        document = self.locked()
        if document.status not in Document.EDITABLE:
            raise Conflict()
        return document

    def answer(self, document, code=status.HTTP_200_OK):
        document = self.get_queryset().get(pk=document.pk)
        return Response(PushDocumentDetailSerializer(document, context=self.get_serializer_context()).data, status=code)

    def create(self, request):
        def perform():
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            return self.answer(serializer.save(), status.HTTP_201_CREATED)

        return done_once(request, perform)

    def partial_update(self, request, pk=None):
        with transaction.atomic():
            document = self.editable()
            serializer = self.get_serializer(document, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            return self.answer(serializer.save())

    @extend_schema(
        summary="推送：上传附件",
        description="以 multipart/form-data 上传一个附件（字段 file）。类型、大小和内容的检查与后台相同，文档属性（作者等）在保存时清除。",
        parameters=[IDEMPOTENCY_PARAMETER], request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: PushAttachmentSerializer, **refusals(400, 401, 404, 409, 422)},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None):
        def perform():
            document = self.editable()
            upload = AttachmentUploadSerializer(data=request.data)
            upload.is_valid(raise_exception=True)
            cleaned = upload.validated_data["file"]
            position = upload.validated_data.get("position")
            if position is None:
                position = document.attachments.count()
            attachment = Attachment.objects.create(
                document=document, file=cleaned.content, original_name=cleaned.original_name[:255], kind=cleaned.kind,
                size=cleaned.size, position=position,
            )
            record(document, DocumentEvent.Action.ATTACH, by=request.user, note=f"通过接口上传附件：{attachment.original_name}")
            return Response(PushAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

        return done_once(request, perform)

    @extend_schema(
        summary="推送：提交审核",
        description="把草稿提交本单位审核员审核（与后台的“提交审核”相同）。发布只能由审核员在后台进行。",
        parameters=[IDEMPOTENCY_PARAMETER], request=SubmitSerializer,
        responses={200: PushDocumentDetailSerializer, **refusals(400, 401, 404, 409, 422)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        def perform():
            document = self.editable()
            note = SubmitSerializer(data=request.data)
            note.is_valid(raise_exception=True)
            try:
                workflow.submit(document, by=request.user, note=note.validated_data.get("note", "").strip())
            except workflow.WorkflowError as exc:
                raise ValidationError({exc.field or "non_field_errors": [str(exc)]}) from None
            return self.answer(document)

        return done_once(request, perform)
