"""Every write to the newsroom's content, one function per write.

Each `do_*` function checks permission first (`permissions.check_*`), validates input (raising
`InvalidInput` with per-field messages), does its expensive work (rendering a body) before its
transaction opens, writes in one transaction the story, a `Revision` and, when readers must see
the change, a `FeedEvent`, and tells the rest of the system through `stories.signals` (search in
the transaction, the live bus, caches and pings after commit). Actions never see a request: the
desk, the API and the `newsdesk` command all call these same functions, so none can do what
another forbids.

The writes live by concern: `drafts` (create, save, restore, autosave), `publishing` (publish,
schedule, unpublish, correct, pin, breaking, quick post), `review` (submit for review, approve,
return with a note, the desk's notes on a story), `translations` (a story's translation into
another edition's language), `images` (an image's words) and
`catalogue` (authors and topics), on the shared `common` and `fields`. All are named here, so
callers write `actions.do_publish_story(...)`. `git grep "def do_"` lists every write.
"""

from newsdesk.stories.actions.catalogue import do_save_author, do_save_topic
from newsdesk.stories.actions.drafts import (
    AUTOSAVE,
    AUTOSAVE_FIELDS,
    UNTITLED,
    do_autosave_draft,
    do_autosave_new_story,
    do_create_story,
    do_restore_revision,
    do_update_story,
)
from newsdesk.stories.actions.fields import (
    EDITOR_ONLY_FIELDS,
    SET_BY_OTHER_ACTIONS,
    check_story_fields,
    warm_embeds,
)
from newsdesk.stories.actions.images import check_image_text, do_update_image_text
from newsdesk.stories.actions.live import (
    do_end_coverage,
    do_post_entry,
    do_set_key_event,
    do_set_pinned_entry,
)
from newsdesk.stories.actions.publishing import (
    do_add_correction,
    do_publish_due_stories,
    do_publish_story,
    do_quick_post,
    do_schedule_story,
    do_set_breaking,
    do_set_pinned,
    do_unpublish_story,
)
from newsdesk.stories.actions.review import (
    do_add_story_note,
    do_approve_story,
    do_return_story,
    do_submit_for_review,
)
from newsdesk.stories.actions.translations import do_create_translation

__all__ = [
    "AUTOSAVE",
    "AUTOSAVE_FIELDS",
    "EDITOR_ONLY_FIELDS",
    "SET_BY_OTHER_ACTIONS",
    "UNTITLED",
    "check_image_text",
    "check_story_fields",
    "do_add_correction",
    "do_add_story_note",
    "do_approve_story",
    "do_autosave_draft",
    "do_autosave_new_story",
    "do_create_story",
    "do_create_translation",
    "do_end_coverage",
    "do_post_entry",
    "do_publish_due_stories",
    "do_publish_story",
    "do_quick_post",
    "do_restore_revision",
    "do_return_story",
    "do_save_author",
    "do_save_topic",
    "do_schedule_story",
    "do_set_breaking",
    "do_set_key_event",
    "do_set_pinned",
    "do_set_pinned_entry",
    "do_submit_for_review",
    "do_unpublish_story",
    "do_update_image_text",
    "do_update_story",
    "warm_embeds",
]
