#!/bin/sh
# DAISY Ace for `make check`: Node.js, npm and Debian's chromium (as root, installed with apt-get),
# then the pinned @daisy/ace-cli tree in tools/ace/node_modules. Puppeteer's own browser download
# is skipped: Ace drives /usr/bin/chromium through PUPPETEER_EXECUTABLE_PATH (zhpress/ace.py).
set -eu
cd "$(dirname "$0")/ace"

missing=""
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing="$missing chromium"
if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "DAISY Ace needs:$missing (install them with: sudo apt-get install -y$missing)" >&2
    exit 1
  fi
  echo "installing system packages for DAISY Ace:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# ace-cli 1.4 wants Node 20 or later (Debian 12's nodejs is 18: it warns and still runs).
PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
touch node_modules/.installed
