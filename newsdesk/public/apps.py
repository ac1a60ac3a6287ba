from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "newsdesk.public"
    label = "public"

    def ready(self) -> None:
        from newsdesk.live import events
        from newsdesk.public import fragments

        # Live events carry their item drawn exactly as the pages draw it.
        events.set_item_drawer(lambda story, compact: fragments.feed_item(story, compact=compact))
        events.set_entry_drawer(fragments.live_entry)
