"""Sent after a transaction that recorded feed events has committed.

`stories.actions` sends it from `transaction.on_commit`, so a rolled-back write never reaches a
reader. The live bus, the page cache's versions and WebSub pings subscribe to it. (Search is
indexed inside the write itself, by `stories.actions`.)
"""

from django.dispatch import Signal

# kwargs: event_ids (list[int]), story_ids (list[int])
feed_events_committed = Signal()
