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

test_done
