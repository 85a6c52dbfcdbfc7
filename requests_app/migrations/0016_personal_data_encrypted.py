"""Applicants' ID numbers, phones, e-mail and addresses encrypted in place (portal.crypto), with the
keyed hashes that find one applicant's applications. Reversible: backwards decrypts every row into
the plain columns it came from (with the keys of PERSONAL_DATA_KEYS)."""

from django.db import migrations, models

import portal.crypto
from portal.crypto import decrypt, encrypt, keyed_hash, normalise_id_number, normalise_phone

FIELDS = ("id_number", "phone", "email", "address")


def _rewrite(apps, change):
    Application = apps.get_model("requests_app", "Application")
    for pk, *values in Application.objects.values_list("pk", *FIELDS).iterator(chunk_size=500):
        Application.objects.filter(pk=pk).update(**{name: change(value) for name, value in zip(FIELDS, values)})


def encrypt_rows(apps, schema_editor):
    # Between the two AlterFields the columns are plain TEXT: what is read is the plaintext, what is
    # written goes in as given, ciphertext.
    Application = apps.get_model("requests_app", "Application")
    for pk, id_number, phone in Application.objects.values_list("pk", "id_number", "phone").iterator(chunk_size=500):
        Application.objects.filter(pk=pk).update(
            id_number_hash=keyed_hash(normalise_id_number(id_number)), phone_hash=keyed_hash(normalise_phone(phone)),
        )
    _rewrite(apps, encrypt)


def decrypt_rows(apps, schema_editor):
    _rewrite(apps, decrypt)


def plain(field):
    return migrations.AlterField(model_name="application", name=field.name, field=field)


class Migration(migrations.Migration):

    dependencies = [
        ("requests_app", "0015_letter_kinds"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="id_number_hash",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="application",
            name="phone_hash",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        # 1. Plain TEXT columns wide enough for the ciphertext (backwards: the old CharFields, once decrypted).
        migrations.AlterField(
            model_name="application", name="id_number",
            field=models.TextField(blank=True, max_length=40, verbose_name="证件号码"),
        ),
        migrations.AlterField(
            model_name="application", name="phone", field=models.TextField(max_length=30, verbose_name="联系电话"),
        ),
        migrations.AlterField(
            model_name="application", name="email",
            field=models.TextField(blank=True, max_length=254, verbose_name="电子邮箱"),
        ),
        migrations.AlterField(
            model_name="application", name="address", field=models.TextField(max_length=200, verbose_name="通信地址"),
        ),
        # 2. Every row encrypted and hashed (backwards: decrypted).
        migrations.RunPython(encrypt_rows, decrypt_rows),
        # 3. The fields that encrypt and decrypt; the columns stay TEXT.
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
