#!/bin/sh
test_description='new: any text a user types survives write and read byte for byte'
. "$(dirname "$0")/test-lib.sh"

# Each text is made with printf (so the expected bytes are exact) into
# texts/NAME.  A one-line text goes into the customer's name and contact,
# the summary and the description; a multi-line one into the description.
mkdir texts
T=$TRASH_DIRECTORY/texts
text () {
	# shellcheck disable=SC2059
	printf -- "$2" >"$T/$1"
}
text chinese         '上菜延迟一小时，服务员态度恶劣'
text emoji           '差评😡🍷 family 👨‍👩‍👧 ext-B 𠀀𪚥'
text dquote          '他说"不行"'
text squote          "it's 'quoted'"
text both-quotes     '"'"'"'"'
text colon-space     'key: value'
text colon-end       'note:'
text hash            '# not a comment'
text hash-inside     'room 5 #2'
text dash            '- leading dash'
text dash-only       '-'
text doc-start       '---'
text doc-end         '...'
text question        '? key'
text yes             'yes'
text no              'no'
text No              'No'
text on              'on'
text off             'OFF'
text true            'true'
text y               'y'
text null            'null'
text Null            'Null'
text tilde           '~'
text zero-lead       '0123'
text sci             '1e3'
text hex             '0x1F'
text octal           '0o17'
text float           '12.50'
text plus            '+1'
text underscore      '1_000'
text sexagesimal     '12:30:00'
text date            '2026-11-22'
text inf             '.inf'
text nan             '.NaN'
text merge-key       '<<'
text equals          '='
text tag             '!!str tagged'
text local-tag       '!x'
text anchor          '&anchor'
text alias           '*alias'
text directive       '%%YAML 1.2'
text at              '@mention'
text backtick        '`cmd`'
text pipe            '| literal'
text gt              '> folded'
text flow-seq        '[a, b]'
text flow-map        '{a: b}'
text comma           'a, b, c'
text backslash       'C:\\path\\new'
text lead-space      '  leading spaces'
text trail-space     'trailing spaces  '
text both-space      ' both '
text tab-inside      'tab\there'
text tab-lead        '\ttab first'
text tab-trail       'tab last\t'
text cr-inside       'cr\rinside'
text cr-trail        'cr last\r'
text nbsp-lead       '\302\240nbsp first'
text zwsp            'zero\342\200\213width'
text bom-inside      'bom\357\273\277inside'
text long            "$(i=0; while test $i -lt 120; do printf '很长的一段文字 word '; i=$((i + 1)); done)"
text ml-simple       'line one\nline two'
text ml-trail-nl     'line one\nline two\n'
text ml-trail-nls    'line one\n\n\n'
text ml-lead-nl      '\nstarts with a newline'
text ml-lead-space   '  indented first line\nsecond'
text ml-blank-lines  'a\n\n  b\n\nc'
text ml-trail-spaces 'a  \nb\t\nc '
text ml-crlf         'windows\r\nline\r\n'
text ml-tabs         '\tcode\n\t\tmore'
text ml-hash         '# heading\n- item\nkey: value\n---\n...'
text ml-ls           'line\342\200\250separator'
text ml-ps           'para\342\200\251separator'
text ml-nel          'next\302\205line'
text ml-chinese      '第一行\n第二行：冒号\n第三行 # 井号'

new_store store

# pyyaml_field FILE KEY...: the string at that path as PyYAML's safe_load
# reads it, raw bytes on stdout; fails when it is not a string.
pyyaml_field () {
	python3 -c '
import sys, yaml
d = yaml.safe_load(open(sys.argv[1], "rb").read())
for k in sys.argv[2:]:
    d = d[k]
if not isinstance(d, str):
    sys.exit("not a string but %s: %r" % (type(d).__name__, d))
sys.stdout.buffer.write(d.encode("utf-8", "surrogatepass"))
' "$@"
}

# check_field FILE ID JSON-PATH YAML-KEY...: show's JSON and PyYAML give back FILE
check_field () {
	jq -j "$3" out.json >actual.tmp &&
	test_cmp_bytes "$1" actual.tmp &&
	f_=$1 &&
	shift 3 &&
	pyyaml_field "$case_file" "$@" >actual.tmp &&
	test_cmp_bytes "$f_" actual.tmp
}

check_text () {
	v=$(cat "$1"; echo x) &&
	v=${v%x} &&
	name=$(basename "$1") &&
	case $name in
	ml-*)
		id=$(complaint --now 2026-11-22T15:00 new --customer 客户 \
			--channel phone --category other --summary "text $name" \
			--description "$v" 2>err.tmp) ;;
	dash-only)
		# --description - reads standard input
		id=$(complaint --now 2026-11-22T15:00 new --customer "$v" \
			--contact "$v" --channel phone --category other \
			--summary "$v" --description - <"$1" 2>err.tmp) ;;
	*)
		id=$(complaint --now 2026-11-22T15:00 new --customer "$v" \
			--contact "$v" --channel phone --category other \
			--summary "$v" --description "$v" 2>err.tmp) ;;
	esac ||
	{ echo "new failed:" >&2; cat err.tmp >&2; return 1; }
	test_must_be_empty err.tmp &&
	case_file=$(case_path "$id") &&
	test -n "$case_file" &&
	complaint show "$id" --format json >out.json &&
	check_field "$1" "$id" .description description &&
	case $name in
	ml-*) ;;
	*)
		check_field "$1" "$id" .summary summary &&
		check_field "$1" "$id" .customer.name customer name &&
		check_field "$1" "$id" .customer.contact customer contact ;;
	esac &&
	complaint show "$id" --format yaml >out.yaml &&
	test_cmp_bytes "$case_file" out.yaml &&
	complaint show "$id" >out.human
}

for f in "$T"/*; do
	test_expect_success "$(basename "$f") survives" 'check_text "$f"'
done

test_expect_success '--description - reads standard input, byte for byte' '
	printf "from stdin: 第一行\n\tsecond\r\n  third  \n\n" >expect &&
	id=$(complaint --now 2026-11-22T15:00 new --customer c --channel phone \
		--category other --summary stdin --description - <expect) &&
	case_file=$(case_path "$id") &&
	complaint show "$id" --format json >out.json &&
	check_field expect "$id" .description description
'

test_expect_success '--description - with a text without a final newline' '
	printf "no newline at the end" >expect &&
	id=$(printf "no newline at the end" | complaint --now 2026-11-22T15:00 new \
		--customer c --channel phone --category other --summary stdin2 \
		--description -) &&
	case_file=$(case_path "$id") &&
	complaint show "$id" --format json >out.json &&
	check_field expect "$id" .description description
'

test_expect_success 'the store is clean, every file reads, fsck --strict' '
	git status --porcelain --untracked-files=all >out &&
	test_must_be_empty out &&
	git fsck --strict --no-dangling >out 2>&1 &&
	test_must_be_empty out &&
	for f in cases/*/*/*.yaml; do
		python3 -c "import sys, yaml; yaml.safe_load(open(sys.argv[1], \"rb\"))" "$f" || return 1
	done
'

test_done
