"""The `newsdesk` commands, the scheduler and the NEWSDESK_* settings."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from newsdesk.config import env, scheduler
from newsdesk.stories import actions
from newsdesk.stories.models import Status, Story
from tests.conftest import PASSWORD

REPO = Path(__file__).resolve().parents[2]


# ── createuser ───────────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_createuser_makes_an_editor_with_an_argon2_hash(monkeypatch):
    """`newsdesk createuser NAME --role editor` with NEWSDESK_PASSWORD makes a working editor."""
    monkeypatch.setenv("NEWSDESK_PASSWORD", PASSWORD)
    out = io.StringIO()
    call_command("createuser", "nightdesk", "--role", "editor", stdout=out)
    user = get_user_model().objects.get(username="nightdesk")
    assert list(user.groups.values_list("name", flat=True)) == ["editor"]
    assert user.password.startswith("argon2")
    assert user.check_password(PASSWORD)
    assert user.has_perm("stories.publish_story")
    assert "Created editor 'nightdesk'" in out.getvalue()


@pytest.mark.django_db
def test_createuser_links_the_account_to_an_author_profile(monkeypatch, editor):
    """`--author SLUG` links the new account to that profile: their stories are bylined to it.
    An unknown or already linked profile is refused, and no account is made."""
    from newsdesk.stories import actions

    monkeypatch.setenv("NEWSDESK_PASSWORD", PASSWORD)
    profile = actions.do_save_author(editor, None, {"name": "Ines Harbour", "slug": "ines"})
    out = io.StringIO()
    call_command("createuser", "ines", "--role", "contributor", "--author", "ines", stdout=out)
    user = get_user_model().objects.get(username="ines")
    assert "bylined as Ines Harbour" in out.getvalue()
    story = actions.do_create_story(user, {"headline": "Dockside notes"})
    assert story.ordered_authors() == [profile]
    with pytest.raises(CommandError, match="already linked"):
        call_command("createuser", "ines2", "--role", "contributor", "--author", "ines")
    with pytest.raises(CommandError, match="no author profile with the address"):
        call_command("createuser", "ines3", "--role", "contributor", "--author", "nobody")
    assert not get_user_model().objects.filter(username__in=["ines2", "ines3"]).exists()


@pytest.mark.django_db
def test_createuser_refuses_an_unknown_role(monkeypatch):
    """A role that does not exist is named in the error, with the ones that do."""
    monkeypatch.setenv("NEWSDESK_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="contributor") as raised:
        call_command("createuser", "someone", "--role", "overlord")
    assert "overlord" in str(raised.value)
    assert not get_user_model().objects.filter(username="someone").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "reason"),
    [("short", "too short"), ("password123", "too common"), ("83920174638291", "numeric")],
)
def test_createuser_refuses_weak_passwords(monkeypatch, password, reason):
    """A weak password is refused with the reason, and no account is made."""
    monkeypatch.setenv("NEWSDESK_PASSWORD", password)
    with pytest.raises(CommandError, match=reason):
        call_command("createuser", "weakling", "--role", "contributor")
    assert not get_user_model().objects.filter(username="weakling").exists()


@pytest.mark.django_db
def test_createuser_refuses_a_taken_name(monkeypatch):
    """User names are unique whatever their case."""
    monkeypatch.setenv("NEWSDESK_PASSWORD", PASSWORD)
    call_command("createuser", "Sam", "--role", "contributor", stdout=io.StringIO())
    with pytest.raises(CommandError, match="already an account"):
        call_command("createuser", "sam", "--role", "editor")


@pytest.mark.django_db
def test_createuser_without_password_or_terminal_says_how(monkeypatch):
    """With no NEWSDESK_PASSWORD and no terminal to prompt on, the error says what to set."""
    monkeypatch.delenv("NEWSDESK_PASSWORD", raising=False)

    def no_terminal(prompt=""):
        raise EOFError

    monkeypatch.setattr("getpass.getpass", no_terminal)
    with pytest.raises(CommandError, match="NEWSDESK_PASSWORD"):
        call_command("createuser", "headless", "--role", "editor")


# ── the scheduler ────────────────────────────────────────────────────────────────────────────


# run_once closes stale connections as the serving process must, which needs real commits.
@pytest.mark.django_db(transaction=True)
def test_scheduler_run_once_publishes_due_stories(editor):
    """The serve loop's single pass publishes what is due and leaves the rest scheduled."""
    due = actions.do_create_story(editor, {"headline": "Due now", "body": "x"})
    later = actions.do_create_story(editor, {"headline": "Due tomorrow", "body": "x"})
    actions.do_schedule_story(editor, due.pk, timezone.now() + dt.timedelta(hours=1))
    actions.do_schedule_story(editor, later.pk, timezone.now() + dt.timedelta(days=1))
    Story.objects.filter(pk=due.pk).update(published_at=timezone.now() - dt.timedelta(seconds=1))
    assert scheduler.run_once() == 1
    assert Story.objects.get(pk=due.pk).status == Status.PUBLISHED
    assert Story.objects.get(pk=later.pk).status == Status.SCHEDULED
    assert scheduler.run_once() == 0


# ── `newsdesk up` ────────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_up_creates_the_editor_once_and_prints_the_login(settings, tmp_path):
    """`newsdesk up --no-serve` makes an editor whose password it prints, the same on re-runs."""
    settings.DATA_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    first, second = io.StringIO(), io.StringIO()
    call_command("up", "--no-demo", "--no-serve", stdout=first)
    call_command("up", "--no-demo", "--no-serve", stdout=second)
    password = (tmp_path / "editor-password").read_text().strip()
    assert f"editor / {password}" in first.getvalue()
    assert f"editor / {password}" in second.getvalue()
    assert (tmp_path / "editor-password").stat().st_mode & 0o077 == 0
    editor = get_user_model().objects.get(username="editor")
    assert editor.check_password(password)
    assert editor.has_perm("stories.publish_story")


@pytest.mark.django_db
def test_up_prints_the_address_it_serves_on_not_only_the_public_one(settings, tmp_path):
    """`NEWSDESK_PORT=8391 make run` must say to open port 8391, not the default site URL."""
    settings.DATA_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    settings.SERVE_HOST, settings.SERVE_PORT = "127.0.0.1", 8391
    settings.SITE_URL = "http://127.0.0.1:8000"
    out = io.StringIO()
    call_command("up", "--no-demo", "--no-serve", stdout=out)
    assert "Readers:  http://127.0.0.1:8391/" in out.getvalue()
    assert "Desk:     http://127.0.0.1:8391/desk/" in out.getvalue()
    assert "Public:   http://127.0.0.1:8000/" in out.getvalue()
    settings.SITE_URL, settings.SERVE_HOST = "http://127.0.0.1:8391", "0.0.0.0"  # noqa: S104
    out = io.StringIO()
    call_command("up", "--no-demo", "--no-serve", stdout=out)
    assert "Readers:  http://127.0.0.1:8391/" in out.getvalue()
    assert "Public:" not in out.getvalue()


# ── settings from the environment ────────────────────────────────────────────────────────────


def test_defaults_serve_one_machine(monkeypatch):
    """With nothing set, every setting has its documented default."""
    for setting in env.SETTINGS:
        monkeypatch.delenv(setting.name, raising=False)
        assert env.get(setting.name) == setting.default


def test_bad_values_raise_config_errors_that_say_how_to_fix(monkeypatch):
    """A wrong yes/no or number names the variable and what it should be."""
    monkeypatch.setenv("NEWSDESK_DEBUG", "perhaps")
    with pytest.raises(env.ConfigError, match=r"NEWSDESK_DEBUG='perhaps'.*true or false"):
        env.get_bool("NEWSDESK_DEBUG")
    monkeypatch.setenv("NEWSDESK_PORT", "eighty")
    with pytest.raises(env.ConfigError, match="NEWSDESK_PORT='eighty' is not a whole number"):
        env.get_int("NEWSDESK_PORT")
    monkeypatch.setenv("NEWSDESK_WORKERS", "0")
    with pytest.raises(env.ConfigError, match="at least 1"):
        env.get_int("NEWSDESK_WORKERS", minimum=1)


def test_every_setting_is_read_only_through_env():
    """Nothing but config/env.py reads os.environ, so the README's table is the whole truth."""
    offenders = []
    for path in (REPO / "newsdesk").rglob("*.py"):
        if path.name == "env.py":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if "DJANGO_SETTINGS_MODULE" in line:  # Django's own bootstrap, not a setting
                continue
            if re.search(r"os\.environ|os\.getenv", line):
                offenders.append(f"{path.relative_to(REPO)}: {line.strip()}")
    assert offenders == []


README = REPO / "README.md"


def test_the_readme_configuration_table_is_the_generated_one():
    """The README's configuration table is exactly what `env.SETTINGS` says (name, default,
    meaning), so documentation and code cannot drift; `make settings-table` rewrites it."""
    text = README.read_text(encoding="utf-8")
    assert env.with_settings_table(text) == text, (
        "README.md's settings table differs from newsdesk/config/env.py: run `make settings-table`"
    )
    assert all(f"| `{s.name}` |" in text for s in env.SETTINGS)


def test_newsdesk_settings_prints_the_table_and_rewrites_a_readme(tmp_path):
    """`newsdesk settings --markdown` prints the table; `--readme` puts it between the markers
    and leaves the rest of the file alone."""
    out = io.StringIO()
    call_command("settings", "--markdown", stdout=out)
    assert out.getvalue().strip() == env.markdown_table()
    readme = tmp_path / "README.md"
    readme.write_text(f"# Top\n{env.README_TABLE_START}\nSTALE ROW\n{env.README_TABLE_END}\nTail\n")
    call_command("settings", "--readme", str(readme), stdout=io.StringIO())
    rewritten = readme.read_text()
    assert rewritten.startswith("# Top\n") and rewritten.endswith("Tail\n")
    assert "STALE ROW" not in rewritten and "| `NEWSDESK_DATA_DIR` | `./var` |" in rewritten
