"""Every write on wires: sources (editors only), items arriving (one transaction per item), hiding
a source, and polling a feed's status. Reading and using wires is for anyone at the desk who may
write stories (contributors and editors); managing sources is for editors (`check_can_publish`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from newsdesk.core.errors import InvalidInput, NotAllowed, NotFound
from newsdesk.stories import permissions
from newsdesk.stories.actions import do_add_story_note, do_create_story, do_post_entry
from newsdesk.stories.models import Story
from newsdesk.wires.models import SourceKind, SourceStatus, WireItem, WireSource
from newsdesk.wires.parsers import ParsedItem, WireFormatError


class WrongToken(NotAllowed):
    status_code = 401


def check_can_read_wires(user) -> None:
    if not permissions.can_write(user):
        raise NotAllowed("Wires are for the newsroom: log in as a contributor or an editor.")


def check_can_manage_sources(user) -> None:
    if not permissions.can_publish(user):
        raise NotAllowed("Only editors add, change or hide wire sources.")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class NewSource:
    source: WireSource
    token: str | None  # shown once, for a push source


def do_add_source(user, *, name: str, kind: str, url: str = "", poll_minutes: int = 5) -> NewSource:
    """A new source. A push source gets a token, returned here and never stored in clear."""
    if user is not None:  # None: the `newsdesk wire` command, run by whoever runs the server
        check_can_manage_sources(user)
    name = " ".join((name or "").split())
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 100:
        errors["name"] = ["Give the source a name of 1 to 100 characters (the agency's name)."]
    if kind not in SourceKind.values:
        errors["kind"] = [f"Choose one of {', '.join(SourceKind.values)}."]
    if kind == SourceKind.RSS and not (url.startswith(("http://", "https://")) and len(url) < 500):
        errors["url"] = ["A feed needs its http:// or https:// address."]
    if poll_minutes < 1:
        errors["poll_minutes"] = ["Poll at most once a minute."]
    slug = slugify(name)[:100]
    if not errors and (
        not slug
        or WireSource.objects.filter(slug=slug).exists()
        or WireSource.objects.filter(name=name).exists()
    ):
        errors["name"] = [f"There is already a source named {name!r}; choose another name."]
    if errors:
        raise InvalidInput("The source cannot be added; see the fields.", fields=errors)
    token = secrets.token_urlsafe(32) if kind != SourceKind.RSS else None
    try:
        with transaction.atomic():
            source = WireSource.objects.create(
                name=name,
                slug=slug,
                kind=kind,
                url=url if kind == SourceKind.RSS else "",
                token_hash=_hash(token) if token else "",
                poll_minutes=poll_minutes,
            )
    except IntegrityError:
        raise InvalidInput(f"There is already a source named {name!r}.") from None
    return NewSource(source, token)


def do_set_source_hidden(user, source_id: int, hidden: bool) -> WireSource:
    check_can_manage_sources(user)
    updated = WireSource.objects.filter(pk=source_id).update(hidden=hidden)
    if not updated:
        raise NotFound("There is no such wire source.")
    return WireSource.objects.get(pk=source_id)


def source_for_token(slug: str, token: str) -> WireSource:
    """The push source `slug` if `token` is its token; otherwise WrongToken (the same message
    for an unknown source and a wrong token, so neither can be guessed one at a time)."""
    # No slug holds a NUL, and PostgreSQL refuses one in a parameter: no such source.
    sources = WireSource.objects.none() if "\x00" in slug else WireSource.objects.filter(slug=slug)
    source = sources.exclude(kind=SourceKind.RSS).first()
    expected = source.token_hash if source else _hash(secrets.token_urlsafe(32))
    if not token or not hmac.compare_digest(_hash(token), expected) or source is None:
        raise WrongToken(
            "Unknown source or wrong token: send `Authorization: Bearer <token>` with the token "
            "printed by `newsdesk wire add`."
        )
    return source


@dataclass
class IngestResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} new, {self.updated} updated, {self.unchanged} unchanged"


def _is_newer(item: ParsedItem, existing: WireItem) -> bool:
    """A resent copy or an older version never overwrites what we hold."""
    if item.version and existing.version and item.version != existing.version:
        return item.version > existing.version
    if item.version_at and existing.version_at and item.version_at != existing.version_at:
        return item.version_at > existing.version_at
    return True  # no version information: a different text is news


def _fields(item: ParsedItem) -> dict:
    return {
        "headline": item.headline,
        "body": item.body,
        "byline": item.byline,
        "version": item.version,
        "version_at": item.version_at,
        "urgency": item.urgency,
        "images": item.images,
        "link": item.link,
        "raw_size": item.raw_size,
        "fingerprint": item.fingerprint(),
    }


def do_store_items(source: WireSource, items: list[ParsedItem]) -> IngestResult:
    """Store parsed items, one transaction each: new GUIDs are created; a newer version of a
    known one rewrites it and marks it changed; a resent or older copy is left alone."""
    result = IngestResult()
    for item in items:
        with transaction.atomic():
            existing = (
                WireItem.objects.select_for_update().filter(source=source, guid=item.guid).first()
            )
            fields = _fields(item)
            if existing is None:
                try:
                    with transaction.atomic():
                        WireItem.objects.create(source=source, guid=item.guid, **fields)
                    result.created += 1
                    continue
                except IntegrityError:  # the same item pushed twice at once: merge below
                    existing = WireItem.objects.select_for_update().get(
                        source=source, guid=item.guid
                    )
            if existing.fingerprint == fields["fingerprint"] or not _is_newer(item, existing):
                result.unchanged += 1
                continue
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.changed = True
            existing.save()
            result.updated += 1
    WireSource.objects.filter(pk=source.pk).update(
        status=SourceStatus.OK, last_error="", last_received_at=timezone.now()
    )
    return result


def do_record_source_error(source: WireSource, error: Exception | str, *, polled=True) -> None:
    """A feed that failed, or a push that was refused: the source's status says why (the desk
    shows it); nothing else changes."""
    message = error.message if isinstance(error, WireFormatError) else str(error)
    fields = {"status": SourceStatus.ERROR, "last_error": message[:500]}
    if polled:
        fields["last_polled_at"] = timezone.now()
    WireSource.objects.filter(pk=source.pk).update(**fields)


def do_mark_polled(source: WireSource) -> None:
    WireSource.objects.filter(pk=source.pk).update(last_polled_at=timezone.now())


def credit_line(source: WireSource) -> str:
    return f"(Source: {source.name})"


def do_use_item(user, item_id: int, *, wire_url: str, coverage_id: int | None = None) -> Story:
    """Start a draft story from a wire item: its headline and text, the agency's credit line
    "(Source: Agency)" at the end of the body, and a desk note linking back to the wire item
    (`wire_url`, the desk's address of it; notes are never public). With `coverage_id`, the
    draft is an entry of that live coverage instead, published from its live desk like any
    entry. One transaction: the draft, its note and the item's `used_in` are written together
    or not at all."""
    check_can_read_wires(user)
    item = WireItem.objects.select_related("source").filter(pk=item_id).first()
    if item is None:
        raise NotFound("There is no such wire item.")
    body = f"{item.body.rstrip()}\n\n{credit_line(item.source)}\n"
    with transaction.atomic():
        words = {"headline": item.headline[:300], "body": body}
        if coverage_id is None:
            story = do_create_story(
                user, {**words, "kind": "update"}, revision_action="started from the wire"
            )
        else:
            story = do_post_entry(user, coverage_id, words, publish=False)
        do_add_story_note(
            user,
            story.pk,
            f"Started from the wire: {item.source.name}, “{item.headline[:200]}” — {wire_url}",
        )
        WireItem.objects.filter(pk=item.pk).update(used_in=story)
    return story
