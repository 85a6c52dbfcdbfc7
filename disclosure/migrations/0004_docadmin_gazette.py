"""Gazette PDF versions: a published issue is corrected with a new PDF; earlier ones are kept."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import disclosure.models


def record_existing_pdfs(apps, schema_editor):
    GazetteIssue = apps.get_model("disclosure", "GazetteIssue")
    GazettePdf = apps.get_model("disclosure", "GazettePdf")
    for issue in GazetteIssue.objects.exclude(pdf=""):
        GazettePdf.objects.create(issue=issue, file=issue.pdf.name, note="原始版本（版本记录启用前上传）")


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure", "0003_docadmin_returned"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='gazetteissue',
            name='pdf',
            field=models.FileField(help_text='当前版本；发布后更正请上传新版本', max_length=200, upload_to=disclosure.models.gazette_path, verbose_name='PDF文件'),
        ),
        migrations.CreateModel(
            name='GazettePdf',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(max_length=200, upload_to=disclosure.models.gazette_version_path, verbose_name='PDF文件')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                ('note', models.TextField(blank=True, verbose_name='更正说明')),
                ('issue', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pdf_versions', to='disclosure.gazetteissue', verbose_name='公报')),
                ('uploaded_by', models.ForeignKey(blank=True, help_text='早于版本记录的原始文件为空', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='上传人')),
            ],
            options={
                'verbose_name': '公报PDF版本',
                'verbose_name_plural': '公报PDF版本',
                'ordering': ['-uploaded_at', '-pk'],
            },
        ),
        migrations.RunPython(record_existing_pdfs, migrations.RunPython.noop),
    ]
