from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _add_sql_functions(sender, connection, **kwargs) -> None:
    """SQLite: `newsdesk_terms(text)`, the word forms the FTS5 triggers index (search.terms)."""
    if connection.vendor == "sqlite":
        from newsdesk.search.terms import index_terms

        connection.connection.create_function("newsdesk_terms", 1, index_terms, deterministic=True)


class SearchConfig(AppConfig):
    name = "newsdesk.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from newsdesk.search import index
        from newsdesk.stories.signals import catalogue_saved, stories_written, story_written

        connection_created.connect(_add_sql_functions, dispatch_uid="search-sql-functions")
        story_written.connect(index.on_story_written, dispatch_uid="search-story-written")
        stories_written.connect(index.on_stories_written, dispatch_uid="search-stories-written")
        catalogue_saved.connect(index.on_catalogue_saved, dispatch_uid="search-catalogue")
