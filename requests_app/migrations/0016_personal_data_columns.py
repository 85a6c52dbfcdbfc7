"""Room for personal data at rest: TEXT columns wide enough for ciphertext, the keyed-hash columns, the
query code's hash column. Schema only: on PostgreSQL rows changed in the same transaction would block
the new indexes (pending trigger events), so the data moves in 0017."""

from django.db import migrations, models


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
        migrations.AddField(
            model_name="application",
            name="query_code_hash",
            field=models.CharField(default="", editable=False, max_length=128, verbose_name="查询码（散列）"),
            preserve_default=False,
        ),
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
    ]
