# The statutory calendar is portal.CalendarDay now (portal 0004), on the same table: state only, no
# row moves. The content type follows, so the admin's change history of the calendar stays attached.

from django.db import migrations


def move_content_type(apps, schema_editor, old="requests_app", new="portal"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="calendarday").exists():
        ContentType.objects.filter(app_label=old, model="calendarday").update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="portal", new="requests_app")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('portal', '0004_calendarday_from_requests_app'),
        ('requests_app', '0010_extension_proposal'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='CalendarDay')],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
