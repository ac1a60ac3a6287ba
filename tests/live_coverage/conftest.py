import pytest

from newsdesk.stories import actions


@pytest.fixture
def coverage(editor, topic, author):
    """A published live coverage of the storm, on the Energy topic, by Mira Osei."""
    story = actions.do_create_story(
        editor,
        {
            "headline": "Storm Verity: live",
            "summary": "Gusts of 120 km/h on the coast.\nFerries are cancelled.",
            "kind": "live",
            "topic_ids": [topic.pk],
            "author_ids": [author.pk],
        },
    )
    return actions.do_publish_story(editor, story.pk)


@pytest.fixture
def post(editor, coverage, author):
    """post(text, headline="", **fields) → a published entry in `coverage`."""

    def _post(text: str = "Trees down on the coast road.", headline: str = "", **fields):
        data = {"headline": headline, "body": text, "author_ids": [author.pk], **fields}
        return actions.do_post_entry(editor, coverage.pk, data)

    return _post
