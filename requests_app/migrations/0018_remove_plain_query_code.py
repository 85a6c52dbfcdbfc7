"""The plain query code column dropped (its hash is in query_code_hash since 0017). Irreversible once
there are applications: a hash gives no code back, so backwards stops rather than invent codes the
applicants were never told. An empty table (a fresh or test database) goes back and forth."""

from django.db import migrations
from django.db.migrations.exceptions import IrreversibleError


def refuse_with_applications(apps, schema_editor):
    if apps.get_model("requests_app", "Application").objects.exists():
        raise IrreversibleError("查询码只保存了散列，无法还原为原查询码；已有申请的数据库不能回退到此迁移之前")


class Migration(migrations.Migration):

    dependencies = [
        ("requests_app", "0017_personal_data_encrypted"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, refuse_with_applications),
        migrations.RemoveField(model_name="application", name="query_code"),
    ]
