#!/bin/sh
# Installs Debian's chromium (for the disclosure site's browser test) and a
# small CJK font (so screenshots of the Chinese pages show characters, not
# boxes) when they are missing. Idempotent; needs root (apt-get).
set -eu

need=""
[ -x /usr/bin/chromium ] || need="$need chromium"
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
	need="$need fonts-wqy-microhei"
fi
[ -n "$need" ] || exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "ensure-chromium: need root to install:$need (run: sudo $0)" >&2
	exit 1
fi
echo "ensure-chromium: installing$need"
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086 # word splitting of the package list is wanted
apt-get install -y --no-install-recommends $need
