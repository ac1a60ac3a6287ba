from django.apps import AppConfig
from django.conf import settings


class LiveConfig(AppConfig):
    name = "newsdesk.live"
    label = "live"

    def ready(self) -> None:
        from newsdesk.live.bus import get_bus
        from newsdesk.stories.signals import feed_events_committed

        def wake_every_process(**_kwargs) -> None:
            get_bus().notify()

        feed_events_committed.connect(
            wake_every_process, weak=False, dispatch_uid="newsdesk-live-notify"
        )
        if settings.PUSH == "pushpin":
            from newsdesk.live import push

            feed_events_committed.connect(
                push.on_feed_events_committed, dispatch_uid="newsdesk-live-push"
            )
