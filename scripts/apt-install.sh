#!/usr/bin/env bash
# Installs the Debian packages named, if any is missing (one apt-get update first); quick when
# all are installed. CI uses it for chromium (the browser test); run as root.
#   scripts/apt-install.sh chromium
set -euo pipefail
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "installed already: $*"
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
