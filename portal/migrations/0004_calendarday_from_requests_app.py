# The statutory calendar moved from requests_app to portal so that every app can count working days.
# State only: the table requests_app_calendarday stays where it is, with its rows (created by
# requests_app's 0001_initial on a new database; requests_app 0009 drops the model from its own state).

import portal.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0003_clean_text'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CalendarDay',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(unique=True, verbose_name='日期')),
                        ('is_working_day', models.BooleanField(help_text='勾选：调休上班日；不勾选：放假日', verbose_name='是否工作日')),
                        ('note', portal.text.CleanCharField(blank=True, help_text='例如：国庆节、国庆节调休上班', max_length=100, verbose_name='说明')),
                    ],
                    options={
                        'verbose_name': '法定工作日历',
                        'verbose_name_plural': '法定工作日历',
                        'db_table': 'requests_app_calendarday',
                        'ordering': ['date'],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
