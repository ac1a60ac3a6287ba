#!/usr/bin/env bash
# The HTML tests check reader pages with the Nu Html Checker (vnu.jar, the W3C's validator), which
# runs on Java. Installs Debian's headless Java when it is missing and we are root, and fetches
# vnu.jar (npm's `vnu-jar` package, a pinned version checked against its SHA-256) into var/tools/.
# Without them the test says why and skips (except with CI=true, where it fails).
#   usage: scripts/ensure-vnu.sh        → prints nothing when ready
set -u
VERSION=26.9.27
SHA256=5970d3ffca91a627cf0965e5d91bb2e4242307c29292998de0b419d6a901b2b7
DIR="var/tools/vnu-$VERSION"
URL="https://registry.npmjs.org/vnu-jar/-/vnu-jar-$VERSION.tgz"

if ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's headless Java for the HTML validity tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
  else
    echo "java is missing: install it (sudo apt-get install default-jre-headless) to validate HTML."
  fi
fi

if [ ! -f "$DIR/vnu.jar" ]; then
  mkdir -p "$DIR"
  archive="$DIR/vnu-jar.tgz"
  echo "Fetching vnu.jar $VERSION for the HTML validity tests…"
  if ! curl -fsSL --retry 2 -o "$archive" "$URL"; then
    echo "Could not download $URL; the HTML validity tests will skip." && rm -f "$archive" && exit 0
  fi
  if ! echo "$SHA256  $archive" | sha256sum -c --quiet -; then
    echo "vnu-jar-$VERSION.tgz does not match its pinned SHA-256; not using it." && rm -f "$archive" && exit 1
  fi
  tar -xzf "$archive" -C "$DIR" --strip-components=3 package/build/dist/vnu.jar && rm -f "$archive"
fi
