#!/bin/sh
# pot.sh OUT: the message template (po/complaint.pot) from the sources,
# to OUT.  No line numbers, sorted by msgid, no creation date: the
# template changes only when the messages do (tests/t/t8100-i18n.sh
# checks that po/complaint.pot is what this gives).
#
# Keywords: _() messages, Q_() plurals, N_() marks in tables, T_() and
# cp_tr() report labels, the help of the OPT_*_() option tables.
set -eu
cd "$(dirname "$0")/.."
out=$1
find cmd lib include -name '*.[ch]' | LC_ALL=C sort >"$out.files"
xgettext --from-code=UTF-8 --language=C --no-location --sort-output \
	--add-comments=TRANSLATORS: --package-name=complaint \
	--package-version="$(sed -n 's/^VERSION *= *//p' Makefile)" \
	--msgid-bugs-address="the maintainers of complaint" \
	-k_ -kN_ -kQ_:1,2 -kT_:2 -kcp_tr:2 -kcp_trn:2,3 \
	-kOPT_BOOL_:2 -kOPT_BOOLS_:3 -kOPT_STR_:3 -kOPT_STRC_:3 -kOPT_LIST_:3 -kOPT_LISTC_:3 \
	-f "$out.files" -o - |
	sed -e '/^"POT-Creation-Date: /d' -e 's/charset=CHARSET/charset=UTF-8/' >"$out.tmp"
rm -f "$out.files"
mv "$out.tmp" "$out"
