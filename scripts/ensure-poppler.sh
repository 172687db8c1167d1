#!/usr/bin/env bash
# Makes sure poppler's command-line tools (pdfunite, pdfinfo, pdftotext, pdftoppm) are present for
# the printed reports and their tests, installing Debian's poppler-utils when they are
# missing and this user can (root with apt-get). Messages go to stderr.
set -euo pipefail

if command -v pdfunite > /dev/null && command -v pdfinfo > /dev/null && command -v pdftotext > /dev/null && command -v pdftoppm > /dev/null; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
  echo "ensure-poppler: installing Debian's poppler-utils (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq poppler-utils > /dev/null
  exit 0
fi
echo "ensure-poppler: no pdfunite/pdfinfo/pdftotext/pdftoppm: install poppler-utils (sudo apt-get install poppler-utils)" >&2
exit 1
