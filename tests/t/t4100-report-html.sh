#!/bin/sh
test_description='report --format html: one self-contained page, escaped, with charts that render'
. "$(dirname "$0")/test-lib.sh"

# Text that must never reach the page as markup.
H='<script>alert(1)</script> & "x" '\''y'\'
H_ESCAPED='&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; &#39;y&#39;'

# The colours render_html.c draws with: the months (report month, earlier
# months), met/satisfied and the lowest level, the level ramp, missed and
# the highest level, and the page header.
CHART_COLOURS='#2f6fb3 #a9c7e8 #2e9e6b #e0b020 #e8772e #cc3333 #1f3a5f'

CHROMIUM=/usr/bin/chromium
test -x "$CHROMIUM" && test_set_prereq CHROMIUM

# at TIME ARGS...: complaint at a fixed now
at () {
	at_t_=$1
	shift
	complaint --now "$at_t_" "$@"
}

# html_check FILE: html.parser sees every element closed in order (void
# elements aside), one html/head/body, a title, <meta charset="utf-8">;
# and the page is well-formed XML too.
html_check () {
	python3 - "$1" <<-\EOF
	import sys, xml.etree.ElementTree as ET
	from html.parser import HTMLParser
	VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input",
	        "link", "meta", "source", "track", "wbr"}
	class Strict(HTMLParser):
	    def __init__(self):
	        super().__init__(convert_charrefs=False)
	        self.stack, self.seen, self.errors, self.charset = [], {}, [], None
	    def where(self):
	        return "line %d col %d" % self.getpos()
	    def count(self, tag):
	        if tag == "title" and any(t == "svg" for t, _ in self.stack):
	            tag = "svg title"
	        self.seen[tag] = self.seen.get(tag, 0) + 1
	    def handle_starttag(self, tag, attrs):
	        self.count(tag)
	        if tag == "meta" and ("charset", "utf-8") in attrs:
	            self.charset = True
	        if tag not in VOID:
	            self.stack.append((tag, self.where()))
	    def handle_startendtag(self, tag, attrs):
	        self.count(tag)
	        if tag == "meta" and ("charset", "utf-8") in attrs:
	            self.charset = True
	    def handle_endtag(self, tag):
	        if tag in VOID:
	            self.errors.append("end tag for void <%s> at %s" % (tag, self.where()))
	        elif not self.stack:
	            self.errors.append("</%s> with nothing open at %s" % (tag, self.where()))
	        elif self.stack[-1][0] != tag:
	            self.errors.append("</%s> at %s closes <%s> opened at %s" %
	                               (tag, self.where(), *self.stack[-1]))
	            self.stack.pop()
	        else:
	            self.stack.pop()
	    def handle_entityref(self, name):
	        if name not in ("amp", "lt", "gt", "quot"):
	            self.errors.append("named entity &%s; at %s" % (name, self.where()))
	text = open(sys.argv[1], encoding="utf-8").read()
	if not text.startswith("<!DOCTYPE html>\n"):
	    sys.exit("does not start with <!DOCTYPE html>")
	p = Strict()
	p.feed(text)
	p.close()
	errors = p.errors + ["<%s> opened at %s never closed" % t for t in p.stack]
	for tag in ("html", "head", "body", "title"):
	    if p.seen.get(tag) != 1:
	        errors.append("%d <%s> elements" % (p.seen.get(tag, 0), tag))
	if not p.charset:
	    errors.append("no <meta charset=\"utf-8\">")
	if p.seen.get("svg", 0) < 5:
	    errors.append("only %d inline <svg> charts" % p.seen.get("svg", 0))
	try:
	    ET.fromstring(text.split("\n", 1)[1])
	except ET.ParseError as e:
	    errors.append("not well-formed XML: %s" % e)
	if errors:
	    sys.exit("\n".join(errors[:20]))
	EOF
}

# render_png HTML PNG: a headless Chromium screenshot, 1200x2000.
render_png () {
	render_dir_=$(mktemp -d "$TRASH_DIRECTORY/chromium.XXXXXX") &&
	render_to_=
	command -v timeout >/dev/null 2>&1 && render_to_="timeout -k 10 180"
	$render_to_ "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$render_dir_" --screenshot="$2" \
		--window-size=1200,2000 "file://$1" >"$TRASH_DIRECTORY/chromium.log" 2>&1 || {
		echo "chromium failed; its output:" >&2
		tail -20 "$TRASH_DIRECTORY/chromium.log" >&2
		return 1
	}
	test -s "$2" || {
		echo "chromium wrote no screenshot to $2" >&2
		return 1
	}
}

# png_check PNG COLOUR...: decode the PNG (zlib and struct only), check it
# is a picture and not a blank page, and that every colour (#rrggbb, within
# 4 per channel) covers at least 100 pixels.
png_check () {
	python3 - "$@" <<-\EOF
	import struct, sys, zlib
	path, colours = sys.argv[1], sys.argv[2:]
	data = open(path, "rb").read()
	if data[:8] != b"\x89PNG\r\n\x1a\n":
	    sys.exit("%s is not a PNG" % path)
	pos, idat, ihdr = 8, [], None
	while pos < len(data):
	    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
	    body = data[pos + 8:pos + 8 + n]
	    if zlib.crc32(kind + body) != struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]:
	        sys.exit("bad CRC in chunk %r" % kind)
	    pos += 12 + n
	    if kind == b"IHDR":
	        ihdr = struct.unpack(">IIBBBBB", body)
	    elif kind == b"IDAT":
	        idat.append(body)
	    elif kind == b"IEND":
	        break
	w, h, depth, ctype, _, _, interlace = ihdr
	if depth != 8 or ctype not in (2, 6) or interlace:
	    sys.exit("unexpected PNG format %r" % (ihdr,))
	bpp = 3 if ctype == 2 else 4
	raw = zlib.decompress(b"".join(idat))
	stride = w * bpp
	prev, i, counts = bytearray(stride), 0, {}
	for _ in range(h):
	    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
	    i += 1 + stride
	    if f == 1:
	        for x in range(bpp, stride):
	            line[x] = (line[x] + line[x - bpp]) & 255
	    elif f == 2:
	        for x in range(stride):
	            line[x] = (line[x] + prev[x]) & 255
	    elif f == 3:
	        for x in range(stride):
	            a = line[x - bpp] if x >= bpp else 0
	            line[x] = (line[x] + ((a + prev[x]) >> 1)) & 255
	    elif f == 4:
	        for x in range(stride):
	            a = line[x - bpp] if x >= bpp else 0
	            b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
	            p = a + b - c
	            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
	            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
	    elif f != 0:
	        sys.exit("bad filter %d" % f)
	    for x in range(0, stride, bpp):
	        px = bytes(line[x:x + 3])
	        counts[px] = counts.get(px, 0) + 1
	    prev = line
	total = w * h
	(top, top_n), = sorted(counts.items(), key=lambda kv: -kv[1])[:1]
	white = sum(n for px, n in counts.items() if min(px) >= 250)
	def near(px, q, d):
	    return all(abs(a - b) <= d for a, b in zip(px, q))
	ink = sum(n for px, n in counts.items() if not near(px, top, 24) and min(px) < 250)
	problems = []
	print("# %dx%d, %d colours, commonest #%s %.1f%%, white %.1f%%, ink %.1f%%" %
	      (w, h, len(counts), top.hex(), 100.0 * top_n / total,
	       100.0 * white / total, 100.0 * ink / total))
	if top_n > 0.85 * total:
	    problems.append("one colour covers %.1f%% of the picture" % (100.0 * top_n / total))
	if white > 0.95 * total:
	    problems.append("the picture is %.1f%% white" % (100.0 * white / total))
	if ink < 0.10 * total:
	    problems.append("only %.1f%% of the pixels are neither white nor the background" % (100.0 * ink / total))
	if len(counts) < 50:
	    problems.append("only %d colours" % len(counts))
	for c in colours:
	    q = bytes.fromhex(c.lstrip("#"))
	    n = sum(k for px, k in counts.items() if near(px, q, 4))
	    print("# %s: %d pixels" % (c, n))
	    if n < 100:
	        problems.append("chart colour %s covers %d pixels" % (c, n))
	if problems:
	    sys.exit("\n".join(problems))
	EOF
}

test_expect_success 'a store with months of cases across levels and departments' '
	at 2026-08-01T09:00 init store >/dev/null &&
	test_ignore_scratch store &&
	cd store &&
	for d in 2026-08-05 2026-08-19 2026-09-02 2026-09-09 2026-09-16 2026-09-23; do
		at ${d}T10:00 new --customer 老客户 --channel phone --category other \
			--summary "earlier $d" >/dev/null || return 1
	done &&
	A=$(at 2026-10-08T10:00 new --customer 王先生 --channel phone --category service \
		--summary 上菜延迟一小时 --amount 300) &&
	at 2026-10-08T10:04 assign $A --department 餐饮部 --responsible 张三 &&
	at 2026-10-08T10:08 notify $A &&
	at 2026-10-08T10:15 onsite $A &&
	at 2026-10-08T11:30 resolve $A --text 致歉并赠送果盘 &&
	at 2026-10-09T10:00 callback $A --satisfied &&
	at 2026-10-09T10:01 close $A &&
	B=$(at 2026-10-10T09:00 new --customer "Ms. Li" --channel online --category product \
		--summary "$H" --amount 1200) &&
	at 2026-10-10T09:05 assign $B --department 客房部 &&
	at 2026-10-10T09:30 notify $B &&
	at 2026-10-10T10:00 plan $B --text Replace &&
	at 2026-10-10T10:30 --actor 王五 approve $B &&
	at 2026-10-10T23:00 resolve $B --text done &&
	at 2026-10-12T10:00 callback $B --unsatisfied --text "$H" &&
	C=$(at 2026-10-12T14:00 new --customer 陈女士 --channel onsite --category product \
		--summary 酒瓶破裂划伤手 --flag safety) &&
	at 2026-10-12T14:05 assign $C --department 餐饮部 --responsible 张三 &&
	at 2026-10-12T14:09 notify $C &&
	D=$(at 2026-10-14T09:00 new --customer 赵先生 --channel email --category service \
		--summary 房价不符 --amount 20000) &&
	at 2026-10-14T09:20 assign $D --department 客房部 --responsible 孙七 &&
	at 2026-10-20T09:00 --actor 客服中心/赵六 penalize $D "$H" 3 --reason "$H" &&
	at 2026-10-20T09:01 --actor 陈总 approve $D --penalty P1 &&
	at 2026-10-15T09:00 new --customer 钱 --channel phone --category service \
		--summary 房间噪音 >/dev/null &&
	E=$(at 2026-10-17T09:00 new --customer 李 --channel letter --category service \
		--summary 服务慢 --amount 1500) &&
	at 2026-10-17T09:03 assign $E --department 餐饮部 &&
	at 2026-10-17T09:06 notify $E &&
	at 2026-10-17T09:10 onsite $E &&
	at 2026-10-17T10:00 plan $E --text x &&
	at 2026-10-17T10:10 --actor 王五 approve $E &&
	at 2026-10-17T12:00 resolve $E --text ok &&
	at 2026-10-18T12:00 callback $E --satisfied &&
	at 2026-11-01T08:00 report --month 2026-10 --format json >out.json &&
	test "$(jq -c .by_severity out.json)" = "{\"minor\":2,\"general\":2,\"major\":1,\"critical\":1}" &&
	test "$(jq -r ".by_department | keys | length" out.json)" = 3
'

PAGE=$TRASH_DIRECTORY/report.html

test_expect_success '-o FILE writes the page and nothing to stdout or stderr' '
	store_snapshot &&
	at 2026-11-01T08:00 report --month 2026-10 --lang en --format html -o "$PAGE" >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	test_path_is_file "$PAGE" &&
	store_unchanged
'

test_expect_success 'standard output holds the same bytes, and a second run too' '
	at 2026-11-01T08:00 report --month 2026-10 --lang en --format html >actual &&
	test_cmp_bytes "$PAGE" actual &&
	at 2026-11-01T08:00 report --month 2026-10 --lang en --format html -o again.tmp &&
	test_cmp_bytes "$PAGE" again.tmp
'

test_expect_success 'the page is well-formed: strict tag balance, one head and body, XML' '
	html_check "$PAGE"
'

test_expect_success 'self-contained: no script, no network reference' '
	test_grep ! -i "<script" "$PAGE" &&
	test_grep ! -i -E "https?:" "$PAGE" &&
	test_grep ! -i -E "(src|href|xlink:href|srcset|action)=" "$PAGE" &&
	test_grep ! -i -E "@import|url\(" "$PAGE" &&
	test_grep ! -i -E " on[a-z]+=" "$PAGE"
'

test_expect_success 'hostile text from the store is escaped where it appears' '
	test_grep ! -F "alert(1)</script>" "$PAGE" &&
	test_grep -F "$H_ESCAPED" "$PAGE" &&
	test $(grep -c -F "$H_ESCAPED" "$PAGE") -ge 3
'

test_expect_success 'utf-8, Chinese kept as text; level names from the policy' '
	test_grep -F "<meta charset=\"utf-8\"/>" "$PAGE" &&
	for s in 轻微投诉 一般投诉 特大投诉 重大投诉 餐饮部 客房部 张三 孙七; do
		test_grep -F "$s" "$PAGE" || return 1
	done &&
	test_grep -F "客户投诉分析月报: October 2026" "$PAGE" &&
	test_grep -F "winery-2022" "$PAGE"
'

test_expect_success 'the summary cards agree with --format json' '
	python3 - "$PAGE" >actual <<-\EOF &&
	import re, sys
	text = open(sys.argv[1], encoding="utf-8").read()
	for name, n in re.findall(r"<div class=\"name\">([^<]*)</div><div class=\"n\">(\d+)</div>", text)[:5]:
	    print(n)
	EOF
	jq -r ".totals | .received, .resolved, .closed, .open, .overdue" out.json >expect &&
	test_cmp expect actual
'

test_expect_success 'print-friendly: a print style sheet, no fixed clock of its own' '
	test_grep -F "@media print" "$PAGE" &&
	test_grep -F "2026-11-01T08:00:00+08:00" "$PAGE" &&
	at 2026-11-01T08:00 report --month 2026-10 --as-of 2026-11-01T08:00 --lang en --format html >actual &&
	test_cmp_bytes "$PAGE" actual
'

test_expect_success 'an empty month renders too' '
	at 2026-11-01T08:00 report --month 2025-03 --lang en --format html -o "$TRASH_DIRECTORY/empty.html" &&
	html_check "$TRASH_DIRECTORY/empty.html" &&
	test_grep -F "No cases received this month." "$TRASH_DIRECTORY/empty.html"
'

test_expect_success 'headless Chromium is installed (CI installs the chromium package)' '
	test_have_prereq CHROMIUM || {
		echo "$CHROMIUM is missing: install the Debian package chromium (apt-get install chromium) to check the rendered report" >&2
		false
	}
'

test_expect_success CHROMIUM 'Chromium renders the page to a PNG' '
	render_png "$PAGE" "$TRASH_DIRECTORY/report.png"
'

test_expect_success CHROMIUM 'the picture is not blank and shows the chart colours' '
	png_check "$TRASH_DIRECTORY/report.png" $CHART_COLOURS >&2
'

# ---- the language: the policy's (zh-CN in the default policy), never the caller's locale ----

test_expect_success 'the default policy writes the report in Chinese: <html lang="zh-CN">, Chinese headings' '
	at 2026-11-01T08:00 report --month 2026-10 --as-of 2026-11-01T08:00 --format html \
		-o "$TRASH_DIRECTORY/zh.html" &&
	html_check "$TRASH_DIRECTORY/zh.html" &&
	test_grep -F "<html lang=\"zh-CN\">" "$TRASH_DIRECTORY/zh.html" &&
	test_grep -F "<h1>客户投诉分析月报：2026年10月</h1>" "$TRASH_DIRECTORY/zh.html" &&
	for s in "<h2>各部门</h2>" "<h2>考核扣分</h2>" "<h3>按等级</h3>" "<h3>回访满意度</h3>" \
		"<th>投诉</th>" "<th>整改措施</th>" "<th>原因</th>" "data-label=\"状态、逾期\"" "数据截至" \
		"<h3>措施</h3>" "✓ 满意" "✗ 不满意"; do
		test_grep -F "$s" "$TRASH_DIRECTORY/zh.html" || return 1
	done &&
	for s in "Penalty score" "Departments</h2>" "By level" "figures as of" "October" "✓ satisfied" "not satisfied"; do
		! grep -F "$s" "$TRASH_DIRECTORY/zh.html" || { echo "English left: $s" >&2; return 1; }
	done
'

test_expect_success 'the same bytes whatever the locale of the caller (cron, a Chinese shell, C)' '
	LANGUAGE= at 2026-11-01T08:00 report --month 2026-10 --as-of 2026-11-01T08:00 \
		>"$TRASH_DIRECTORY/first.md" &&
	LANGUAGE= at 2026-11-01T08:00 score --month 2026-10 --as-of 2026-11-01T08:00 \
		>"$TRASH_DIRECTORY/first.txt" &&
	for loc in zh_CN en; do
		LANGUAGE=$loc at 2026-11-01T08:00 report --month 2026-10 --as-of 2026-11-01T08:00 \
			--format html >"$TRASH_DIRECTORY/loc.html" &&
		test_cmp_bytes "$TRASH_DIRECTORY/zh.html" "$TRASH_DIRECTORY/loc.html" &&
		LANGUAGE=$loc at 2026-11-01T08:00 report --month 2026-10 --as-of 2026-11-01T08:00 \
			>"$TRASH_DIRECTORY/loc.md" &&
		test_cmp_bytes "$TRASH_DIRECTORY/first.md" "$TRASH_DIRECTORY/loc.md" &&
		LANGUAGE=$loc at 2026-11-01T08:00 score --month 2026-10 --as-of 2026-11-01T08:00 \
			>"$TRASH_DIRECTORY/loc.txt" &&
		test_cmp_bytes "$TRASH_DIRECTORY/first.txt" "$TRASH_DIRECTORY/loc.txt" || return 1
	done &&
	test_grep "^## 考核扣分\$" "$TRASH_DIRECTORY/first.md" &&
	test_grep "^考核扣分 2026-10-01 至 2026-10-31" "$TRASH_DIRECTORY/first.txt" &&
	test_grep "^部门 " "$TRASH_DIRECTORY/first.txt"
'

test_expect_success '--lang en: English headings, <html lang="en">; JSON the same in both languages' '
	at 2026-11-01T08:00 report --month 2026-10 --as-of 2026-11-01T08:00 --format html --lang en \
		>"$TRASH_DIRECTORY/en.html" &&
	test_grep -F "<html lang=\"en\">" "$TRASH_DIRECTORY/en.html" &&
	test_grep -F "<h2>Penalty score</h2>" "$TRASH_DIRECTORY/en.html" &&
	! grep -F "考核扣分" "$TRASH_DIRECTORY/en.html" &&
	at 2026-11-01T08:00 report --month 2026-10 --as-of 2026-11-01T08:00 --format json --lang en \
		>"$TRASH_DIRECTORY/en.json" &&
	LANGUAGE=zh_CN at 2026-11-01T08:00 report --month 2026-10 --as-of 2026-11-01T08:00 --format json \
		>"$TRASH_DIRECTORY/zh.json" &&
	test_cmp_bytes "$TRASH_DIRECTORY/en.json" "$TRASH_DIRECTORY/zh.json" &&
	at 2026-11-01T08:00 score --month 2026-10 --format json --lang en >"$TRASH_DIRECTORY/en.sc.json" &&
	at 2026-11-01T08:00 score --month 2026-10 --format json >"$TRASH_DIRECTORY/zh.sc.json" &&
	test_cmp_bytes "$TRASH_DIRECTORY/en.sc.json" "$TRASH_DIRECTORY/zh.sc.json" &&
	test_expect_code 2 at 2026-11-01T08:00 report --month 2026-10 --lang fr 2>err &&
	test_grep "unknown language .fr. (zh-CN or en)" err
'

test_expect_success 'a policy that says language: en writes English' '
	sed "s/^language: zh-CN .*/language: en/" policy.yaml >"$TRASH_DIRECTORY/en-policy.yaml" &&
	grep "^language: en\$" "$TRASH_DIRECTORY/en-policy.yaml" &&
	complaint --now 2026-10-01T09:00 init --policy "$TRASH_DIRECTORY/en-policy.yaml" \
		"$TRASH_DIRECTORY/en-store" >/dev/null &&
	complaint -C "$TRASH_DIRECTORY/en-store" --now 2026-10-02T09:00 new --customer 王先生 \
		--channel phone --category product --summary 酒有沉淀 >/dev/null &&
	LANGUAGE=zh_CN complaint -C "$TRASH_DIRECTORY/en-store" --now 2026-11-01T08:00 \
		report --month 2026-10 --format html >"$TRASH_DIRECTORY/pol-en.html" &&
	test_grep -F "<html lang=\"en\">" "$TRASH_DIRECTORY/pol-en.html" &&
	test_grep -F "<h2>Penalty score</h2>" "$TRASH_DIRECTORY/pol-en.html" &&
	complaint -C "$TRASH_DIRECTORY/en-store" --now 2026-11-01T08:00 \
		report --month 2026-10 --lang zh-CN --format html >"$TRASH_DIRECTORY/pol-zh.html" &&
	test_grep -F "<html lang=\"zh-CN\">" "$TRASH_DIRECTORY/pol-zh.html"
'

test_expect_success CHROMIUM 'Chromium renders the Chinese page, charts and all' '
	render_png "$TRASH_DIRECTORY/zh.html" "$TRASH_DIRECTORY/zh.png" &&
	png_check "$TRASH_DIRECTORY/zh.png" $CHART_COLOURS >&2
'

test_done
