# Image moved from the `media` app to `stories` (images are content; `media` checks uploads and
# makes renditions). The table stays `media_image`: this changes the migration state only, and
# points the lead image and avatar keys at the model's new home. media 0002 then forgets it.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('stories', '0004_limits_on_the_model'),
        ('media', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Image',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(max_length=255, upload_to='images/%Y/%m/')),
                        ('format', models.CharField(help_text='JPEG, PNG or WEBP', max_length=8)),
                        ('width', models.PositiveIntegerField()),
                        ('height', models.PositiveIntegerField()),
                        ('alt_text', models.CharField(max_length=500)),
                        ('caption', models.CharField(blank=True, max_length=500)),
                        ('credit', models.CharField(blank=True, help_text='e.g. Jane Doe / Agency', max_length=200)),
                        ('renditions', models.JSONField(blank=True, default=list)),
                        ('sha256', models.CharField(db_index=True, max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'media_image',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.AlterField(
                    model_name='story',
                    name='lead_image',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='stories.image'),
                ),
                migrations.AlterField(
                    model_name='author',
                    name='avatar',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='stories.image'),
                ),
            ],
            database_operations=[],
        ),
    ]
