"""Signals the stories actions send, for the side effects that subscribe to them.

`feed_events_committed` is sent after a transaction that recorded feed events has committed
(`transaction.on_commit`), so a rolled-back write never reaches a reader. The live bus, the page
cache's versions and WebSub pings subscribe to it; actions never call them directly, because the
packages that deliver content sit above the one that holds it.
"""

from django.dispatch import Signal

# kwargs: event_ids (list[int]), story_ids (list[int])
feed_events_committed = Signal()
