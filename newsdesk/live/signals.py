"""Sent after a transaction that recorded feed events has committed.

`stories.actions` sends it from `transaction.on_commit`, so a rolled-back write never reaches a
reader. The live bus, the cache and search subscribe to it; nothing else should.
"""

from django.dispatch import Signal

# kwargs: event_ids (list[int]), story_ids (list[int])
feed_events_committed = Signal()
