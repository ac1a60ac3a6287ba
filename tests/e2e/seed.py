"""Known content for the browser tests, made through the real actions in a fresh data folder.

Run inside the server's environment with `newsdesk shell --command "…"` by `conftest.py`; prints
nothing but a JSON line naming what it made, so the tests know the slugs.
"""

import io
import json

from django.utils import timezone
from PIL import Image, ImageDraw

from newsdesk.media.actions import do_upload_image
from newsdesk.stories import actions
from newsdesk.stories.accounts import do_create_user
from newsdesk.stories.models import FeedEvent, Story


def picture(width, height, colour):
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 4, height // 4, width // 2, height // 2), fill=(250, 220, 90))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()


desk = do_create_user(None, "seed-desk", "Seed-Desk-Password-42", "editor")
# The contributor of tests/e2e/test_review.py (its CONTRIBUTOR), without an author profile yet.
do_create_user(None, "review-writer", "Review-Writer-Password-42", "contributor")
avatar = do_upload_image(desk, picture(300, 300, (40, 90, 160)), alt_text="Portrait of Ilse Varga")
author = actions.do_save_author(
    desk,
    None,
    {
        "name": "Ilse Varga",
        "role": "News Operations Editor",
        "bio": "Ilse leads the overnight desk and has covered the harbour district for a decade.",
        "avatar_id": avatar.pk,
    },
)
topic = actions.do_save_topic(
    desk, None, {"name": "Harbour", "description": "The port and its people."}
)

older = actions.do_create_story(
    desk,
    {
        "headline": "Ferry timetable changes for the winter season",
        "summary": "Crossings to the outer islands drop to three a day from December, "
        "with an extra evening boat on Fridays for commuters returning home late "
        "and a reduced fare for islanders travelling with bicycles or small carts.",
        "body": "The ferry operator published its winter timetable.",
        "kind": "article",
        "author_ids": [author.pk],
        "topic_ids": [topic.pk],
    },
)
actions.do_publish_story(desk, older.pk)

for n in range(1, 46):
    story = actions.do_create_story(
        desk,
        {
            "headline": f"Harbour night update number {n}",
            "body": f"Update {n}: cranes idle while the wind holds at gale force.",
            "topic_ids": [topic.pk],
            "author_ids": [author.pk],
        },
    )
    actions.do_publish_story(desk, story.pk)

lead = do_upload_image(
    desk,
    picture(1600, 900, (20, 60, 90)),
    alt_text="Container cranes against a dark sky",
    caption="Cranes stand idle at the east quay.",
    credit="Tomas Lind / Harbour Agency",
)
body = (
    "Work at the east quay stopped shortly after midnight.\n\n"
    "> We will not send crews up in this wind, said the shift supervisor.\n\n"
    "## What happens next\n\n"
    "Operations resume when gusts fall below the safety limit.\n\n"
    f"/stories/{older.slug}/\n\n" + " ".join(["Dockworkers waited in the canteen for news."] * 40)
)
article = actions.do_create_story(
    desk,
    {
        "headline": "Storm halts the east quay overnight",
        "summary": "Gale-force gusts stopped all crane work at the port.",
        "body": body,
        "kind": "article",
        "author_ids": [author.pk],
        "topic_ids": [topic.pk],
        "lead_image_id": lead.pk,
    },
)
actions.do_publish_story(desk, article.pk)
draft = actions.do_create_story(desk, {"headline": "Embargoed draft about the harbour sale"})

# Spread publication times one minute apart so the feed has a clear order.
now = timezone.now()
for i, story in enumerate(Story.objects.filter(status="published").order_by("-id")):
    Story.objects.filter(pk=story.pk).update(published_at=now - timezone.timedelta(minutes=i))
FeedEvent.objects.update(created_at=now)

print(json.dumps({"article": article.slug, "older": older.slug, "draft": draft.slug}))
