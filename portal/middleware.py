"""Requests no view can read are answered 400 here, before anything parses them: a NUL in the path
or the query string (PostgreSQL cannot store or even compare it; list filters and searches pass it
straight to a query), and form data in a charset it does not declare honestly or that we do not
know. A NUL in form data is the form's to explain next to its field, keeping what was typed
(portal.text.CleanFormField; Django's form fields refuse it too)."""

import codecs
from urllib.parse import unquote_to_bytes

from django.shortcuts import render

NUL_REFUSED = "您提交的内容中含有不可见的空字符（NUL），无法处理。请删除后重新输入，或不要从其他文件直接复制粘贴。"
ENCODING_REFUSED = "您提交的内容使用了无法识别的字符编码，无法处理。请使用 UTF-8 编码重新提交。"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Multipart boundaries and part headers are ASCII: a charset must read ASCII as ASCII.
ASCII_PROBE = b'--boundary\r\nContent-Disposition: form-data; name="note"\r\n\r\n'


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
