"""The newsroom in one zip: `newsroom.json` (every row, Django's JSON serialisation with natural
keys for roles) and `media/…` (every stored image file), plus `manifest.json` saying what is in it.

Export reads in one transaction, so the archive is a consistent snapshot even while editors
publish. Import writes in one transaction into an empty site and keeps every primary key, so
story ids in the API, feed event ids readers resume from (`Last-Event-ID`) and links between
rows stay as they were; the search index is rebuilt afterwards. Password hashes stay out unless
asked for (`with_passwords`): an archive is easy to copy, and accounts restored without them get
an unusable password until an admin sets a new one. API tokens are never exported.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from newsdesk.stories.models import (
    Author,
    Correction,
    DeskPreference,
    FeedEvent,
    Image,
    Revision,
    Story,
    StoryAuthor,
    StoryNote,
    Topic,
)
from newsdesk.stories.roles import ensure_roles

FORMAT = 1
# Rows of models that moved between apps since an archive of this format could be made: their old
# label is read as the new one (feed events moved from `live`, images from `media`, to `stories`).
MOVED_LABELS = {"live.feedevent": "stories.feedevent", "media.image": "stories.image"}
UNUSABLE_PASSWORD = "!restored-without-password"  # noqa: S105 (marks "no password")


def _models():
    """In dependency order: a row only points at rows written before it."""
    return [get_user_model(), Image, Author, Topic, Story, StoryAuthor, Revision, Correction,
            StoryNote, FeedEvent, DeskPreference]  # fmt: skip


class BackupError(Exception):
    """An archive that cannot be written or restored; the message says what to do."""


@dataclass(frozen=True)
class Summary:
    counts: dict[str, int]
    files: int


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, except that times keep their microseconds: Django's cuts them to
    milliseconds, so a restored row was not the row exported (a time 0.0004 s past a second came
    back on the second)."""

    def default(self, o):
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _label(model) -> str:
    return model._meta.label_lower


def export_newsroom(path: Path, *, with_passwords: bool = False) -> Summary:
    """Write the whole newsroom to `path` (a .zip)."""
    media_root = Path(settings.MEDIA_ROOT)
    counts: dict[str, int] = {}
    with transaction.atomic():
        rows = []
        for model in _models():
            objects = list(model.objects.order_by("pk"))
            counts[_label(model)] = len(objects)
            data = json.loads(
                json.dumps(
                    serializers.serialize("python", objects, use_natural_foreign_keys=True),
                    cls=_ExactJSONEncoder,
                )
            )
            if model is get_user_model():
                for row in data:
                    row["fields"].pop("user_permissions", None)
                    if not with_passwords:
                        row["fields"]["password"] = UNUSABLE_PASSWORD
            rows.extend(data)
        names = sorted({name for image in Image.objects.all() for name in _image_files(image)})
    manifest = {
        "format": FORMAT,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "with_passwords": with_passwords,
        "counts": counts,
        "files": len(names),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        archive.writestr("newsroom.json", json.dumps(rows, ensure_ascii=False, indent=1))
        for name in names:
            source = media_root / name
            if source.is_file():
                archive.write(source, f"media/{name}", compress_type=zipfile.ZIP_STORED)
    partial.replace(path)  # a crash mid-export never leaves a truncated archive under the name
    return Summary(counts, len(names))


def _image_files(image: Image) -> list[str]:
    return [image.file.name, *(r["name"] for r in image.renditions if r.get("name"))]


def site_is_empty() -> bool:
    return not any(model.objects.exists() for model in _models())


def _safe_member(name: str) -> str | None:
    """The media-relative path of an archive member, or None if it would escape the folder."""
    if not name.startswith("media/") or name.endswith("/"):
        return None
    relative = PurePosixPath(name[len("media/") :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        return None
    return relative.as_posix()


def import_newsroom(path: Path) -> Summary:
    """Restore an archive made by `export_newsroom` into an empty site."""
    if not path.is_file():
        raise BackupError(f"There is no archive at {path}.")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise BackupError(f"{path} is not a Newsdesk archive (not a zip file).") from None
    with archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
            rows = archive.read("newsroom.json").decode("utf-8")
        except (KeyError, ValueError):
            raise BackupError(
                f"{path} is not a Newsdesk archive (manifest.json or newsroom.json is missing "
                "or damaged). Make archives with `newsdesk export FILE`."
            ) from None
        if manifest.get("format") != FORMAT:
            raise BackupError(
                f"This archive has format {manifest.get('format')!r}; this Newsdesk reads "
                f"format {FORMAT}. Import it with the Newsdesk version that made it."
            )
        if not site_is_empty():
            raise BackupError(
                "This site already has content (stories, people, images or feed events). "
                "Import restores into an empty site only: point NEWSDESK_DATA_DIR (or "
                "NEWSDESK_DATABASE_URL) at a new one, run `newsdesk migrate`, then import."
            )
        media_root = Path(settings.MEDIA_ROOT)
        written: list[Path] = []
        try:
            with transaction.atomic():
                ensure_roles()
                for item in serializers.deserialize(
                    "python", _with_current_labels(rows), handle_forward_references=True
                ):
                    item.save()
                _reset_sequences()
                for member in archive.namelist():
                    relative = _safe_member(member)
                    if relative is None:
                        continue
                    target = media_root / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(archive.read(member))
                    written.append(target)
        except BaseException:
            for target in written:
                target.unlink(missing_ok=True)
            raise
    from newsdesk.search.index import rebuild

    rebuild()
    return Summary(manifest.get("counts", {}), len(written))


def _with_current_labels(rows: str) -> list[dict]:
    """The archive's rows with the labels of moved models brought up to date."""
    try:
        data = json.loads(rows)
    except ValueError:
        raise BackupError(
            "newsroom.json in this archive is not valid JSON. Make archives with "
            "`newsdesk export FILE`."
        ) from None
    for row in data:
        row["model"] = MOVED_LABELS.get(row.get("model"), row.get("model"))
    return data


def _reset_sequences() -> None:
    """PostgreSQL: make the next id follow the restored ones (SQLite does so by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), _models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
