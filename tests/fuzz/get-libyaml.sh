#!/bin/sh
# get-libyaml.sh DIR - libyaml's own source, for the fuzz targets, into
# DIR/libyaml/ (src/ and include/), with DIR/libyaml/version.
#
# The version is the one this machine's libyaml-dev is (Debian's source
# package, the same one the system library was built from), fetched with
# `apt-get source --download-only` through a private apt configuration
# under DIR/apt: the mirrors apt already uses, as deb-src entries.  The
# system's apt sources are not changed.  The upstream tarball is unpacked
# with tar (Debian carries no patches for it), so dpkg-dev is not needed.
#
# Never copy the result into the repository: make fuzz fetches it.
set -eu
mkdir -p "$1"
dir=$(cd "$1" && pwd)	# apt reads relative paths from /etc/apt
out=$dir/libyaml
if test -f "$out/version" && test -d "$out/src" && test -f "$out/include/yaml.h"; then
	exit 0
fi
ver=$(dpkg-query -W -f='${Version}' libyaml-dev 2>/dev/null || true)
apt=$dir/apt
rm -rf "$apt"
mkdir -p "$apt/lists/partial" "$apt/parts" "$apt/download"
: >"$apt/sources.list"
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
	test -f "$f" && sed -n 's/^deb \(.*\)/deb-src \1/p' "$f" >>"$apt/sources.list"
done
n=0
for f in /etc/apt/sources.list.d/*.sources; do
	test -f "$f" || continue
	n=$((n + 1))
	sed 's/^Types:.*/Types: deb-src/' "$f" >"$apt/parts/$n.sources"
done
set -- -q -o Dir::Etc::SourceList="$apt/sources.list" \
	-o Dir::Etc::SourceParts="$apt/parts" -o Dir::State::Lists="$apt/lists" \
	-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root
echo "get-libyaml: fetching the source of libyaml ${ver:-(newest)} with apt-get source"
apt-get "$@" update >"$apt/update.log" 2>&1 || {
	cat "$apt/update.log" >&2
	echo "get-libyaml: apt-get update of the deb-src entries failed" >&2
	exit 1
}
(cd "$apt/download" &&
 if test -n "$ver"; then
	apt-get "$@" source --download-only "libyaml=$ver"
 else
	apt-get "$@" source --download-only libyaml
 fi) >"$apt/source.log" 2>&1 || {
	cat "$apt/source.log" >&2
	echo "get-libyaml: apt-get source libyaml failed" >&2
	exit 1
}
tarball=$(ls "$apt"/download/libyaml_*.orig.tar.* | head -1)
rm -rf "$apt/unpack" "$out"
mkdir -p "$apt/unpack" "$out"
tar -xf "$tarball" -C "$apt/unpack"
src=$(ls -d "$apt"/unpack/*/ | head -1)
cp -r "$src/src" "$src/include" "$out/"
basename "$tarball" | sed 's/^libyaml_\(.*\)\.orig\.tar\..*/\1/' >"$out/version"
echo "get-libyaml: libyaml $(cat "$out/version") in $out"
