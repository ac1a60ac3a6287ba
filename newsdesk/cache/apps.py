from django.apps import AppConfig


class CacheConfig(AppConfig):
    name = "newsdesk.cache"
    label = "newsdesk_cache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from newsdesk.cache import purge, versions
        from newsdesk.stories.signals import catalogue_saved, feed_events_committed

        feed_events_committed.connect(
            versions.on_feed_events_committed, dispatch_uid="newsdesk-cache-feed"
        )
        feed_events_committed.connect(purge.on_feed_events_committed, dispatch_uid="cache-purge")
        # Bios, names and descriptions appear on pages but record no feed event.
        catalogue_saved.connect(versions.on_names_changed, dispatch_uid="cache-names")
