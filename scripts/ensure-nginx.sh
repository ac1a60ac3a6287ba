#!/usr/bin/env bash
# The nginx tests (tests/scale/) and the page benchmark (bench/pages.py) run Debian's nginx in
# front of `newsdesk serve`, with Debian's Lua module (libnginx-mod-http-lua: the purge
# generations of deploy/nginx.conf); the benchmark also uses Debian's wrk as its load generator.
# Installs what is missing when we are root; otherwise says how, and the nginx tests skip
# (except with CI=true, where they fail). `scripts/ensure-nginx.sh wrk` also installs wrk.
set -u
missing=()
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then missing+=(nginx); fi
if [ ! -e /usr/lib/nginx/modules/ngx_http_lua_module.so ]; then missing+=(libnginx-mod-http-lua); fi
if [ "${1:-}" = "wrk" ] && ! command -v wrk >/dev/null 2>&1; then missing+=(wrk); fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's ${missing[*]} for the nginx tests and the page benchmark…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  status=$?
  # Debian starts the packaged nginx on port 80; the tests run their own, so stop that one.
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now nginx >/dev/null 2>&1; fi
  exit $status
fi
echo "${missing[*]} missing: install it (sudo apt-get install ${missing[*]}) to run the nginx tests."
