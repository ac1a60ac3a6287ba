"""Full-text search over stories: one interface, a SQLite FTS5 and a PostgreSQL backend.

Public surface: `queries.search_stories` (reads), `index.sync_story` (called by every story write
inside its transaction) and `index.rebuild` (the `newsdesk reindex` command). The backend is
picked by the database vendor; nothing outside `backends/` writes SQL for either.

Every story is indexed whatever its status, so the desk can search drafts; readers' searches
join the story table and keep only published stories, in the same query, so a story that is
unpublished drops out of reader results in the transaction that unpublished it.
"""
