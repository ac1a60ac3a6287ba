from django.apps import AppConfig


class CacheConfig(AppConfig):
    name = "newsdesk.cache"
    label = "newsdesk_cache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from newsdesk.cache import purge, versions
        from newsdesk.stories.models import Author, Topic
        from newsdesk.stories.signals import feed_events_committed

        feed_events_committed.connect(
            versions.on_feed_events_committed, dispatch_uid="newsdesk-cache-feed"
        )
        feed_events_committed.connect(purge.on_feed_events_committed, dispatch_uid="cache-purge")
        for model in (Author, Topic):
            for signal in (post_save, post_delete):
                signal.connect(
                    versions.on_names_changed, sender=model, dispatch_uid=f"cache-{model}-{signal}"
                )
