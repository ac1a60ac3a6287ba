from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "newsdesk.syndication"
    label = "syndication"
    verbose_name = "Syndication"

    def ready(self) -> None:
        from newsdesk.stories.signals import feed_events_committed
        from newsdesk.syndication import websub

        feed_events_committed.connect(websub.on_feed_events_committed, dispatch_uid="websub")
