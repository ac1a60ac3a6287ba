# FeedEvent now belongs to `stories` (see live 0002). The table `live_feedevent` already exists,
# created by live 0001, so this changes the migration state only.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('stories', '0002_pinned_list_index'),
        ('live', '0002_feedevent_moves_to_stories'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='FeedEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('published', 'Published'), ('updated', 'Updated'), ('corrected', 'Corrected'), ('unpublished', 'Unpublished'), ('pinned', 'Pinned or unpinned')], max_length=16)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('data', models.JSONField(blank=True, default=dict)),
                        ('story', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='stories.story')),
                    ],
                    options={
                        'db_table': 'live_feedevent',
                        'ordering': ['id'],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
