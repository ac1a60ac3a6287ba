from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "newsdesk.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from newsdesk.search import index
        from newsdesk.stories.signals import catalogue_saved, story_written

        story_written.connect(index.on_story_written, dispatch_uid="search-story-written")
        catalogue_saved.connect(index.on_catalogue_saved, dispatch_uid="search-catalogue")
