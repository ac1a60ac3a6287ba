"""Make tests/imports/fixtures/ghost-6-export.json: a real export of the Ghost 6 that the Ghost
peer installs (ghost_peer.py), for the import tests.

    .venv/bin/python bench/peers/ghost/make_export_fixture.py [--var DIR]

Boots Ghost on a fresh site (a temporary folder), sets it up through its admin API (owner with
a bio), uploads an image, adds tags (one internal), four posts (published with a feature image
and its alt text and caption, a draft, a members-only one, a scheduled one) and a page, then
asks Ghost for its own export (`GET /ghost/api/admin/db/`). Ghost's first boot adds its sample
post and page; they stay, as in any real export. The owner's password hash is blanked. The
uploaded image is copied next to the export (`ghost-6-images/`, for `--media`). `--var` names
another install of the peer (e.g. the main checkout's var/peers/ghost), used read-only.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import json
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ghost_peer as g

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "imports" / "fixtures"
EMAIL, PASSWORD = "ines@example.org", "harbour-ferry-2026-export"  # a throwaway instance's

BODY = (
    "<p>The <strong>Lindenhav</strong> harbour ferry sails again from Monday, after four months "
    "in dry dock.</p><h2>New timetable</h2><p>Departures every <em>twenty minutes</em> at peak "
    'hours; see the <a href="https://example.org/timetable">full timetable</a>.</p>'
    '<figure><img src="{image}" alt="The ferry\'s upper deck"><figcaption>The repainted upper '
    "deck.</figcaption></figure><blockquote><p>We missed the morning crossing more than we "
    "expected.</p></blockquote><ul><li>Weekdays: 06:00–22:00</li><li>Weekends: 08:00–20:00</li>"
    "</ul><p>Tickets are unchanged.</p>"
)


class Admin:
    """Ghost's admin API with a session cookie."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def call(self, method: str, path: str, data=None, raw=None, ctype="application/json"):
        body = raw if raw is not None else json.dumps(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path,
            data=body,
            method=method,
            headers={"Origin": self.base, "Content-Type": ctype, "Accept-Version": "v6.0"},
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                text = response.read()
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{method} {path}: {error.code} {error.read()[:500]!r}") from None
        try:
            return json.loads(text) if text else None
        except ValueError:
            return text  # "Created" for a session

    def upload(self, name: str, data: bytes) -> str:
        boundary = uuid.uuid4().hex
        raw = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        raw += data + f"\r\n--{boundary}--\r\n".encode()
        answer = self.call(
            "POST", "/ghost/api/admin/images/upload/", raw=raw,
            ctype=f"multipart/form-data; boundary={boundary}",
        )  # fmt: skip
        return answer["images"][0]["url"]


def fill(admin: Admin) -> None:
    admin.call("POST", "/ghost/api/admin/authentication/setup/", {"setup": [
        {"name": "Ines Varga", "email": EMAIL, "password": PASSWORD,
         "blogTitle": "Lindenhav Harbour News"}]})  # fmt: skip
    admin.call("POST", "/ghost/api/admin/session/", {"username": EMAIL, "password": PASSWORD})
    me = admin.call("GET", "/ghost/api/admin/users/me/")["users"][0]
    admin.call("PUT", f"/ghost/api/admin/users/{me['id']}/", {"users": [
        {"bio": "Ines covers the harbour and the islands.", "slug": "ines"}]})  # fmt: skip
    picture = io.BytesIO()
    Image.new("RGB", (320, 200), (20, 80, 140)).save(picture, "JPEG")
    image = admin.upload("ferry.jpg", picture.getvalue())
    for tag in ({"name": "Transport", "description": "Ferries, buses and roads."},
                {"name": "#newsletter"}):  # fmt: skip
        admin.call("POST", "/ghost/api/admin/tags/", {"tags": [tag]})
    posts = [
        {"title": "Harbour ferry returns after winter repairs", "slug": "harbour-ferry-returns",
         "html": BODY.format(image=image), "status": "published",
         "published_at": "2026-03-02T07:15:00.000Z",
         "custom_excerpt": "Four months in dry dock, and a new timetable.",
         "feature_image": image, "feature_image_alt": "The ferry leaving the harbour at dawn",
         "feature_image_caption": "The ferry on its first crossing.",
         "tags": [{"name": "Transport"}, {"name": "Harbour"}, {"name": "#newsletter"}]},
        {"title": "Council budget draft (notes)", "slug": "council-budget-draft",
         "html": "<p>Notes for the budget story, not ready yet.</p>", "status": "draft"},
        {"title": "Members' briefing: what the port expansion means",
         "slug": "members-briefing-port", "html": "<p>An analysis for members.</p>",
         "status": "published", "visibility": "members",
         "published_at": "2026-03-04T12:00:00.000Z", "tags": [{"name": "Harbour"}]},
        {"title": "Spring market opens next week", "slug": "spring-market",
         "html": "<p>Stalls return to the old square.</p>", "status": "scheduled",
         "published_at": "2099-04-01T06:00:00.000Z"},
    ]  # fmt: skip
    for post in posts:
        admin.call("POST", "/ghost/api/admin/posts/?source=html", {"posts": [post]})
    admin.call("POST", "/ghost/api/admin/pages/?source=html", {"pages": [
        {"title": "About us", "html": "<p>We report on Lindenhav.</p>",
         "status": "published"}]})  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var", type=Path, default=g.VAR, help="the peer's install folder")
    args = parser.parse_args()
    g.VAR = args.var
    write_config = g.write_config

    def without_device_verification(site: Path, port: int) -> None:
        write_config(site, port)  # and no e-mailed code for a new device's login
        path = site / "config.production.json"
        config = json.loads(path.read_text())
        config["security"] = {"staffDeviceVerification": False}
        path.write_text(json.dumps(config))

    g.write_config = without_device_verification
    site = Path(tempfile.mkdtemp(prefix="ghost-export-fixture-")) / "site"
    g.make_site(site, g.install())
    port = g.free_port()
    process = g.serve(site, port)
    try:
        admin = Admin(f"http://127.0.0.1:{port}")
        fill(admin)
        export = admin.call("GET", "/ghost/api/admin/db/")
    finally:
        g.stop(process)
    for user in export["db"][0]["data"]["users"]:
        user["password"] = ""
    out = FIXTURES / "ghost-6-export.json"
    out.write_text(json.dumps(export, indent=1, ensure_ascii=False) + "\n")
    images = FIXTURES / "ghost-6-images"
    shutil.rmtree(images, ignore_errors=True)
    for path in (site / "content" / "images").rglob("*.jpg"):
        if not path.stem.endswith("_o"):  # Ghost keeps the original beside it as name_o.jpg
            target = images / path.relative_to(site / "content" / "images")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    shutil.rmtree(site.parent, ignore_errors=True)
    print(f"Wrote {out} (Ghost {export['db'][0]['meta']['version']}) and {images}")


if __name__ == "__main__":
    main()
