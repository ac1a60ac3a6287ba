from django.apps import AppConfig
from django.urls import register_converter


class StoriesConfig(AppConfig):
    name = "newsdesk.stories"
    label = "stories"

    def ready(self) -> None:
        from newsdesk.core.ids import IdConverter

        # `<id:…>` in every URL pattern that names a row (see core/ids.py). Registered once,
        # here, before any URLconf is read.
        register_converter(IdConverter, "id")
