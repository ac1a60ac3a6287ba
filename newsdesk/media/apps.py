from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "newsdesk.media"
    label = "media"

    def ready(self) -> None:
        # `stories` may not import us (layers); it asks platforms through what we hand down.
        from newsdesk.media.embed_fetch import fetch
        from newsdesk.stories.embeds import set_fetcher

        set_fetcher(fetch)
