"""One rule for the text people type, whatever path it comes by (forms, the admin, imports, workflow
steps): Word's line and page breaks become newlines, other control characters go, and a NUL is
refused with a message naming the field. clean_text() is the same rule for text written into
.docx and .xlsx files, which cannot hold control characters at all."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models

# Word and WPS write a manual line break (Shift+Enter) as \x0b and a page break as \x0c.
LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
# The other C0 control characters but tab, newline and carriage return, and U+FFFE/U+FFFF, which no
# XML document may hold either. NUL is not here: typed text with a NUL is refused, not cleaned.
CONTROL_CHARACTERS = re.compile("[\x01-\x08\x0e-\x1f\ufffe\uffff]")


def _clean(value):
    return CONTROL_CHARACTERS.sub("", value.translate(LINE_BREAKS))


def clean_text(value):
    """Text with Word's breaks as newlines and no control characters, NUL included."""
    if value is None:
        return ""
    return _clean(str(value)).replace("\x00", "")


def has_nul(value):
    return isinstance(value, str) and "\x00" in value


def nul_message(label):
    return f"“{label}”中含有不可见的空字符（NUL），无法保存，请删除该项内容后重新输入"


class CleanFormField(forms.CharField):
    """The form field of CleanCharField and CleanTextField: the same rule, and a NUL explained in
    Chinese next to the field (Django's own message has no usable Chinese translation)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def to_python(self, value):
        return super().to_python(_clean(value) if isinstance(value, str) else value)

    def validate(self, value):
        super().validate(value)
        if has_nul(value):
            raise ValidationError(nul_message(self.label or "此项"), code="null_characters_not_allowed")


class CleanTextMixin:
    def to_python(self, value):
        value = super().to_python(value)
        return _clean(value) if isinstance(value, str) else value

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if has_nul(value):
            raise ValidationError(nul_message(self.verbose_name), code="null_characters_not_allowed")

    def pre_save(self, model_instance, add):
        # The last gate: rows saved without full_clean() (workflow steps, imports) keep the rule too.
        value = super().pre_save(model_instance, add)
        if not isinstance(value, str):
            return value
        if "\x00" in value:
            raise ValidationError({self.name: nul_message(self.verbose_name)}, code="null_characters_not_allowed")
        cleaned = _clean(value)
        if cleaned != value:
            setattr(model_instance, self.attname, cleaned)
        return cleaned

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanFormField, **kwargs})


class CleanCharField(CleanTextMixin, models.CharField):
    """A CharField for what people type."""


class CleanTextField(CleanTextMixin, models.TextField):
    """A TextField for what people type."""


def clean_stored_text(fields):
    """A migration step that cleans rows saved before this rule: {"app.Model": ["field", ...]}. A NUL
    (which SQLite can hold) is removed, as there is no one left to ask; a row whose cleaned text
    would collide with another under a unique constraint is left as it is."""

    def run(apps, schema_editor):
        from django.db import IntegrityError, transaction
        from django.db.models import Q

        # PostgreSQL cannot hold a NUL, so its pattern does not name one.
        first = "\\x00" if schema_editor.connection.vendor == "sqlite" else "\\x01"
        pattern = f"[{first}-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]"
        for label, names in fields.items():
            model = apps.get_model(label)
            dirty = Q()
            for name in names:
                dirty |= Q(**{f"{name}__regex": pattern})
            for row in model._base_manager.filter(dirty).values("pk", *names).iterator():
                changes = {name: clean_text(row[name]) for name in names if row[name]}
                changes = {name: value for name, value in changes.items() if value != row[name]}
                try:
                    with transaction.atomic():
                        model._base_manager.filter(pk=row["pk"]).update(**changes)
                except IntegrityError:
                    pass

    return run


# What Excel and WPS take as the start of a formula when a cell is typed, edited or opened from CSV; a
# leading tab or carriage return is how a formula slips past a check of the first visible character.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def set_text_cell(cell, value):
    """An openpyxl cell holding text only: no control characters (which .xlsx cannot hold) and nothing
    that a spreadsheet evaluates, also after someone edits the cell."""
    if not isinstance(value, str):
        cell.value = value
        return
    cell.value = clean_text(value)
    cell.data_type = "s"
    if cell.value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def csv_text(value):
    """A CSV field that a spreadsheet shows as the text it is: a value that would start a formula gets
    the apostrophe Excel itself uses to mark text."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value
