# Image moved to the `stories` app (stories 0005); its table `media_image` stays. This only
# removes the model from `media`'s migration state.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('media', '0001_initial'),
        ('stories', '0005_image'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Image')],
            database_operations=[],
        ),
    ]
