#!/bin/sh
test_description='bash and zsh completion, generated from the option tables

The scripts come from tools/completion.sh run on the binary (as make does);
bash'"'"'s is driven through its completion function with COMP_WORDS and
COMP_CWORD set, zsh'"'"'s through _complaint with words and CURRENT set and
compadd catching what it offers.  Store values come from complaint
__complete, found by -C, COMPLAINT_DIR or the current folder.'
. "$(dirname "$0")/test-lib.sh"

NOW=2026-11-22T15:00

test_expect_success 'generate both scripts from the binary' '
	sh "$TEST_ROOT/tools/completion.sh" bash "$TEST_LIB_DIR/bin/complaint" >comp.bash &&
	sh "$TEST_ROOT/tools/completion.sh" zsh "$TEST_LIB_DIR/bin/complaint" >comp.zsh &&
	bash -n comp.bash &&
	zsh -n comp.zsh
'

# bcomp WORD...: what bash offers for the last word (one a line, sorted)
bcomp () {
	bash -c '
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_complaint && printf "%s\n" "${COMPREPLY[@]}"
	' _ "$TRASH_DIRECTORY/comp.bash" "$@" | LC_ALL=C sort | sed "/^$/d"
}

# zcomp WORD...: what zsh offers (compadd caught; the prefix filtering
# that compadd does is done here)
zcomp () {
	zsh -f -c '
		source "$1" 2>/dev/null; shift
		words=("$@"); CURRENT=$#
		cur=${words[CURRENT]}; cur=${cur#--*=}
		compadd () { [[ $1 == -a ]] && print -rl -- ${(M)${(P)2}:#${cur}*}; }
		compset () { :; }
		_files () { print "<files>"; }
		_directories () { print "<dirs>"; }
		_complaint
	' _ "$TRASH_DIRECTORY/comp.zsh" "$@" | LC_ALL=C sort | sed "/^$/d"
}

# both EXPECTED WORD...: bash and zsh offer exactly the lines of EXPECTED
both () {
	both_want=$1
	shift
	bcomp "$@" >actual.b &&
	zcomp "$@" >actual.z &&
	LC_ALL=C sort "$both_want" | sed "/^$/d" >expect.s &&
	test_cmp expect.s actual.b &&
	test_cmp expect.s actual.z
}

test_expect_success 'setup: a store with cases' '
	new_store store --policy manufacturer &&
	A=$(complaint --now $NOW --actor 赵六 new --customer 王 --channel phone \
		--category quality --summary a --received 2026-11-20T10:00) &&
	B=$(complaint --now $NOW --actor 赵六 new --customer 李 --channel email \
		--category quality --summary b --received 2026-11-21T10:00) &&
	cd ..
'

test_expect_success 'commands' '
	printf "%s\n" score set setup show sync >expect &&
	(cd store && both ../expect complaint s) &&
	complaint --help | sed -n "s/^   \([a-z-]*\) .*/\1/p" >expect &&
	(cd store && both ../expect complaint "")
'

test_expect_success 'every command'"'"'s options are its --help'"'"'s, in both shells' '
	complaint __complete commands >cmds &&
	test_line_count -gt 20 cmds &&
	while read c; do
		complaint $c --help |
		sed -n -e "/--help/d" \
			-e "s/^    \(-[a-zA-Z]\), \(--[a-z-]*\).*/\1\n\2/p" \
			-e "s/^    \(--\{0,1\}[a-zA-Z][a-z-]*\).*/\1/p" >expect &&
		echo --help >>expect &&
		both expect complaint $c - || { echo "in $c" >&2; return 1; }
	done <cmds
'

test_expect_success 'the global options' '
	printf "%s\n" -C --actor --now --lock-timeout --no-cache --help --version >expect &&
	both expect complaint -
'

test_expect_success 'case IDs from the store, by prefix' '
	printf "%s\n" $A $B >expect &&
	(cd store && both ../expect complaint show "") &&
	echo $B >expect &&
	(cd store && both ../expect complaint assign C-20261121) &&
	printf "%s\n" $A $B >expect &&
	(cd store && both ../expect complaint --now $NOW note "")
'

test_expect_success 'departments, people, levels, categories, channels, kinds from policy and roster' '
	cd store &&
	yaml_get org.yaml departments | jq -r ".[].name" >expect &&
	both expect complaint assign $A --department "" &&
	both expect complaint list --department "" &&
	{ yaml_get org.yaml departments | jq -r ".[] | .head, .leader" &&
	  yaml_get org.yaml directors | jq -r ".[]"; } | LC_ALL=C sort -u >expect &&
	both expect complaint assign $A --department 品管部 --responsible "" &&
	both expect complaint penalize $A "" &&
	yaml_get policy.yaml levels | jq -r ".[].id" >expect &&
	both expect complaint reclassify $A "" &&
	both expect complaint new --severity "" &&
	yaml_get policy.yaml categories | jq -r ".[]" >expect &&
	both expect complaint new --category "" &&
	yaml_get policy.yaml channels | jq -r ".[]" >expect &&
	both expect complaint new --customer x --channel "" &&
	yaml_get policy.yaml kinds | jq -r ".[].id" >expect &&
	both expect complaint list --kind "" &&
	printf "%s\n" new assigned planned approved resolved closed >expect &&
	both expect complaint list --status "" &&
	cd ..
'

test_expect_success 'fixed lists and shipped policies' '
	printf "%s\n" table tsv csv json >expect &&
	both expect complaint list --format "" &&
	printf "%s\n" manufacturer >expect &&
	both expect complaint init --policy ma &&
	printf "%s\n" check show >expect &&
	both expect complaint policy ""
'

test_expect_success 'bash: --opt=VALUE, split at = as bash splits it' '
	echo json >expect &&
	bcomp complaint list --format = j >actual &&
	test_cmp expect actual &&
	(cd store && bcomp complaint assign $A --department = 品) >actual &&
	echo 品管部 >expect &&
	test_cmp expect actual &&
	echo json >expect &&
	zcomp complaint list --format=j >actual &&
	test_cmp expect actual
'

test_expect_success 'the store of -C, or of COMPLAINT_DIR, from anywhere' '
	printf "%s\n" $A $B >expect &&
	both expect complaint -C store show "" &&
	COMPLAINT_DIR=$TRASH_DIRECTORY/store both expect complaint show "" &&
	unset COMPLAINT_DIR
'

test_expect_success 'files and folders are the shell'"'"'s' '
	echo "<files>" >expect &&
	zcomp complaint init --org "" >actual &&
	test_cmp expect actual &&
	echo "<dirs>" >expect &&
	zcomp complaint -C "" >actual &&
	test_cmp expect actual &&
	mkdir -p dir-x &&
	bcomp complaint -C dir- >actual &&
	echo dir-x >expect &&
	test_cmp expect actual
'

test_expect_success 'outside a store: nothing, silently' '
	mkdir nostore && cd nostore &&
	complaint __complete cases >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	bcomp complaint show "" >actual &&
	test_must_be_empty actual &&
	zcomp complaint show "" >actual &&
	test_must_be_empty actual &&
	cd ..
'

test_expect_success 'a broken store: nothing, silently, exit 0' '
	cp -r store broken &&
	echo "levels: [" >broken/policy.yaml &&
	complaint -C broken __complete levels >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	complaint -C broken __complete nosuchthing >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err
'

test_expect_success '__complete is not listed among the commands' '
	complaint --help >out &&
	test_grep ! __complete out &&
	complaint __complete commands >out &&
	test_grep ! __complete out
'

test_done
