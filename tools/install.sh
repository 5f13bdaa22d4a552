#!/bin/sh
# install.sh install|uninstall - what 'make install' and 'make uninstall' do.
#
# The Makefile passes DESTDIR, PREFIX, bindir, datadir, mandir, sharedir,
# BIN (the built binary) and B (the build folder).  install copies
#
#   BIN                         $bindir/complaint
#   man/*.1, man/*.5            $mandir/man1/, $mandir/man5/
#   B/complaint.bash            $datadir/bash-completion/completions/complaint
#   B/_complaint                $datadir/zsh/site-functions/_complaint
#   policy/*.yaml, NOTES        $sharedir/policy/
#   policy/rosters/*.yaml       $sharedir/policy/rosters/
#   templates/ (when present)   $sharedir/templates/
#   B/po/LANG.mo (from po/*.po) $datadir/locale/LANG/LC_MESSAGES/complaint.mo
#
# each under DESTDIR, and writes the list of the files it put (without
# DESTDIR) to $sharedir/installed-files.  uninstall removes the files on
# that list, the list, and then the folders of ours that are left empty
# ($sharedir and below); shared folders (man1, bin, completions) stay.
set -eu

: "${DESTDIR=}" "${PREFIX:?}" "${bindir:?}" "${datadir:?}" "${mandir:?}" "${sharedir:?}"
: "${BIN:=build/complaint}" "${B:=build}"
list=$sharedir/installed-files
cd "$(dirname "$0")/.."

# put MODE SRC DEST: install one file, and note it
put () {
	install -d "$DESTDIR$(dirname "$3")"
	install -m "$1" "$2" "$DESTDIR$3"
	printf '%s\n' "$3" >>"$DESTDIR$list.tmp"
}

case ${1:-} in
install)
	test -x "$BIN" || { echo "install.sh: no binary at $BIN (run make)" >&2; exit 1; }
	install -d "$DESTDIR$sharedir"
	: >"$DESTDIR$list.tmp"
	put 755 "$BIN" "$bindir/complaint"
	for f in man/*.1; do put 644 "$f" "$mandir/man1/${f#man/}"; done
	for f in man/*.5; do put 644 "$f" "$mandir/man5/${f#man/}"; done
	if test -f "$B/complaint.bash"; then
		put 644 "$B/complaint.bash" "$datadir/bash-completion/completions/complaint"
	fi
	if test -f "$B/_complaint"; then
		put 644 "$B/_complaint" "$datadir/zsh/site-functions/_complaint"
	fi
	for f in policy/*.yaml policy/NOTES-seeds.md; do
		put 644 "$f" "$sharedir/$f"
	done
	for f in policy/rosters/*.yaml; do put 644 "$f" "$sharedir/$f"; done
	if test -d templates; then
		find templates -type f | LC_ALL=C sort | while read -r f; do
			put 644 "$f" "$sharedir/$f"
		done
	fi
	for f in "$B"/po/*.mo; do
		test -f "$f" || continue
		lang=$(basename "$f" .mo)
		put 644 "$f" "$datadir/locale/$lang/LC_MESSAGES/complaint.mo"
	done
	printf '%s\n' "$list" >>"$DESTDIR$list.tmp"
	mv "$DESTDIR$list.tmp" "$DESTDIR$list"
	echo "installed $(wc -l <"$DESTDIR$list") files under $DESTDIR$PREFIX (listed in $list)"
	;;
uninstall)
	if ! test -f "$DESTDIR$list"; then
		echo "uninstall.sh: nothing to uninstall: no $DESTDIR$list" >&2
		exit 1
	fi
	n=0
	while read -r f; do
		case $f in
		"$PREFIX"/*) ;;
		*) echo "uninstall: skipping '$f': not under $PREFIX" >&2; continue ;;
		esac
		if test -f "$DESTDIR$f" || test -L "$DESTDIR$f"; then
			rm -f "$DESTDIR$f"
			n=$((n + 1))
		fi
	done <"$DESTDIR$list"
	# our folders, deepest first; rmdir leaves any that still hold something
	if test -d "$DESTDIR$sharedir"; then
		find "$DESTDIR$sharedir" -depth -type d -exec rmdir {} + 2>/dev/null || true
	fi
	echo "removed $n files from $DESTDIR$PREFIX"
	;;
*)
	echo "usage: install.sh install|uninstall (run by make install, make uninstall)" >&2
	exit 2
	;;
esac
