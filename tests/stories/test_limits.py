"""One definition of every length limit: the model field's `max_length`.

The desk's forms, the API's schemas (and so its OpenAPI document) and the actions' checks all read
it, so no channel advertises or accepts what another refuses, and no text reaches the database
longer than its column (PostgreSQL refuses that with an error, which was a 500: an 81-character
topic name passed the action and failed in PostgreSQL)."""

from __future__ import annotations

import pytest
from django import forms as django_forms

from newsdesk.api.api import api
from newsdesk.core.errors import InvalidInput
from newsdesk.core.validation import max_length
from newsdesk.desk import forms
from newsdesk.media.actions import do_upload_image
from newsdesk.stories import actions
from newsdesk.stories.models import Author, Correction, Image, Story, Topic
from tests.media.imagefiles import image_bytes

# Which model field each form and schema field stands for.
FORM_FIELDS = {
    forms.StoryForm: {"headline": (Story, "headline"), "slug": (Story, "slug"),
                      "language": (Story, "language")},
    forms.QuickPostForm: {"headline": (Story, "headline"), "alt_text": (Image, "alt_text")},
    forms.AuthorForm: {"name": (Author, "name"), "slug": (Author, "slug"),
                       "role": (Author, "role")},
    forms.TopicForm: {"name": (Topic, "name"), "slug": (Topic, "slug")},
}  # fmt: skip
SCHEMA_FIELDS = {
    "StoryIn": {"headline": (Story, "headline"), "summary": (Story, "summary"),
                "body": (Story, "body"), "language": (Story, "language")},
    "StoryPatch": {"headline": (Story, "headline"), "summary": (Story, "summary"),
                   "body": (Story, "body"), "language": (Story, "language")},
    "ImagePatch": {"alt_text": (Image, "alt_text"), "caption": (Image, "caption"),
                   "credit": (Image, "credit")},
    "CorrectionIn": {"text": (Correction, "text")},
}  # fmt: skip


def test_every_desk_form_field_has_the_models_limit():
    """Each length-limited text input of the desk allows exactly what the model holds."""
    for form_class, fields in FORM_FIELDS.items():
        for name, (model, field) in fields.items():
            form_field = form_class.base_fields[name]
            assert isinstance(form_field, django_forms.CharField)
            assert form_field.max_length == max_length(model, field), (form_class, name)
    for form_class in FORM_FIELDS:
        limited = {n for n, f in form_class.base_fields.items() if getattr(f, "max_length", None)}
        assert limited <= set(FORM_FIELDS[form_class]), (form_class, limited)


def _schema_limit(schema: dict, name: str) -> int | None:
    for option in [schema, *schema.get("anyOf", [])]:
        if "maxLength" in option:
            return option["maxLength"]
    return None


def test_the_openapi_document_advertises_the_models_limits():
    """The API's OpenAPI schema gives every text field the model's limit, no more, no less."""
    components = api.get_openapi_schema()["components"]["schemas"]
    for schema_name, fields in SCHEMA_FIELDS.items():
        properties = components[schema_name]["properties"]
        for name, (model, field) in fields.items():
            assert _schema_limit(properties[name], name) == max_length(model, field), (
                schema_name,
                name,
            )


@pytest.mark.django_db
def test_each_action_takes_text_up_to_the_models_limit_and_refuses_one_more(editor):
    """At the limit the text is stored (on PostgreSQL too, where a column longer than its type is
    an error); one character more is refused with a message naming the field."""
    topic = actions.do_save_topic(editor, None, {"name": "T"})
    author = actions.do_save_author(editor, None, {"name": "A"})
    story = actions.do_create_story(editor, {"headline": "H"})
    image = do_upload_image(editor, image_bytes(), alt_text="Alt")
    draft = actions.do_create_story(editor, {"headline": "P"})
    published = actions.do_publish_story(editor, draft.pk)
    writes = {
        (Topic, "name"): lambda v: actions.do_save_topic(editor, topic.pk, {"name": v}),
        (Topic, "description"): lambda v: actions.do_save_topic(
            editor, topic.pk, {"name": "T", "description": v}
        ),
        (Topic, "slug"): lambda v: actions.do_save_topic(
            editor, topic.pk, {"name": "T", "slug": v}
        ),
        (Author, "name"): lambda v: actions.do_save_author(editor, author.pk, {"name": v}),
        (Author, "role"): lambda v: actions.do_save_author(
            editor, author.pk, {"name": "A", "role": v}
        ),
        (Author, "bio"): lambda v: actions.do_save_author(
            editor, author.pk, {"name": "A", "bio": v}
        ),
        (Story, "headline"): lambda v: actions.do_update_story(
            editor, story.pk, {"headline": v}, expected_version=None
        ),
        (Story, "summary"): lambda v: actions.do_update_story(
            editor, story.pk, {"summary": v}, expected_version=None
        ),
        (Image, "caption"): lambda v: actions.do_update_image_text(
            editor, image.pk, alt_text="Alt", caption=v, credit=""
        ),
        (Image, "credit"): lambda v: actions.do_update_image_text(
            editor, image.pk, alt_text="Alt", caption="", credit=v
        ),
        (Correction, "text"): lambda v: actions.do_add_correction(editor, published.pk, v),
    }
    for (model, field), write in writes.items():
        limit = max_length(model, field)
        write("x" * limit)
        with pytest.raises(InvalidInput) as refused:
            write("y" * (limit + 1))
        assert f"{limit:,}" in refused.value.message, (model, field)


@pytest.mark.django_db
def test_a_slug_made_from_the_longest_name_fits_its_column_with_room_to_be_unique(editor):
    """Slugs made from names (and the "-2" that keeps them unique) fit the slug column."""
    name = "Ж" * max_length(Topic, "name")
    first = actions.do_save_topic(editor, None, {"name": name})
    second = actions.do_save_topic(editor, None, {"name": name})
    assert first.slug != second.slug
    assert len(second.slug) <= max_length(Topic, "slug")
    long_author = "Ω" * max_length(Author, "name")
    for _ in range(2):
        made = actions.do_save_author(editor, None, {"name": long_author})
        assert len(made.slug) <= max_length(Author, "slug")
