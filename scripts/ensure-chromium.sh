#!/usr/bin/env bash
# Prints the path of a chromium for the browser tests, installing Debian's package when
# it is missing and this user can (root with apt-get); else $CHROMIUM_PATH. Never
# downloads a browser build of its own. Messages go to stderr, the path to stdout.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo /usr/bin/chromium
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
  echo "ensure-chromium: installing Debian's chromium (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium > /dev/null
  echo /usr/bin/chromium
  exit 0
fi
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then
  echo "$CHROMIUM_PATH"
  exit 0
fi
echo "ensure-chromium: no chromium: install it (sudo apt-get install chromium) or set CHROMIUM_PATH to a chromium binary" >&2
exit 1
