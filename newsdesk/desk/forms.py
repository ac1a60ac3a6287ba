"""The desk's forms: they check the shape of what was sent (a number is a number, a choice is one
of the choices). Whether it can be saved is decided by the actions, whose messages are put back
on these forms by `access.add_errors`."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone

from newsdesk.core.validation import max_length
from newsdesk.stories.actions import SET_BY_OTHER_ACTIONS
from newsdesk.stories.desk_queries import STATUS_FILTERS
from newsdesk.stories.models import (
    CHOSEN_KINDS,
    Author,
    Image,
    Kind,
    Status,
    Story,
    StoryNote,
    Topic,
)

IMAGE_TYPES = "image/jpeg,image/png,image/webp"
STATUS_LABELS = [("", "any status")] + [(v, v.replace("_", " ")) for v in STATUS_FILTERS]


class DeskForm(forms.Form):
    """Labels read "Headline", not "Headline:" (screen readers say the colon too).

    Text goes on to an action, which checks it (NUL characters, lengths) with messages that say
    how to fix it; Django's own terser NUL check is removed so that those messages are shown.
    """

    actions_check_text = True

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if self.actions_check_text:
            for field in self.fields.values():
                field.validators = [
                    v
                    for v in field.validators
                    if not isinstance(v, ProhibitNullCharactersValidator)
                ]


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class StoryFilterForm(DeskForm):
    """The story list's filters; a GET form so a filtered list has its own address."""

    actions_check_text = False

    q = forms.CharField(
        label="Search headlines", required=False, max_length=max_length(Story, "headline")
    )
    status = forms.ChoiceField(label="Status", choices=STATUS_LABELS, required=False)
    author = forms.TypedChoiceField(label="Author", required=False, coerce=int, empty_value=None)
    topic = forms.TypedChoiceField(label="Topic", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, authors=(), topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].choices = [("", "any author")] + [(a.pk, a.name) for a in authors]
        self.fields["topic"].choices = [("", "any topic")] + [(t.pk, t.name) for t in topics]


class QuickPostForm(DeskForm):
    """The shift's quick post: on the desk's front page into the News Feed, a topic or a live
    page (`target`), and in a live coverage's desk view into that coverage (no `target`).
    Headline (required for a feed update, optional for a live entry: the actions say so), text,
    authors, breaking, and an optional image: a new file with its alt text, or one of the recent
    images (`image_id`)."""

    target = forms.ChoiceField(label="Post into", required=False)
    headline = forms.CharField(
        label="Headline", required=False, max_length=max_length(Story, "headline")
    )
    text = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 4, "data-quick-text": ""}),
        help_text="Markdown. Ctrl+Enter (⌘+Enter on a Mac) posts.",
    )
    author_ids = forms.MultipleChoiceField(label="Authors", required=False)
    breaking = forms.BooleanField(label="Breaking news", required=False)
    image_id = forms.TypedChoiceField(
        label="Image", required=False, coerce=int, empty_value=None, widget=forms.RadioSelect
    )
    image_file = forms.FileField(
        label="Or upload an image",
        required=False,
        help_text="JPEG, PNG or WebP.",
        widget=forms.FileInput(attrs={"accept": IMAGE_TYPES}),
    )
    alt_text = forms.CharField(
        label="Describe the new image",
        required=False,
        max_length=max_length(Image, "alt_text"),
        help_text="Its alt text: what it shows, for readers who cannot see it. Required with a "
        "file.",
    )

    def __init__(self, *args, targets=None, authors=(), images=(), **kwargs):
        super().__init__(*args, **kwargs)
        if targets is None:
            del self.fields["target"]
            self.fields["headline"].label = "Headline (optional)"
        else:
            self.fields["target"].choices = targets
            self.fields["headline"].help_text = "Optional for an entry on a live page."
        self.fields["author_ids"].choices = [(str(a.pk), a.name) for a in authors]
        self.fields["image_id"].choices = [("", "No image")] + [
            (image.pk, image.alt_text) for image in images
        ]
        self.images = list(images)

    def clean(self):
        data = super().clean()
        if data.get("image_file") and not (data.get("alt_text") or "").strip():
            self.add_error("alt_text", "Say what the image shows: its alt text is required.")
        return data

    def wants_upload(self) -> bool:
        return bool(self.cleaned_data.get("image_file"))


class StoryForm(DeskForm):
    """Everything an editor types about a story. `version` is the one it was based on."""

    headline = forms.CharField(label="Headline", max_length=max_length(Story, "headline"))
    slug = forms.CharField(
        label="Address (slug)",
        required=False,
        max_length=max_length(Story, "slug"),
        help_text="Leave empty to make one from the headline. It cannot change once published.",
    )
    summary = forms.CharField(label="Summary", required=False, widget=_textarea(2))
    body = forms.CharField(
        label="Body",
        required=False,
        widget=_textarea(16),
        help_text="Markdown. A line holding only a link to one of our stories becomes a card.",
    )
    kind = forms.ChoiceField(label="Kind", choices=Kind.choices, initial=Kind.UPDATE)
    author_ids = forms.MultipleChoiceField(
        label="Authors",
        required=False,
        help_text="The byline lists them in the order shown here; the first selected come first.",
    )
    topic_ids = forms.MultipleChoiceField(
        label="Topics", required=False, widget=forms.CheckboxSelectMultiple
    )
    language = forms.CharField(label="Language", max_length=max_length(Story, "language"))
    breaking = forms.BooleanField(label="Breaking news", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    publish_at = forms.DateTimeField(
        label="Publish at",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(
        self,
        *args,
        authors: list[Author] = (),
        topics=(),
        byline: list[int] = (),
        slug_locked: bool = False,
        can_publish: bool = False,
        offered_authors: set[int] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # Selected authors first, in byline order: a multi-select submits in document order.
        ordered = sorted(authors, key=lambda a: (a.pk not in byline, _index(byline, a.pk)))
        self.fields["author_ids"].choices = [(str(a.pk), a.name) for a in ordered]
        if offered_authors is not None:
            # Only these names are shown; any other is still a valid id here, so a forged one
            # reaches the action, which refuses it with its own message (`check_byline`).
            self.fields["author_ids"].widget.choices = [
                (str(a.pk), a.name) for a in ordered if a.pk in offered_authors
            ]
        self.fields["topic_ids"].choices = [(str(t.pk), t.name) for t in topics]
        self.fields["language"].initial = settings.LANGUAGE_CODE
        # An entry is posted into a live coverage, never chosen; an entry keeps its kind.
        if (self.initial or {}).get("kind") != Kind.ENTRY:
            self.fields["kind"].choices = [(k.value, k.label) for k in CHOSEN_KINDS]
        else:  # a live entry's headline is optional, as when it was posted
            self.fields["headline"].required = False
            self.fields["headline"].label = "Headline (optional)"
        self.fields["publish_at"].help_text = f"In the newsroom's time zone ({settings.TIME_ZONE})."
        if slug_locked:
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = "Published stories keep their address."
        # What a role may not set is not offered; if a forged form sends it anyway, it is passed
        # on to the action, which refuses it as it does on every channel (`story_data`).
        self.not_offered: dict[str, object] = {}
        if not can_publish:
            del self.fields["breaking"]
            del self.fields["publish_at"]
            if self.is_bound and "breaking" in self.data:
                self.not_offered["breaking"] = forms.BooleanField().to_python(
                    self.data.get("breaking")
                )
        if self.is_bound:
            for name in SET_BY_OTHER_ACTIONS:
                if name in self.data:
                    self.not_offered[name] = self.data.get(name)

    def clean_publish_at(self) -> dt.datetime | None:
        """The datetime-local value means newsroom time, whatever the server's own zone is."""
        value = self.cleaned_data.get("publish_at")
        if value is None:
            return None
        naive = timezone.make_naive(value) if timezone.is_aware(value) else value
        return naive.replace(tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))

    def story_data(self) -> dict:
        """The fields for `actions.do_create_story` / `do_update_story`."""
        data = {
            key: self.cleaned_data[key]
            for key in ("headline", "summary", "body", "kind", "language", "author_ids")
        }
        data["topic_ids"] = self.cleaned_data["topic_ids"]
        if "breaking" in self.fields:
            data["breaking"] = self.cleaned_data["breaking"]
        if not self.fields["slug"].disabled and self.cleaned_data.get("slug"):
            data["slug"] = self.cleaned_data["slug"]
        data.update(self.not_offered)
        return data


def _index(items, value) -> int:
    return items.index(value) if value in items else 0


def story_initial(story: Story) -> dict:
    return {
        "headline": story.headline,
        "slug": story.slug,
        "summary": story.summary,
        "body": story.body,
        "kind": story.kind,
        "language": story.language,
        "breaking": story.breaking,
        "version": story.version,
        "author_ids": [str(a.pk) for a in story.ordered_authors()],
        "topic_ids": [str(pk) for pk in story.topics.values_list("pk", flat=True)],
        "publish_at": timezone.localtime(
            story.published_at, zoneinfo.ZoneInfo(settings.TIME_ZONE)
        ).replace(tzinfo=None)
        if story.status == Status.SCHEDULED and story.published_at
        else None,
    }


class ImageForm(DeskForm):
    """A new lead image (or avatar), or none. Alt text is required with a new file."""

    image_file = forms.FileField(
        label="Image file",
        required=False,
        help_text="JPEG, PNG or WebP.",
        widget=forms.FileInput(attrs={"accept": IMAGE_TYPES}),
    )
    alt_text = forms.CharField(
        label="Alt text",
        required=False,
        max_length=max_length(Image, "alt_text"),
        help_text="What the image shows, for readers who cannot see it. Required.",
    )
    caption = forms.CharField(
        label="Caption", required=False, max_length=max_length(Image, "caption")
    )
    credit = forms.CharField(label="Credit", required=False, max_length=max_length(Image, "credit"))
    remove_image = forms.BooleanField(label="No image (remove the current one)", required=False)

    def wants_upload(self) -> bool:
        return bool(self.cleaned_data.get("image_file"))


class CorrectionForm(DeskForm):
    text = forms.CharField(label="Correction", widget=_textarea(3))


class ReturnForm(DeskForm):
    """An editor sends a story in review back to its writer: the note says what to change."""

    prefix = "return"

    note = forms.CharField(
        label="Note to the writer",
        widget=_textarea(3),
        max_length=max_length(StoryNote, "text"),
        help_text="What should change before it can be published. The writer sees this note.",
    )


class NoteForm(DeskForm):
    prefix = "note"
    text = forms.CharField(
        label="Add a note",
        widget=_textarea(2),
        max_length=max_length(StoryNote, "text"),
        help_text="Seen only at the desk, by editors and the story's writers; never by readers.",
    )


class AuthorForm(DeskForm):
    name = forms.CharField(label="Name", max_length=max_length(Author, "name"))
    slug = forms.CharField(
        label="Address (slug)",
        required=False,
        max_length=max_length(Author, "slug"),
        help_text="Leave empty to make one from the name.",
    )
    role = forms.CharField(label="Role", required=False, max_length=max_length(Author, "role"))
    bio = forms.CharField(label="Bio", required=False, widget=_textarea(4))
    user = forms.TypedChoiceField(
        label="Linked account", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "no account")] + [(u.pk, u.username) for u in users]


class TopicForm(DeskForm):
    name = forms.CharField(label="Name", max_length=max_length(Topic, "name"))
    slug = forms.CharField(
        label="Address (slug)",
        required=False,
        max_length=max_length(Topic, "slug"),
        help_text="Leave empty to make one from the name.",
    )
    description = forms.CharField(label="Description", required=False, widget=_textarea(3))


class LiveCorrectionForm(DeskForm):
    text = forms.CharField(label="Correction", widget=forms.Textarea(attrs={"rows": 2}))
