#!/bin/sh
test_description='messages through gettext: po/zh_CN.po complete and up to date, LANGUAGE chooses

Every message and --help text is looked up in the "complaint" catalogue;
po/zh_CN.po must translate every msgid of po/complaint.pot (none
untranslated, none fuzzy), and po/complaint.pot must be what tools/pot.sh
makes of the sources today, so that a new message without its translation
fails here.  The binary under test finds the catalogue in its build tree.'
. "$(dirname "$0")/test-lib.sh"

PO=$TEST_ROOT/po

test_expect_success 'msgfmt --statistics: every message translated, none fuzzy' '
	msgfmt -c --statistics -o /dev/null "$PO/zh_CN.po" >out 2>&1 &&
	cat out &&
	grep -E "^[0-9]+ translated messages?\\.\$" out &&
	test_line_count = 1 out
'

test_expect_success 'po/complaint.pot is up to date with the sources (make pot)' '
	sh "$TEST_ROOT/tools/pot.sh" "$TRASH_DIRECTORY/now.pot" &&
	test_cmp "$PO/complaint.pot" "$TRASH_DIRECTORY/now.pot"
'

test_expect_success 'po/zh_CN.po has exactly the messages of the template' '
	msgcmp "$PO/zh_CN.po" "$PO/complaint.pot" &&
	msgcmp --use-untranslated "$PO/complaint.pot" "$PO/zh_CN.po"
'

test_expect_success 'LANGUAGE=zh_CN: errors and --help in Chinese; unset: English' '
	LANGUAGE=zh_CN test_expect_code 2 complaint new --bogus 2>err &&
	test_error_line err &&
	grep "^complaint: new: 未知选项 .--bogus." err &&
	test_expect_code 2 complaint new --bogus 2>err &&
	grep "^complaint: new: unknown option .--bogus." err &&
	LANGUAGE=zh_CN complaint --help >out &&
	grep "登记一件投诉" out &&
	grep "^用法：" out &&
	LANGUAGE=zh_CN complaint new --help >out &&
	grep "客户姓名" out &&
	grep -- "--customer NAME" out &&
	complaint new --help >out &&
	grep "the customer.s name" out
'

test_expect_success 'LC_MESSAGES and LC_ALL choose too; LANGUAGE wins' '
	LC_ALL= LC_MESSAGES=C.UTF-8 LANGUAGE=zh_CN test_expect_code 2 complaint --bogus 2>err &&
	grep "未知选项" err &&
	LANGUAGE=en test_expect_code 2 complaint --bogus 2>err &&
	grep "unknown option" err
'

test_expect_success 'a confirmation line in Chinese' '
	new_store s &&
	A=$(complaint --now 2026-11-24T10:00 new --customer 王先生 --channel phone \
		--category product --summary 酒有沉淀) &&
	LANGUAGE=zh_CN complaint --now 2026-11-24T10:05 note $A 客户来电催问 >out &&
	grep "^已为 $A 添加备注 \\[[0-9a-f]\\{7\\}\\]\$" out
'

test_expect_success 'check'"'"'s summary in Chinese, plurals in English' '
	LANGUAGE=zh_CN complaint check >out &&
	echo "已检查 1 件投诉，0 件无法读取；0 个问题、0 个警告" >expect &&
	test_cmp expect out &&
	complaint check >out &&
	echo "1 case checked, 0 unreadable; 0 problems, 0 warnings" >expect &&
	test_cmp expect out
'

# starts FILE: each line as the display columns (CJK two each) where its
# fields start, a field being what follows a run of two or more spaces.
cat >"$TRASH_DIRECTORY/starts.py" <<\EOF
import re, sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    print(" ".join(str(width(line[:m.end()])) for m in re.finditer(r"  +(?=\S)", line)))
EOF

test_expect_success 'LANGUAGE=zh_CN: show, list and policy show in Chinese, columns aligned by display width' '
	new_store zh &&
	A=$(complaint --now 2026-11-24T10:00 new --customer 王先生 --channel phone \
		--category product --summary 酒有沉淀) &&
	complaint --now 2026-11-24T10:05 assign $A --department 餐饮部 >/dev/null &&
	LANGUAGE=zh_CN complaint --now 2026-11-27T10:00 show $A >out &&
	cat out &&
	grep "^受理        2026-11-24 10:00 +08:00，渠道：phone\$" out &&
	grep "^客户        王先生\$" out &&
	grep "^部门        餐饮部，部门负责人 李四，分管领导 王五\$" out &&
	sed -n 1p out | grep "  assigned  逾期\$" &&
	grep "^处理期限\$" out &&
	grep "^  notify    2026-11-24 10:10 +08:00  已逾期（超时 " out &&
	grep "^处理经过\$" out &&
	! grep -E "Received|Customer|Deadlines|Timeline|MISSED|pending|OVERDUE" out &&
	complaint --now 2026-11-27T10:00 show $A >out.en &&
	grep "^Received    2026-11-24 10:00 +08:00 by phone\$" out.en &&
	grep "^Deadlines\$" out.en &&
	LANGUAGE=zh_CN complaint --now 2026-11-27T10:00 list >out &&
	cat out &&
	sed -n 1p out | grep "^编号  *状态  *等级  *受理时间  *部门  *下一期限  *概述\$" &&
	python3 "$TRASH_DIRECTORY/starts.py" out >starts &&
	test_line_count = 2 starts &&
	sed -n 1p starts >expect && sed -n 2p starts >actual &&
	test_cmp expect actual &&
	LANGUAGE=zh_CN complaint policy show >out &&
	cat out &&
	grep "^制度        winery-2022 (CNY，每分 10.00，时区 Asia/Shanghai)\$" out &&
	grep "^工作日历    mon tue wed thu fri ; 33 个节假日, 6 个调休工作日; 年份 2026\$" out &&
	grep "^    条件      金额 >= 0.00 或 范围 >= single\$" out &&
	grep "^    期限      notify：受理后 10m 内; " out &&
	grep "^重复投诉    同一类别一个月内 3 件投诉\$" out &&
	grep "^受理部门    客服中心\$" out &&
	grep "^    处罚建议  提议：director；审批：无\$" out &&
	grep "^    告知方    主办部门, 受理部门\$" out &&
	grep "^逾期        department 10 (每个逾期的期限计一次)\$" out &&
	complaint policy show >out.en &&
	grep "^Intake      客服中心\$" out.en &&
	grep "^    parties   the lead department, the intake department\$" out.en &&
	grep "^Late        department 10 (per missed deadline)\$" out.en &&
	grep -E "^(渠道|性质|类别|范围|标记|工作日历|受理部门|逾期|回访不满意|重复投诉)  " out >labels &&
	test_line_count = 10 labels &&
	python3 "$TRASH_DIRECTORY/starts.py" labels | sort -u >actual &&
	echo 12 >expect &&
	test_cmp expect actual &&
	grep -E "^    (条件|期限|审批|扣分|处罚建议|告知方)  " out >labels &&
	python3 "$TRASH_DIRECTORY/starts.py" labels | sort -u >actual &&
	echo "4 14" >expect &&
	test_cmp expect actual &&
	LANGUAGE=zh_CN complaint --now 2026-11-27T10:00 list --format json >json.zh &&
	complaint --now 2026-11-27T10:00 list --format json >json.en &&
	test_cmp json.en json.zh &&
	LANGUAGE=zh_CN complaint --now 2026-11-27T10:00 list --format csv >csv.zh &&
	complaint --now 2026-11-27T10:00 list --format csv >csv.en &&
	test_cmp csv.en csv.zh
'

test_expect_success 'every message of cp_error, cp_yerr, usage_error, warning goes through _() (tools/i18n-check.py)' '
	(cd "$TEST_ROOT" && python3 tools/i18n-check.py cmd lib) >out 2>err &&
	test_must_be_empty out
'

test_expect_success 'i18n-check.py names the file and line of a message without _()' '
	cat >planted.c <<-\EOF &&
	static int f(struct ctx *c, const char *x)
	{
		/* warning("in a comment: not code"); */
		warning(_("wrapped: %s"), x);
		cp_yerr(doc, node, "%s: %s", x, x);
		usage_error(c,
			    "--foo is required");
		cp_error(CP_EDATA, x ? "a bare %s" : _("a wrapped one"), x);
		cp_error_wrap("%s", x);
		cp_error_wrap(Q_("%s file", "%s files", 2), x);
		return cp_error_wrap("%s: not read", x);
	}
	EOF
	test_expect_code 1 python3 "$TEST_ROOT/tools/i18n-check.py" planted.c >out 2>err &&
	cat >expect <<-\EOF &&
	planted.c:7: usage_error() message not in _(): "--foo is required"
	planted.c:8: cp_error() message not in _(): "a bare %s"
	planted.c:11: cp_error_wrap() message not in _(): "%s: not read"
	EOF
	test_cmp expect out &&
	grep "^3 messages without _()" err
'

test_expect_success 'plurals through ngettext (Q_), not a %.0s that swallows an English suffix' '
	! grep -n "%\\.0s" "$PO/zh_CN.po" &&
	! grep -n "== 1 ? \"\" : \"s\"\\|\"y\" : \"ies\"" "$TEST_ROOT/cmd/list.c" \
		"$TEST_ROOT/cmd/score.c" "$TEST_ROOT/cmd/report.c" "$TEST_ROOT/lib/store/check.c" &&
	new_store pl &&
	A=$(complaint --now 2026-11-24T10:00 new --customer 王先生 --channel phone \
		--category product --summary 酒有沉淀) &&
	mkdir -p cases/2026/11 &&
	printf "{\n" >cases/2026/11/C-20261124-AAAAAAAA.yaml &&
	LANGUAGE=zh_CN complaint --now 2026-11-27T10:00 list >out 2>err &&
	grep "^complaint: 警告：1 个投诉文件无法读取（请运行 .complaint check.）\$" err &&
	complaint --now 2026-11-27T10:00 list >out 2>err &&
	grep "1 case file could not be read (run .complaint check.)\$" err &&
	printf "{\n" >cases/2026/11/C-20261124-BBBBBBBB.yaml &&
	complaint --now 2026-11-27T10:00 list >out 2>err &&
	grep "2 case files could not be read (run .complaint check.)\$" err
'

test_expect_success 'library messages name no command: what to do is a hint the command words' '
	# lib/store/hook.c writes its mark into the hook file: not a message
	grep -rn "\"[^\"]*'"'"'complaint [a-z]" "$TEST_ROOT/lib" --include="*.c" |
		grep -v "/lib/store/hook.c:" >cli.txt
	test_must_be_empty cli.txt &&
	test_expect_code 2 complaint -C "$TRASH_DIRECTORY" list >out 2>err &&
	test_grep "is not a complaint store (no policy.yaml and .git at its top); create one with '"'"'complaint init'"'"'" err &&
	LANGUAGE=zh_CN LC_ALL=C.UTF-8 test_expect_code 2 complaint -C "$TRASH_DIRECTORY" list >out 2>err &&
	test_grep "不是投诉库（顶层没有 policy.yaml 和 .git）；可用 '"'"'complaint init'"'"' 建立" err
'

test_expect_success 'library messages name no option: the command gives its options as the names of the inputs' '
	# git commands and their options are git'"'"'s words; the HTML report'"'"'s
	# footer says how it was made (content, not a message)
	grep -rn "\"[^\"]*--[a-z]" "$TEST_ROOT/lib" --include="*.c" |
		grep -v "git [a-z-]* [^\"]*--" |
		grep -v "^[^:]*:[0-9]*:[[:space:]]*\(/\*\|\*\)" |
		grep -v "/lib/render_html.c:.*complaint report --month" >opts.txt
	test_must_be_empty opts.txt &&
	new_store opts &&
	id=$(complaint --now 2026-11-27T10:00 new --customer 王 --channel phone --category service --summary s) &&
	test_expect_code 1 complaint --now 2026-11-27T10:05 note $id t --at 2026-11-28T10:00 >out 2>err &&
	test_grep "note $id: --at 2026-11-28T10:00:00+08:00 is in the future" err &&
	LANGUAGE=zh_CN LC_ALL=C.UTF-8 test_expect_code 1 complaint --now 2026-11-27T10:05 note $id t --at 2026-11-28T10:00 >out 2>err &&
	test_grep -e "--at 2026-11-28T10:00:00+08:00 在将来" err
'

test_done
