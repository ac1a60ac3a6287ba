#!/usr/bin/env bash
# Browser tests drive Debian's chromium through Playwright (never `playwright install`: no internet).
# Installs it when missing and we are root; otherwise says how, and the browser tests skip
# (except with CI=true, where they fail).
set -u
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit $?
fi
echo "chromium is missing: install it (sudo apt-get install chromium) to run the browser tests."
