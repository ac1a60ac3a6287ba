# The FeedEvent model moved to the `stories` app (feed events are content; `live` only delivers
# them). The table stays where it is (`live_feedevent`): this only removes the model from `live`'s
# migration state; `stories` 0003 adds it to its own.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('live', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='FeedEvent')],
            database_operations=[],
        ),
    ]
