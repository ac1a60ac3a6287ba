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
from django.utils.translation import gettext_lazy as _

from newsdesk.core.ids import MAX_ID
from newsdesk.core.validation import max_length
from newsdesk.desk.labels import STATES
from newsdesk.stories import translations
from newsdesk.stories.actions import SET_BY_OTHER_ACTIONS
from newsdesk.stories.desk_queries import STATUS_FILTERS
from newsdesk.stories.embeds import MAX_AUTHOR as EMBED_MAX_AUTHOR
from newsdesk.stories.embeds import MAX_TEXT as EMBED_MAX_TEXT
from newsdesk.stories.embeds import platform_label as embed_platform_label
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
STATUS_LABELS = [("", _("any status"))] + [
    (v, STATES.get(v.replace("_", " "), v.replace("_", " "))) for v in STATUS_FILTERS
]


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
        label=_("Search headlines"),
        required=False,
        max_length=max_length(Story, "headline"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_LABELS, required=False)
    author = forms.TypedChoiceField(label=_("Author"), required=False, coerce=int, empty_value=None)
    topic = forms.TypedChoiceField(label=_("Topic"), required=False, coerce=int, empty_value=None)
    translation = forms.ChoiceField(label=_("Translations"), required=False)

    def __init__(self, *args, authors=(), topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].choices = [("", _("any author"))] + [(a.pk, a.name) for a in authors]
        self.fields["topic"].choices = [("", _("any topic"))] + [(t.pk, t.name) for t in topics]
        self.fields["translation"].choices = translation_filter_choices()


def translation_filter_choices() -> list[tuple[str, str]]:
    """The story list's translation filter: translations older than their original, and for
    each of the site's languages the originals with no translation into it."""
    choices = [("", _("any")), ("needs_update", _("translation needs update"))]
    for code in translations.language_codes():
        label = _("no translation into %(language)s") % {
            "language": translations.language_name(code)
        }
        choices.append((f"missing_{code}", label))
    return choices


def language_choices() -> list[tuple[str, str]]:
    return [(code, translations.language_name(code)) for code in translations.language_codes()]


TRANSLATE_PREFIX = "translate"


class TranslateForm(DeskForm):
    """The editor's "Create translation": which language the new draft is in (prefixed: the
    editor's page has the story's own Language field)."""

    language = forms.ChoiceField(label=_("Translate into"))

    def __init__(self, *args, languages: list[str] = (), **kwargs):
        kwargs.setdefault("prefix", TRANSLATE_PREFIX)
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, translations.language_name(code)) for code in languages
        ]


class DeskLanguageForm(DeskForm):
    """The desk's settings: the language of its interface for this person."""

    language = forms.ChoiceField(label=_("Language of the desk"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("the site's language")), *language_choices()]


class QuickPostForm(DeskForm):
    """The shift's quick post: on the desk's front page into the News Feed, a topic or a live
    page (`target`), and in a live coverage's desk view into that coverage (no `target`).
    Headline (required for a feed update, optional for a live entry: the actions say so), text,
    authors, breaking, and an optional image: a new file with its alt text, or one of the recent
    images (`image_id`)."""

    target = forms.ChoiceField(label=_("Post into"), required=False)
    headline = forms.CharField(
        label=_("Headline"), required=False, max_length=max_length(Story, "headline")
    )
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 4, "data-quick-text": ""}),
        help_text=_("Markdown. Ctrl+Enter (⌘+Enter on a Mac) posts."),
    )
    author_ids = forms.MultipleChoiceField(label=_("Authors"), required=False)
    breaking = forms.BooleanField(label=_("Breaking news"), required=False)
    image_id = forms.TypedChoiceField(
        label=_("Image"), required=False, coerce=int, empty_value=None, widget=forms.RadioSelect
    )
    image_file = forms.FileField(
        label=_("Or upload an image"),
        required=False,
        help_text=_("JPEG, PNG or WebP."),
        widget=forms.FileInput(attrs={"accept": IMAGE_TYPES}),
    )
    alt_text = forms.CharField(
        label=_("Describe the new image"),
        required=False,
        max_length=max_length(Image, "alt_text"),
        help_text=_(
            "Its alt text: what it shows, for readers who cannot see it. Required with a file."
        ),
    )

    def __init__(self, *args, targets=None, authors=(), images=(), **kwargs):
        super().__init__(*args, **kwargs)
        if targets is None:
            del self.fields["target"]
            self.fields["headline"].label = _("Headline (optional)")
        else:
            self.fields["target"].choices = targets
            self.fields["headline"].help_text = _("Optional for an entry on a live page.")
        self.fields["author_ids"].choices = [(str(a.pk), a.name) for a in authors]
        self.fields["image_id"].choices = [("", _("No image"))] + [
            (image.pk, image.alt_text) for image in images
        ]
        self.images = list(images)

    def clean(self):
        data = super().clean()
        if data.get("image_file") and not (data.get("alt_text") or "").strip():
            self.add_error("alt_text", _("Say what the image shows: its alt text is required."))
        return data

    def wants_upload(self) -> bool:
        return bool(self.cleaned_data.get("image_file"))


class StoryForm(DeskForm):
    """Everything an editor types about a story. `version` is the one it was based on."""

    headline = forms.CharField(label=_("Headline"), max_length=max_length(Story, "headline"))
    slug = forms.CharField(
        label=_("Address (slug)"),
        required=False,
        max_length=max_length(Story, "slug"),
        help_text=_("Leave empty to make one from the headline. It cannot change once published."),
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=_textarea(2))
    body = forms.CharField(
        label=_("Body"),
        required=False,
        widget=_textarea(16),
        help_text=_(
            "Markdown. A line holding only a link to one of our stories becomes a card; a line "
            "holding only a link to a post or video on YouTube, Vimeo, X, Telegram, Mastodon, "
            "Bluesky, Instagram or Facebook becomes an embed."
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.UPDATE)
    author_ids = forms.MultipleChoiceField(
        label=_("Authors"),
        required=False,
        help_text=_(
            "The byline lists them in the order shown here; the first selected come first. "
            "Under the list, move a name earlier or later."
        ),
    )
    topic_ids = forms.MultipleChoiceField(
        label=_("Topics"), required=False, widget=forms.CheckboxSelectMultiple
    )
    language = forms.CharField(label=_("Language"), max_length=max_length(Story, "language"))
    breaking = forms.BooleanField(label=_("Breaking news"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
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
        embeds: list[dict] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self._add_embed_fields(embeds)
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

    def _add_embed_fields(self, embeds: list[dict]) -> None:
        """Words for each embed of the saved body (`stories.embeds`): what the platform said,
        for the editor to correct, or to type when it said nothing."""
        self.embed_rows = []
        for i, embed in enumerate(e for e in embeds if isinstance(e, dict) and e.get("url")):
            label = embed_platform_label(embed.get("platform", ""))
            self.fields[f"embed_{i}_url"] = forms.CharField(
                widget=forms.HiddenInput, initial=embed["url"], required=False
            )
            self.fields[f"embed_{i}_text"] = forms.CharField(
                label=f"Words of the {label} {embed.get('kind') or 'post'}",
                required=False,
                max_length=EMBED_MAX_TEXT,
                initial=embed.get("text", ""),
                widget=_textarea(2),
            )
            self.fields[f"embed_{i}_author"] = forms.CharField(
                label="Posted by",
                required=False,
                max_length=EMBED_MAX_AUTHOR,
                initial=embed.get("author", ""),
            )
            self.embed_rows.append(
                {
                    "embed": embed,
                    "label": label,
                    "url": self[f"embed_{i}_url"],
                    "text": self[f"embed_{i}_text"],
                    "author": self[f"embed_{i}_author"],
                }
            )

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
        if self.embed_rows:
            data["embeds"] = [
                {
                    "url": self.cleaned_data.get(f"embed_{i}_url") or "",
                    "text": self.cleaned_data.get(f"embed_{i}_text") or "",
                    "author": self.cleaned_data.get(f"embed_{i}_author") or "",
                }
                for i in range(len(self.embed_rows))
            ]
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
        label=_("Image file"),
        required=False,
        help_text=_("JPEG, PNG or WebP."),
        widget=forms.FileInput(attrs={"accept": IMAGE_TYPES}),
    )
    alt_text = forms.CharField(
        label=_("Alt text"),
        required=False,
        max_length=max_length(Image, "alt_text"),
        help_text=_("What the image shows, for readers who cannot see it. Required."),
    )
    caption = forms.CharField(
        label=_("Caption"), required=False, max_length=max_length(Image, "caption")
    )
    credit = forms.CharField(
        label=_("Credit"), required=False, max_length=max_length(Image, "credit")
    )
    library_image = forms.IntegerField(
        label=_("Or use an image from the photo library (its number)"),
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_(
            "Pick one under “Photo library” beside the preview, or type its number from "
            "the Photos page. Its alt text, caption and credit come with it."
        ),
    )
    # A file chosen for a save the server refused (no alt text, say), kept so that it is not
    # lost: a signed token naming the file kept aside (`desk.uploads.keep_for_later`).
    pending = forms.CharField(required=False, widget=forms.HiddenInput)
    remove_image = forms.BooleanField(label=_("No image (remove the current one)"), required=False)

    def wants_upload(self) -> bool:
        """A new file, or the one kept from a refused save (unless a library image was picked
        since: the newest choice wins)."""
        data = self.cleaned_data
        kept = data.get("pending") and not data.get("library_image")
        return bool(data.get("image_file") or kept)

    def wants_library_image(self) -> int | None:
        if self.cleaned_data.get("image_file"):
            return None
        return self.cleaned_data.get("library_image")


class ImageTextForm(DeskForm):
    """An image's words, edited in the photo library (`media.actions.do_update_image_text`)."""

    alt_text = forms.CharField(
        label="Alt text",
        max_length=max_length(Image, "alt_text"),
        help_text="What the image shows, for readers who cannot see it.",
    )
    caption = forms.CharField(
        label="Caption", required=False, max_length=max_length(Image, "caption")
    )
    credit = forms.CharField(label="Credit", required=False, max_length=max_length(Image, "credit"))


class LibrarySearchForm(DeskForm):
    """The photo library's search, a GET form so a search has its own address."""

    q = forms.CharField(label="Search photos", required=False, max_length=200)
    before = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )


class CorrectionForm(DeskForm):
    text = forms.CharField(label=_("Correction"), widget=_textarea(3))


class ReturnForm(DeskForm):
    """An editor sends a story in review back to its writer: the note says what to change."""

    prefix = "return"

    note = forms.CharField(
        label=_("Note to the writer"),
        widget=_textarea(3),
        max_length=max_length(StoryNote, "text"),
        help_text=_("What should change before it can be published. The writer sees this note."),
    )


class NoteForm(DeskForm):
    prefix = "note"
    text = forms.CharField(
        label=_("Add a note"),
        widget=_textarea(2),
        max_length=max_length(StoryNote, "text"),
        help_text=_("Seen only at the desk, by editors and the story's writers; never by readers."),
    )


class AuthorForm(DeskForm):
    name = forms.CharField(label=_("Name"), max_length=max_length(Author, "name"))
    slug = forms.CharField(
        label=_("Address (slug)"),
        required=False,
        max_length=max_length(Author, "slug"),
        help_text=_("Leave empty to make one from the name."),
    )
    role = forms.CharField(label=_("Role"), required=False, max_length=max_length(Author, "role"))
    bio = forms.CharField(label=_("Bio"), required=False, widget=_textarea(4))
    user = forms.TypedChoiceField(
        label=_("Linked account"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "no account")] + [(u.pk, u.username) for u in users]


class TopicForm(DeskForm):
    name = forms.CharField(label=_("Name"), max_length=max_length(Topic, "name"))
    slug = forms.CharField(
        label=_("Address (slug)"),
        required=False,
        max_length=max_length(Topic, "slug"),
        help_text=_("Leave empty to make one from the name."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=_textarea(3))


class LiveCorrectionForm(DeskForm):
    text = forms.CharField(label=_("Correction"), widget=forms.Textarea(attrs={"rows": 2}))
