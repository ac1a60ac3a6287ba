"""`newsdesk export` and `newsdesk import`: a newsroom survives the trip to an archive and back.

Each site is its own data folder driven through the `newsdesk` command in a child process, as an
admin would do it: build the demo newsroom, export, import into a fresh site, export again, and
the two archives hold the same rows and the same image bytes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.servers import ROOT, migrated, run_newsdesk

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def _site(tmp_path: Path, name: str) -> dict:
    folder = tmp_path / name
    folder.mkdir()
    environ = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(folder),
        "NEWSDESK_SITE_URL": "http://127.0.0.1:8171",
        "DJANGO_SETTINGS_MODULE": "newsdesk.config.settings",
    }
    environ.pop("NEWSDESK_DATABASE_URL", None)
    migrated.prepare(environ)
    return environ


def _shell(environ: dict, code: str) -> str:
    return run_newsdesk(environ, "shell", "--no-imports", "--command", code).stdout


def _contents(archive: Path) -> tuple[list, dict[str, bytes], dict]:
    with zipfile.ZipFile(archive) as zipped:
        rows = json.loads(zipped.read("newsroom.json"))
        files = {n: zipped.read(n) for n in zipped.namelist() if n.startswith("media/")}
        manifest = json.loads(zipped.read("manifest.json"))
    return rows, files, manifest


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory) -> tuple[Path, dict]:
    tmp_path = tmp_path_factory.mktemp("backup")
    source = _site(tmp_path, "source")
    _shell(
        source,
        "from newsdesk.demo.build import build_demo_newsroom; r = build_demo_newsroom(stories=40); "
        # A live coverage whose pinned entry is a row after it (a forward reference on import).
        "from newsdesk.stories import actions; "
        "c = actions.do_create_story(r.editor, {'headline': 'Backup: live', 'kind': 'live'}); "
        "actions.do_publish_story(r.editor, c.pk); "
        "e = actions.do_post_entry(r.editor, c.pk, {'body': 'An entry.'}); "
        "actions.do_set_key_event(r.editor, e.pk, True); "
        "actions.do_set_pinned_entry(r.editor, e.pk, True)",
    )
    archive = tmp_path / "newsroom.zip"
    output = run_newsdesk(source, "export", str(archive)).stdout
    assert "Exported" in output
    return archive, source


def test_an_exported_newsroom_imports_into_an_empty_site_unchanged(demo_archive, tmp_path):
    """Export → import into a fresh database → export again: the same rows (stories, revisions,
    corrections, desk notes, authors, topics, images, feed events, accounts) and the same image
    bytes."""
    archive, _source = demo_archive
    rows, files, manifest = _contents(archive)
    counts = manifest["counts"]
    assert counts["stories.story"] >= 40
    assert counts["stories.revision"] > counts["stories.story"]
    assert counts["stories.feedevent"] > 0 and counts["stories.image"] > 0
    assert counts["stories.author"] > 0 and counts["stories.topic"] > 0
    assert counts["stories.storynote"] > 0  # the demo's draft in review has a desk note
    assert len(files) == manifest["files"] > 0
    target = _site(tmp_path, "target")
    assert "Imported" in run_newsdesk(target, "import", str(archive)).stdout
    again = tmp_path / "again.zip"
    run_newsdesk(target, "export", str(again))
    rows_again, files_again, _ = _contents(again)
    assert rows_again == rows
    assert files_again == files
    # The restored site works: search finds a published story, new ids follow the old ones.
    probe = (
        "from newsdesk.search.queries import search_stories; "
        "from newsdesk.stories.models import Story; "
        "from newsdesk.stories import actions; "
        "from django.contrib.auth import get_user_model; "
        "s = Story.objects.filter(status='published').exclude(kind='entry').first(); "
        "word = s.headline.split()[0]; "
        "found = [h.story.pk for h in search_stories(word).hits]; "
        "from newsdesk.stories.accounts import do_create_user; "
        "u = do_create_user(None, 'restorer', 'Correct-Horse-Battery-9', 'editor'); "
        "new = actions.do_quick_post(u, 'After the restore', 'Words.'); "
        "older = Story.objects.exclude(pk=new.pk).values_list('pk', flat=True); "
        "print(s.pk in found, new.pk > max(older))"
    )
    assert _shell(target, probe).split()[-2:] == ["True", "True"]


def test_passwords_stay_out_unless_asked_for(demo_archive, tmp_path):
    """By default no password hash is in the archive; with --with-passwords they are."""
    archive, source = demo_archive
    rows, _, manifest = _contents(archive)
    users = [r for r in rows if r["model"] == "auth.user"]
    assert users and manifest["with_passwords"] is False
    assert all(not u["fields"]["password"].startswith(("argon2", "pbkdf2")) for u in users)
    with_hashes = tmp_path / "with.zip"
    run_newsdesk(source, "export", str(with_hashes), "--with-passwords")
    rows, _, _ = _contents(with_hashes)
    assert any(
        r["fields"]["password"].startswith("argon2") for r in rows if r["model"] == "auth.user"
    )


def test_import_refuses_a_site_with_content_and_changes_nothing(demo_archive):
    """Importing into the site it came from is refused with a message saying what to do."""
    archive, source = demo_archive
    before = _shell(
        source, "from newsdesk.stories.models import Story; print(Story.objects.count())"
    )
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk.config.cli", "import", str(archive)],
        env=source,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "already has content" in result.stderr
    assert "Traceback" not in result.stderr
    after = _shell(
        source, "from newsdesk.stories.models import Story; print(Story.objects.count())"
    )
    assert before == after


def test_import_refuses_a_file_that_is_not_an_archive(tmp_path):
    """A random file, or a zip whose members try to climb out of the media folder, is refused
    or ignored without writing outside the data folder."""
    target = _site(tmp_path, "empty")
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip at all")
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk.config.cli", "import", str(junk)],
        env=target,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "not a Newsdesk archive" in result.stderr
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zipped:
        zipped.writestr("manifest.json", json.dumps({"format": 1, "counts": {}}))
        zipped.writestr("newsroom.json", "[]")
        zipped.writestr("media/../../escaped.txt", "x")
    run_newsdesk(target, "import", str(evil))
    assert not (tmp_path / "escaped.txt").exists()
    assert not (Path(target["NEWSDESK_DATA_DIR"]) / "escaped.txt").exists()


def test_an_archive_made_before_models_moved_to_stories_still_imports(demo_archive, tmp_path):
    """Archives of the same format written when feed events belonged to the `live` app and images
    to `media` (rows labelled `live.feedevent`, `media.image`) restore every feed event and image,
    so readers can still resume and stories keep their photos."""
    archive, _source = demo_archive
    rows, files, manifest = _contents(archive)
    events = sum(1 for row in rows if row["model"] == "stories.feedevent")
    images = sum(1 for row in rows if row["model"] == "stories.image")
    old = {"stories.feedevent": "live.feedevent", "stories.image": "media.image"}
    for row in rows:
        row["model"] = old.get(row["model"], row["model"])
    old = tmp_path / "old-labels.zip"
    with zipfile.ZipFile(old, "w") as zipped:
        zipped.writestr("manifest.json", json.dumps(manifest))
        zipped.writestr("newsroom.json", json.dumps(rows))
        for name, data in files.items():
            zipped.writestr(name, data)
    target = _site(tmp_path, "target")
    run_newsdesk(target, "import", str(old))
    restored = _shell(
        target,
        "from newsdesk.stories.models import FeedEvent, Image; "
        "print(FeedEvent.objects.count(), Image.objects.count())",
    )
    assert events > 0 and images > 0
    assert restored.split()[-2:] == [str(events), str(images)]
