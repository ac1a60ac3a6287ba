from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DeskConfig(AppConfig):
    name = "newsdesk.desk"
    label = "desk"

    def ready(self) -> None:
        from newsdesk.stories.roles import ensure_roles

        # Sent for the last installed app, after every app's permissions exist.
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="newsdesk-ensure-roles")
