from django.db import migrations, models


def field(default):
    return models.PositiveSmallIntegerField(default=default, editable=False, verbose_name='清理版本')


class Migration(migrations.Migration):
    """Files stored before PDF JavaScript and automatic actions were removed are marked 0 (not cleaned
    this way: download only); new rows get the current cleaning version."""

    dependencies = [
        ('disclosure', '0009_annual_report'),
    ]

    operations = [
        migrations.AddField(model_name='attachment', name='cleaned_version', field=field(0)),
        migrations.AddField(model_name='gazetteissue', name='cleaned_version', field=field(0)),
        migrations.AlterField(model_name='attachment', name='cleaned_version', field=field(2)),
        migrations.AlterField(model_name='gazetteissue', name='cleaned_version', field=field(2)),
    ]
