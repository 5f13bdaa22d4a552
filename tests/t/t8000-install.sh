#!/bin/sh
test_description='make install and uninstall, PREFIX and DESTDIR, complaint help

make install builds the binary for its PREFIX (in a build folder of the
test'"'"'s own, so the binary under test is never touched) and puts the
binary, the manual, the shipped policies and rosters under PREFIX; the
installed binary finds its share folder and pages beside itself (a
DESTDIR copy) or at the PREFIX it was built for (a copy moved away);
make uninstall removes exactly what install put.'
. "$(dirname "$0")/test-lib.sh"

B=$TRASH_DIRECTORY/build
P=$TRASH_DIRECTORY/prefix
D=$TRASH_DIRECTORY/dest

# mk ARGS...: make in the source tree with our build folder, quietly
mk () {
	make -s -C "$TEST_ROOT" B="$B" CFLAGS="-O0 -g" "$@" >make.out 2>&1 || {
		cat make.out >&2
		return 1
	}
}

test_expect_success 'make install PREFIX=P builds and installs' '
	mk PREFIX="$P" install &&
	test_path_is_file "$P/bin/complaint" &&
	test -x "$P/bin/complaint" &&
	for f in "$TEST_ROOT"/man/*.1; do
		test_cmp "$f" "$P/share/man/man1/${f##*/}" || return 1
	done &&
	test_cmp "$TEST_ROOT/man/complaint-case.5" "$P/share/man/man5/complaint-case.5" &&
	test_cmp "$TEST_ROOT/man/complaint-policy.5" "$P/share/man/man5/complaint-policy.5" &&
	for p in default manufacturer service-desk hospital company; do
		test_cmp "$TEST_ROOT/policy/$p.yaml" "$P/share/complaint/policy/$p.yaml" || return 1
	done &&
	for r in "$TEST_ROOT"/policy/rosters/*.yaml; do
		test_cmp "$r" "$P/share/complaint/policy/rosters/${r##*/}" || return 1
	done &&
	for t in apology reply; do
		test_cmp "$TEST_ROOT/templates/$t.md" "$P/share/complaint/templates/$t.md" || return 1
	done &&
	test_path_is_file "$P/share/complaint/installed-files"
'

test_expect_success 'the installed binary fills the installed letter templates' '
	"$P/bin/complaint" --now 2026-11-01T09:00 init s-letter >/dev/null &&
	id=$(cd s-letter && "$P/bin/complaint" --actor 客服中心/赵六 --now 2026-11-01T09:00 new \
		--customer 王先生 --channel phone --category service --summary 上菜慢) &&
	(cd s-letter && test_expect_code 1 "$P/bin/complaint" --now 2026-11-01T10:00 letter $id --template reply) 2>err &&
	test_grep -F "{{resolve.text}}" err &&
	(cd s-letter &&
	 "$P/bin/complaint" --actor 客服中心/赵六 --now 2026-11-01T09:01 assign $id --department 餐饮部 >/dev/null &&
	 "$P/bin/complaint" --actor 客服中心/赵六 --now 2026-11-01T09:30 resolve $id --text 已致歉 --cause 人手不足 --action 增加排班 >/dev/null &&
	 "$P/bin/complaint" --now 2026-11-01T10:00 letter $id --template reply) >letter &&
	test_grep -F "王先生先生／女士：" letter &&
	test_grep -F "处理结果：已致歉" letter
'

test_expect_success 'the list of installed files is exactly what is there' '
	(cd "$P" && find . -type f | sed "s|^\.|$P|" | LC_ALL=C sort) >expect &&
	LC_ALL=C sort "$P/share/complaint/installed-files" >actual &&
	test_cmp expect actual
'

test_expect_success 'the installed binary runs; man -M finds its pages' '
	"$P/bin/complaint" --version >out &&
	test_grep "^complaint " out &&
	man -M "$P/share/man" complaint-new >page 2>err &&
	test_grep "complaint-new" page &&
	test_grep -- "--customer" page &&
	man -M "$P/share/man" 5 complaint-case >page &&
	test_grep "COMPLAINT-CASE(5)" page &&
	man -M "$P/share/man" complaint-help >page &&
	test_grep "COMPLAINT-HELP(1)" page
'

test_expect_success 'complaint help CMD shows the installed page (man, MANPATH from PREFIX)' '
	"$P/bin/complaint" help new >out &&
	test_grep "COMPLAINT-NEW(1)" out &&
	test_grep -- "--customer" out &&
	"$P/bin/complaint" help case >out &&
	test_grep "COMPLAINT-CASE(5)" out &&
	"$P/bin/complaint" help complaint >out &&
	test_grep "^COMPLAINT(1)" out
'

test_expect_success 'a copy moved away finds the PREFIX it was built for' '
	mkdir elsewhere &&
	cp "$P/bin/complaint" elsewhere/complaint &&
	elsewhere/complaint help assign >out &&
	test_grep "COMPLAINT-ASSIGN(1)" out &&
	elsewhere/complaint --now 2026-11-01T09:00 init s-moved --policy manufacturer >out &&
	test_cmp "$P/share/complaint/policy/manufacturer.yaml" s-moved/policy.yaml &&
	test_cmp "$P/share/complaint/policy/rosters/manufacturer.yaml" s-moved/org.yaml
'

test_expect_success 'complaint help alone lists the commands' '
	"$P/bin/complaint" help >out &&
	test_grep "^usage: complaint" out &&
	for c in init new assign show list help; do
		test_grep "^   $c " out || return 1
	done
'

test_expect_success 'help of an unknown name is a usage error' '
	test_expect_code 2 "$P/bin/complaint" help nosuch >out 2>err &&
	test_must_be_empty out &&
	test_error_line err
'

test_expect_success 'without man, help prints the command'"'"'s --help' '
	mkdir noman &&
	env PATH="$TRASH_DIRECTORY/noman" "$P/bin/complaint" help new >out &&
	"$P/bin/complaint" new --help >expect &&
	test_cmp expect out
'

test_expect_success 'make install DESTDIR=D: the staged binary finds its own files' '
	mk PREFIX=/usr/local DESTDIR="$D" install &&
	test_path_is_file "$D/usr/local/bin/complaint" &&
	test_path_is_file "$D/usr/local/share/man/man1/complaint-new.1" &&
	test_path_is_file "$D/usr/local/share/complaint/policy/default.yaml" &&
	grep "^/usr/local/" "$D/usr/local/share/complaint/installed-files" >listed &&
	test_cmp "$D/usr/local/share/complaint/installed-files" listed &&
	"$D/usr/local/bin/complaint" help note >out &&
	test_grep "COMPLAINT-NOTE(1)" out &&
	man -M "$D/usr/local/share/man" complaint-note >page &&
	test_grep "complaint-note" page
'

test_expect_success 'the installed binary makes a store and records a case' '
	"$D/usr/local/bin/complaint" --now 2026-11-01T09:00 init shop >out &&
	id=$(cd shop && "$D/usr/local/bin/complaint" --now 2026-11-22T15:00 --actor 赵六 \
		new --customer 王先生 --channel phone --category service --summary 上菜慢) &&
	(cd shop && "$D/usr/local/bin/complaint" --now 2026-11-22T15:00 --actor 赵六 \
		assign $id --department 餐饮部) >out &&
	test_grep "^assigned $id to 餐饮部 \[" out &&
	"$D/usr/local/bin/complaint" --now 2026-11-01T09:00 init s-hosp --policy hospital >out &&
	test_cmp "$D/usr/local/share/complaint/policy/hospital.yaml" s-hosp/policy.yaml &&
	test_cmp "$D/usr/local/share/complaint/policy/rosters/hospital.yaml" s-hosp/org.yaml
'

test_expect_success 'the installed binary speaks Chinese with LANGUAGE=zh_CN, English in C' '
	test_path_is_file "$D/usr/local/share/locale/zh_CN/LC_MESSAGES/complaint.mo" &&
	LANGUAGE=zh_CN "$D/usr/local/bin/complaint" --help >out &&
	test_grep "^用法：" out &&
	test_grep "登记一件投诉" out &&
	(cd shop && LANGUAGE=zh_CN test_expect_code 2 "$D/usr/local/bin/complaint" show) 2>err &&
	test_grep "^complaint: show: 需要且只需要一个投诉编号" err &&
	(cd shop && LANGUAGE=zh_CN "$D/usr/local/bin/complaint" --now 2026-11-22T15:05 \
		--actor 赵六 note $id 客户来电) >out &&
	test_grep "^已为 $id 添加备注 \[" out &&
	LC_ALL=C "$D/usr/local/bin/complaint" --help >out &&
	test_grep "^usage: " out &&
	(cd shop && LC_ALL=C LANGUAGE=zh_CN test_expect_code 2 "$D/usr/local/bin/complaint" show) 2>err &&
	test_grep "^complaint: show: needs exactly one case ID" err
'

test_expect_success 'the installed binary writes the report in the policy'"'"'s language, whatever the locale' '
	(cd shop && LANGUAGE=zh_CN "$D/usr/local/bin/complaint" --now 2026-12-01T08:00 \
		report --month 2026-11 --format html) >zh.html &&
	(cd shop && LC_ALL=C "$D/usr/local/bin/complaint" --now 2026-12-01T08:00 \
		report --month 2026-11 --format html) >c.html &&
	test_cmp zh.html c.html &&
	test_grep -F "<html lang=\"zh-CN\">" zh.html &&
	test_grep -F "<h2>考核扣分</h2>" zh.html
'

test_expect_success 'the installed completion scripts complete with the installed binary' '
	bc="$D/usr/local/share/bash-completion/completions/complaint" &&
	zc="$D/usr/local/share/zsh/site-functions/_complaint" &&
	test_path_is_file "$bc" &&
	test_path_is_file "$zc" &&
	grep -x "/usr/local/share/bash-completion/completions/complaint" \
		"$D/usr/local/share/complaint/installed-files" &&
	grep -x "/usr/local/share/zsh/site-functions/_complaint" \
		"$D/usr/local/share/complaint/installed-files" &&
	(cd shop && env PATH="$D/usr/local/bin:$PATH" bash -c "
		source \"\$1\"
		COMP_WORDS=(complaint assign \"\$2\" --department \"\")
		COMP_CWORD=4
		_complaint && printf \"%s\\n\" \"\${COMPREPLY[@]}\"" _ "$bc" "$id") >actual &&
	printf "%s\n" 餐饮部 客房部 客服中心 >expect &&
	test_cmp expect actual &&
	(cd shop && env PATH="$D/usr/local/bin:$PATH" zsh -f -c "
		source \"\$1\" 2>/dev/null
		words=(complaint show \"\")
		CURRENT=3
		compadd () { print -rl -- \${(P)2}; }
		_complaint" _ "$zc") >actual &&
	echo $id >expect &&
	test_cmp expect actual
'

test_expect_success 'make uninstall removes exactly what install put' '
	mkdir -p "$D/usr/local/share/complaint/policy" &&
	echo "name: mine" >"$D/usr/local/share/complaint/policy/mine.yaml" &&
	echo other >"$D/usr/local/share/man/man1/other.1" &&
	mk PREFIX=/usr/local DESTDIR="$D" uninstall &&
	(cd "$D" && find . -type f | LC_ALL=C sort) >actual &&
	printf "%s\n" ./usr/local/share/complaint/policy/mine.yaml \
		./usr/local/share/man/man1/other.1 >expect &&
	test_cmp expect actual &&
	test_path_is_missing "$D/usr/local/share/complaint/policy/rosters" &&
	test_path_is_dir "$D/usr/local/bin"
'

test_expect_success 'uninstall with nothing else of ours leaves no folder of ours' '
	mk PREFIX="$P" uninstall &&
	(cd "$P" && find . -type f) >actual &&
	test_must_be_empty actual &&
	test_path_is_missing "$P/share/complaint" &&
	test_path_is_dir "$P/share/man/man1"
'

test_expect_success 'uninstall again says there is nothing to remove' '
	test_must_fail mk PREFIX="$P" uninstall 2>err &&
	test_grep "nothing to uninstall" make.out
'

test_expect_success 'a built catalogue goes to LANG/LC_MESSAGES/complaint.mo, and away again' '
	mkdir -p fakeb/po &&
	cp "$B/complaint" fakeb/complaint &&
	printf "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\\\n\"\n" >x.po &&
	msgfmt -c -o fakeb/po/zh_CN.mo x.po &&
	M=$TRASH_DIRECTORY/mo &&
	env DESTDIR="$M" PREFIX=/usr bindir=/usr/bin datadir=/usr/share mandir=/usr/share/man \
		sharedir=/usr/share/complaint BIN="$TRASH_DIRECTORY/fakeb/complaint" \
		B="$TRASH_DIRECTORY/fakeb" sh "$TEST_ROOT/tools/install.sh" install >out &&
	test_cmp fakeb/po/zh_CN.mo "$M/usr/share/locale/zh_CN/LC_MESSAGES/complaint.mo" &&
	grep -x /usr/share/locale/zh_CN/LC_MESSAGES/complaint.mo "$M/usr/share/complaint/installed-files" &&
	env DESTDIR="$M" PREFIX=/usr bindir=/usr/bin datadir=/usr/share mandir=/usr/share/man \
		sharedir=/usr/share/complaint sh "$TEST_ROOT/tools/install.sh" uninstall >out &&
	(cd "$M" && find . -type f) >actual &&
	test_must_be_empty actual
'

test_done
