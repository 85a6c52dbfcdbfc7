"""已退回: a document the reviewer returned, shown apart from a fresh draft."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def mark_returned_drafts(apps, schema_editor):
    """Drafts whose latest step was a return were returned ones all along."""
    Document = apps.get_model("disclosure", "Document")
    DocumentEvent = apps.get_model("disclosure", "DocumentEvent")
    latest = DocumentEvent.objects.filter(document=OuterRef("pk")).order_by("-pk").values("action")[:1]
    Document.objects.filter(status="draft").annotate(last_action=Subquery(latest)).filter(last_action="return").update(
        status="returned"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0002_list_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='document',
            name='status',
            field=models.CharField(choices=[('draft', '草稿'), ('returned', '已退回'), ('submitted', '待审核'), ('published', '已发布'), ('withdrawn', '已撤回')], default='draft', editable=False, max_length=20, verbose_name='状态'),
        ),
        migrations.AlterField(
            model_name='documentevent',
            name='from_status',
            field=models.CharField(blank=True, choices=[('draft', '草稿'), ('returned', '已退回'), ('submitted', '待审核'), ('published', '已发布'), ('withdrawn', '已撤回')], max_length=20, verbose_name='原状态'),
        ),
        migrations.AlterField(
            model_name='documentevent',
            name='to_status',
            field=models.CharField(choices=[('draft', '草稿'), ('returned', '已退回'), ('submitted', '待审核'), ('published', '已发布'), ('withdrawn', '已撤回')], max_length=20, verbose_name='新状态'),
        ),
        migrations.AlterField(
            model_name='historicaldocument',
            name='status',
            field=models.CharField(choices=[('draft', '草稿'), ('returned', '已退回'), ('submitted', '待审核'), ('published', '已发布'), ('withdrawn', '已撤回')], default='draft', editable=False, max_length=20, verbose_name='状态'),
        ),
        migrations.RunPython(mark_returned_drafts, migrations.RunPython.noop),
    ]
