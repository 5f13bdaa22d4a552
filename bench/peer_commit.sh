#!/bin/sh
# bench/peer_commit.sh DIR - the peer of `complaint new`: write one case
# file by hand and `git add && git commit` it, as a user without the tool
# would.  The file is a copy of the store's first case under a new ID.
set -eu
cd "$1"
tmpl=$(find cases -name "*.yaml" -print -quit)
id=C-20261101-$(od -An -N5 -tx1 /dev/urandom | tr -d ' \n' | tr 'a-f' 'A-F')
mkdir -p cases/2026/11
sed "s/^id: .*/id: $id/" "$tmpl" > "cases/2026/11/$id.yaml"
git add "cases/2026/11/$id.yaml"
git commit -qm "new $id"
