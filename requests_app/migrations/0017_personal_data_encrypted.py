"""Applicants' ID numbers, phones, e-mail and addresses encrypted in place (portal.crypto), their keyed
hashes computed, and the query codes hashed like passwords. The encryption is reversible: backwards
decrypts every row (with the keys of PERSONAL_DATA_KEYS). The query codes are not: 0018 refuses to go
back once there are applications."""

from django.contrib.auth.hashers import make_password
from django.db import migrations

import portal.crypto
from portal.crypto import decrypt, encrypt, keyed_hash, normalise_id_number, normalise_phone

FIELDS = ("id_number", "phone", "email", "address")


def _rewrite(apps, change):
    Application = apps.get_model("requests_app", "Application")
    for pk, *values in Application.objects.values_list("pk", *FIELDS).iterator(chunk_size=500):
        Application.objects.filter(pk=pk).update(**{name: change(value) for name, value in zip(FIELDS, values)})


def encrypt_rows(apps, schema_editor):
    # Until the AlterFields below the columns are plain TEXT: what is read is the plaintext, what is
    # written goes in as given, ciphertext.
    Application = apps.get_model("requests_app", "Application")
    rows = Application.objects.values_list("pk", "id_number", "phone", "query_code").iterator(chunk_size=500)
    for pk, id_number, phone, query_code in rows:
        Application.objects.filter(pk=pk).update(
            id_number_hash=keyed_hash(normalise_id_number(id_number)), phone_hash=keyed_hash(normalise_phone(phone)),
            query_code_hash=make_password(query_code),
        )
    _rewrite(apps, encrypt)


def decrypt_rows(apps, schema_editor):
    _rewrite(apps, decrypt)


class Migration(migrations.Migration):

    dependencies = [
        ("requests_app", "0016_personal_data_columns"),
    ]

    operations = [
        migrations.RunPython(encrypt_rows, decrypt_rows),
        # The fields that encrypt and decrypt; the columns stay TEXT (no SQL).
        migrations.AlterField(
            model_name="application", name="id_number",
            field=portal.crypto.EncryptedTextField(blank=True, max_length=40, verbose_name="证件号码"),
        ),
        migrations.AlterField(
            model_name="application", name="phone",
            field=portal.crypto.EncryptedTextField(max_length=30, verbose_name="联系电话"),
        ),
        migrations.AlterField(
            model_name="application", name="email",
            field=portal.crypto.EncryptedEmailField(blank=True, max_length=254, verbose_name="电子邮箱"),
        ),
        migrations.AlterField(
            model_name="application", name="address",
            field=portal.crypto.EncryptedTextField(max_length=200, verbose_name="通信地址"),
        ),
    ]
