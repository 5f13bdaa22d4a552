#!/bin/sh
# Install what is missing for building (build) or for building and
# testing (test), or for the benchmark too (bench), with apt-get when we can (root or sudo).
set -e
pkgs="gcc make pkg-config libyaml-dev libgit2-dev libssl-dev libutf8proc-dev tzdata gettext"
if [ "$1" = test ] || [ "$1" = bench ]; then
	pkgs="$pkgs libcmocka-dev git python3 python3-yaml python3-markdown cmark-gfm jq mandoc man-db groff-base strace valgrind chromium fonts-noto-cjk openssh-server openssh-client zsh poppler-utils"
fi
if [ "$1" = bench ]; then
	pkgs="$pkgs hyperfine"
fi
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" = 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
else
	echo "missing packages:$missing (run as root, or install them: apt-get install$missing)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || true
$SUDO apt-get install -y -qq --no-install-recommends $missing
