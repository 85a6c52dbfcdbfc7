"""The query code kept as a password hash (django.contrib.auth.hashers). Irreversible once there are
applications: a hash gives no code back, so backwards stops rather than invent codes the applicants
were never told. An empty table (a fresh or test database) goes back and forth."""

from django.contrib.auth.hashers import make_password
from django.db import migrations, models
from django.db.migrations.exceptions import IrreversibleError


def hash_codes(apps, schema_editor):
    Application = apps.get_model("requests_app", "Application")
    for pk, code in Application.objects.values_list("pk", "query_code").iterator(chunk_size=500):
        Application.objects.filter(pk=pk).update(query_code_hash=make_password(code))


def refuse_with_applications(apps, schema_editor):
    if apps.get_model("requests_app", "Application").objects.exists():
        raise IrreversibleError("查询码只保存了散列，无法还原为原查询码；已有申请的数据库不能回退到此迁移之前")


class Migration(migrations.Migration):

    dependencies = [
        ("requests_app", "0016_personal_data_encrypted"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="query_code_hash",
            field=models.CharField(default="", editable=False, max_length=128, verbose_name="查询码（散列）"),
            preserve_default=False,
        ),
        migrations.RunPython(hash_codes, refuse_with_applications),
        migrations.RemoveField(model_name="application", name="query_code"),
    ]
