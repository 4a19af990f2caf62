#!/bin/sh
# Debian/Ubuntu packages the build needs: CJK and Kai faces, HarfBuzz's subsetter (WeasyPrint
# subsets fonts 20x faster with it), Java for EPUBCheck, a CMYK ICC profile for PDF/X (libgs-common).
# Installed with apt-get when run as root.
set -eu
PACKAGES="fonts-noto-cjk fonts-arphic-ukai fonts-dejavu-core libharfbuzz-subset0 libgs-common default-jre-headless"

missing=""
for pkg in $PACKAGES; do
  if [ "$pkg" = default-jre-headless ] && command -v java >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages:$missing" >&2
  echo "install them with: sudo apt-get install -y$missing" >&2
  exit 1
fi
command -v apt-get >/dev/null 2>&1 || { echo "no apt-get here; install:$missing" >&2; exit 1; }
echo "installing system packages:$missing"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fc-cache -f >/dev/null 2>&1 || true
