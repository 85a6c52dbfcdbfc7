"""Requests no view can read are answered 400 here, before anything parses them: a NUL in the path,
the query string or form data (PostgreSQL cannot store or even compare it), and form data in a
charset it does not declare honestly or that we do not know."""

import codecs
from urllib.parse import unquote_to_bytes

from django.shortcuts import render

NUL_REFUSED = "您提交的内容中含有不可见的空字符（NUL），无法处理。请删除后重新输入，或不要从其他文件直接复制粘贴。"
ENCODING_REFUSED = "您提交的内容使用了无法识别的字符编码，无法处理。请使用 UTF-8 编码重新提交。"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Multipart boundaries and part headers are ASCII: a charset must read ASCII as ASCII.
ASCII_PROBE = b'--boundary\r\nContent-Disposition: form-data; name="note"\r\n\r\n'


def form_explains_nul(view):
    """For a view whose form shows a NUL as an error next to the field (and keeps what was typed):
    the middleware lets such a POST through to it. Undecodable requests are still refused."""
    view.form_explains_nul = True
    return view


def _codec_name(charset):
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


def _reads_ascii(charset):
    name = _codec_name(charset)
    try:
        return name is not None and ASCII_PROBE.decode(name) == ASCII_PROBE.decode("ascii")
    except UnicodeError:
        return False


def _is_utf8(data):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class RequestTextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self._url_problem(request) or self._encoding_problem(request)
        if problem:
            return refuse(request, problem)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.content_type not in FORM_TYPES:
            return None
        if getattr(view_func, "form_explains_nul", False):
            return None
        if request.content_type == FORM_TYPES[0]:
            # %00 is the only way a NUL is written in this encoding (a raw one is not allowed either).
            found = b"%00" in request.body or b"\x00" in request.body
        else:
            found = any("\x00" in key or "\x00" in value for key, values in request.POST.lists() for value in values)
            found = found or any("\x00" in (upload.name or "") for upload in request.FILES.values())
        return refuse(request, NUL_REFUSED) if found else None

    @staticmethod
    def _url_problem(request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return NUL_REFUSED
        if "%" in query and not _is_utf8(unquote_to_bytes(query.encode("latin-1", "replace"))):
            return ENCODING_REFUSED
        return None

    @staticmethod
    def _encoding_problem(request):
        if request.method != "POST" or request.content_type not in FORM_TYPES:
            return None
        charset = request.content_params.get("charset")
        if request.content_type == FORM_TYPES[0]:
            # This encoding has no charset of its own: UTF-8, as Django reads it, and only that.
            if charset and _codec_name(charset) != "utf-8":
                return ENCODING_REFUSED
            if b"%" in request.body and not _is_utf8(unquote_to_bytes(request.body.replace(b"+", b" "))):
                return ENCODING_REFUSED
            return None
        if charset and not _reads_ascii(charset):
            return ENCODING_REFUSED
        return None


def refuse(request, message):
    return render(request, "400.html", {"message": message}, status=400)
