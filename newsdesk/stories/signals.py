"""Signals the stories actions send, for the side effects that subscribe to them.

The packages that index, cache and deliver content sit above the one that holds it, so actions
never call them: they send these signals, and each side effect subscribes in its app's `ready()`.

- `story_written`: inside the write's transaction, after every write to a story (each records a
  revision). Search indexes the story here, so the index commits or rolls back with the story.
  kwargs: story, body_text (the new body's plain text, rendered before the transaction opened;
  None when the write left the body alone).
- `stories_written`: `story_written` for many new stories at once (an archive import writes
  them in bulk), inside the write's transaction. kwargs: stories, body_texts (one per story).
- `catalogue_saved`: inside the transaction of an author or topic save. kwargs: instance,
  renamed (True when the name changed: stories list them by name). Receivers that only need the
  committed state (search re-indexing the stories, the cache's `names` version) act on commit.
- `feed_events_committed`: after a transaction that recorded feed events has committed
  (`transaction.on_commit`), so a rolled-back write never reaches a reader. The live bus, the page
  cache's versions, the purge hook and WebSub pings subscribe. kwargs: event_ids, story_ids.
"""

from django.dispatch import Signal

story_written = Signal()
stories_written = Signal()
catalogue_saved = Signal()
feed_events_committed = Signal()
