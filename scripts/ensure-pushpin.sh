#!/usr/bin/env bash
# The push-tier tests (tests/scale/test_pushpin.py) and `bench/live_fanout.py --push pushpin` run
# Debian's Pushpin (with its zurl and condure) in front of `newsdesk serve`. Installs it when it is
# missing and we are root; otherwise says how, and those tests skip (except with CI=true, where
# they fail). Debian enables a system-wide pushpin service on port 7999: the tests run their own
# instances, so that one is stopped and disabled again.
set -u
command -v pushpin >/dev/null 2>&1 && command -v zurl >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's pushpin for the push-tier tests…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pushpin >/dev/null
  status=$?
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now pushpin >/dev/null 2>&1; fi
  exit $status
fi
echo "pushpin missing: install it (sudo apt-get install pushpin) to run the push-tier tests."
