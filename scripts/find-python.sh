#!/usr/bin/env bash
# Prints the newest Python interpreter >= 3.12 found on PATH or through pyenv, or nothing.
# pyenv's shims only answer with PYENV_VERSION set, so installed pyenv versions are asked directly.
set -u
ok() { "$@" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for name in python3.14 python3.13 python3.12; do
  if command -v "$name" >/dev/null 2>&1 && ok "$name"; then command -v "$name"; exit 0; fi
done
root="${PYENV_ROOT:-$HOME/.pyenv}"
if [ -d "$root/versions" ]; then
  for dir in $(ls -1 "$root/versions" | grep -E '^3\.[0-9]+\.[0-9]+$' | sort -t. -k1,1nr -k2,2nr -k3,3nr); do
    candidate="$root/versions/$dir/bin/python3"
    if [ -x "$candidate" ] && ok "$candidate"; then echo "$candidate"; exit 0; fi
  done
fi
if command -v python3 >/dev/null 2>&1 && ok python3; then command -v python3; fi
