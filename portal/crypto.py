"""Personal data at rest (个人信息保护法第五十一条): model fields whose column holds only Fernet
ciphertext, and a keyed hash that finds equal values without decrypting. The keys come from the
environment (PERSONAL_DATA_KEYS, PERSONAL_DATA_HASH_KEY), never from the database, so a copy of the
database alone reveals nothing."""

import functools
import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core import validators
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from portal.text import CleanTextMixin


class PersonalDataKeyError(ImproperlyConfigured):
    """Stored personal data that none of the configured keys opens: an operator's mistake (a key
    dropped before rotate_personal_data_key ran, or the wrong environment), never the user's."""


@functools.lru_cache(maxsize=4)
def _multi_fernet(keys):
    if not keys:
        raise ImproperlyConfigured("PERSONAL_DATA_KEYS 未设置：需要至少一个 Fernet 密钥以加密申请人个人信息")
    fernets = []
    for n, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key))
        except ValueError:
            raise ImproperlyConfigured(
                f"PERSONAL_DATA_KEYS 中第{n}个密钥格式不正确：应为 32 字节经 URL 安全 Base64 编码的 Fernet 密钥"
                "（可用 python -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\" 生成）"
            ) from None
    # The first key encrypts; every key decrypts. That is the whole of key rotation.
    return MultiFernet(fernets)


def _keys():
    return _multi_fernet(tuple(settings.PERSONAL_DATA_KEYS))


def encrypt(value):
    """Ciphertext of a non-empty text; an empty text stays empty (a blank optional field)."""
    if not value:
        return value
    return _keys().encrypt(value.encode()).decode()


def decrypt(token):
    if not token:
        return token
    try:
        return _keys().decrypt(token.encode()).decode()
    except InvalidToken:
        raise PersonalDataKeyError(
            "无法解密申请人个人信息：PERSONAL_DATA_KEYS 中没有加密该数据时所用的密钥。"
            "轮换密钥时应保留旧密钥，直到 manage.py rotate_personal_data_key 运行完毕"
        ) from None


def keyed_hash(value):
    """HMAC-SHA256 of an already normalised value, hex; empty for an empty value, so that blank
    fields never match each other. Keyed: ID numbers (region, birth date, serial) and phones are few
    enough to hash every one of them, so a plain hash would hide nothing."""
    if not value:
        return ""
    key = settings.PERSONAL_DATA_HASH_KEY
    if not key:
        raise ImproperlyConfigured("PERSONAL_DATA_HASH_KEY 未设置：需要一个随机密钥以查找同一申请人的申请")
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def normalise_id_number(value):
    # 居民身份证: the check character X in upper case; no spaces anywhere.
    return re.sub(r"\s+", "", value or "").upper()


def normalise_phone(value):
    # 0539-7912345, 0539 7912345 and 05397912345 are one number.
    return re.sub(r"\D+", "", value or "")


class EncryptedTextField(CleanTextMixin, models.TextField):
    """Text kept as Fernet ciphertext: encrypted on its way to the database, decrypted on its way
    back, so forms, the admin, letters and the masks see plain text. max_length is the plaintext's,
    checked by a validator and the form (the column is a TEXT, ciphertext being ~4/3 longer plus
    ~100 characters). Only equality through a keyed hash column can be queried; lookups on the
    column itself compare ciphertext and find nothing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        # A one-line input, as the CharField it replaces had; not the TextField's textarea.
        from portal.text import CleanFormField

        return models.Field.formfield(self, **{"form_class": CleanFormField, "max_length": self.max_length, **kwargs})


class EncryptedEmailField(EncryptedTextField):
    default_validators = [validators.validate_email]

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": forms.EmailField, "max_length": self.max_length, **kwargs})
