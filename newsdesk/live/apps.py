from django.apps import AppConfig


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
