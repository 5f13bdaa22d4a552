#!/bin/sh
test_description='report --format md: text from names, policies and reasons never becomes markup'
. "$(dirname "$0")/test-lib.sh"

# Two real renderers from Debian: cmark-gfm (GitHub's Markdown, with its
# table, autolink and strikethrough extensions, raw HTML let through) and
# Python-Markdown with tables.
PY=python3
$PY -c 'import markdown' 2>/dev/null || PY=/usr/bin/python3

at () {
	at_t_=$1
	shift
	complaint --now "$at_t_" "$@"
}

# Each hostile text, one per line, in hostile.txt (names, policy values,
# reasons and callback texts that end up in the report).
cat >hostile.txt <<\EOF
<img src=x onerror=alert(1)>
[x](javascript:alert(1))
1) <b>bold</b>
<script>alert(1)</script>
*b* _i_ ~~s~~ `c` a|b \ end\
<a href="javascript:alert(1)">p</a>
http://evil.example/x www.evil.example me@evil.example
<javascript:alert(1)> [r]: http://x ![i](x) &lt;b&gt; <!-- c -->
# h | 1. x > z
1. <b>policy</b>
<iframe src=javascript:alert(1)>
**big** <svg onload=alert(1)>
- <u>u</u> __x__ &amp; &#60;i&#62;
Mr. <b>x</b> 2. y {: .c} =H
EOF

# md_check FILE: render FILE with both renderers; only the report's own
# tags come out, no element carries a link or an attribute, every table
# row has as many cells as its header, and every hostile text comes out
# as the text it was (white space aside) in some cell or list item.
md_check () {
	cmark-gfm --unsafe -e table -e autolink -e strikethrough "$1" >"$1.gfm.html" &&
	$PY -c 'import markdown, sys
sys.stdout.write(markdown.markdown(open(sys.argv[1], encoding="utf-8").read(), extensions=["tables"]))' \
		"$1" >"$1.py.html" &&
	for html in "$1.gfm.html" "$1.py.html"; do
		$PY - "$html" "$TRASH_DIRECTORY/hostile.txt" <<-\EOF || return 1
		import sys
		from html.parser import HTMLParser
		ALLOWED = {"h1", "h2", "h3", "p", "table", "thead", "tbody", "tr", "th",
		           "td", "ul", "li", "br", "strong", "code"}
		class P(HTMLParser):
		    def __init__(self):
		        super().__init__(convert_charrefs=True)
		        self.errors, self.texts, self.cur, self.rows = [], [], None, []
		    def handle_starttag(self, tag, attrs):
		        if tag not in ALLOWED:
		            self.errors.append("tag <%s %r>" % (tag, attrs))
		        for k, v in attrs:
		            if k != "style" and k != "align":
		                self.errors.append("attribute %s=%r on <%s>" % (k, v, tag))
		        if tag == "table":
		            self.rows.append([])
		        if tag == "tr":
		            self.rows[-1].append(0)
		        if tag in ("td", "th"):
		            self.rows[-1][-1] += 1
		        if tag in ("td", "th", "li", "p"):
		            self.cur = []
		    def handle_endtag(self, tag):
		        if tag in ("td", "th", "li", "p") and self.cur is not None:
		            # U+2060 (invisible) is what keeps x://, www. and a@b from being links
		            text = "".join(self.cur).replace("\u2060", "")
		            self.texts.append(" ".join(text.split()))
		            self.cur = None
		    def handle_data(self, data):
		        if self.cur is not None:
		            self.cur.append(data)
		    def handle_comment(self, data):
		        self.errors.append("comment <!--%s-->" % data)
		p = P()
		p.feed(open(sys.argv[1], encoding="utf-8").read())
		for t, rows in enumerate(p.rows):
		    if len(set(rows)) != 1:
		        p.errors.append("table %d: rows with %r cells" % (t + 1, rows))
		for h in open(sys.argv[2], encoding="utf-8").read().splitlines():
		    want = " ".join(h.split())
		    if not any(want in t for t in p.texts):
		        p.errors.append("text not found as itself: %r" % h)
		for e in p.errors:
		    print("%s: %s" % (sys.argv[1], e), file=sys.stderr)
		sys.exit(1 if p.errors else 0)
		EOF
	done
}

line () {
	sed -n "${1}p" "$TRASH_DIRECTORY/hostile.txt"
}

test_expect_success 'the renderers are there' '
	cmark-gfm --version >/dev/null &&
	$PY -c "import markdown"
'

test_expect_success 'a store whose policy, roster, people and reasons hold markup' '
	at 2026-09-01T09:00 init store >/dev/null &&
	test_ignore_scratch store &&
	cd store &&
	$PY - "$TRASH_DIRECTORY/hostile.txt" <<-\EOF &&
	import json, sys
	h = open(sys.argv[1], encoding="utf-8").read().splitlines()
	q = lambda s: json.dumps(s, ensure_ascii=False)
	p = open("policy.yaml", encoding="utf-8").read()
	p = p.replace("name: winery-2022", "name: " + q(h[9]), 1)
	p = p.replace("categories: [product,",
	              "categories: [%s, %s, %s, product," % (q(h[0]), q(h[1]), q(h[2])), 1)
	p = p.replace("{id: complaint, name: 投诉}", "{id: complaint, name: %s}" % q(h[10]), 1)
	p = p.replace("name: 一般投诉", "name: " + q(h[11]), 1)
	open("policy.yaml", "w", encoding="utf-8").write(p)
	o = open("org.yaml", encoding="utf-8").read()
	o += "  - {name: %s, head: 李四, leader: 王五}\n" % q(h[3])
	o += "  - {name: %s, head: 孙七, leader: 王五}\n" % q(h[4])
	o += "  - {name: %s, head: 孙七, leader: 王五}\n" % q(h[12])
	open("org.yaml", "w", encoding="utf-8").write(o)
	EOF
	complaint policy check >/dev/null &&
	GIT_AUTHOR_DATE=2026-09-02T00:00:00Z GIT_COMMITTER_DATE=2026-09-02T00:00:00Z \
		git commit -qam "hostile policy and roster" &&
	D1=$(line 4) && D2=$(line 5) && C1=$(line 1) && C2=$(line 2) && C3=$(line 3) &&
	A=$(at 2026-10-08T10:00 new --customer 王 --channel phone --category "$C1" \
		--summary one --amount 1200) &&
	at 2026-10-08T10:04 assign $A --department "$D1" --responsible 张三 &&
	at 2026-10-08T10:30 plan $A --text plan &&
	at 2026-10-08T10:40 --actor 王五 approve $A &&
	at 2026-10-08T11:30 resolve $A --text done &&
	at 2026-10-09T10:00 callback $A --unsatisfied --text "$(line 9)" &&
	at 2026-10-09T11:00 --actor 李四 penalize $A "$(line 6)" 1 --reason "$(line 5)" &&
	B=$(at 2026-10-10T09:00 new --customer 李 --channel online --category "$C2" \
		--summary two) &&
	at 2026-10-10T09:05 assign $B --department "$D2" --responsible 张三 &&
	at 2026-10-12T09:00 --actor 孙七 penalize $B "$(line 7)" 3 --reason "$(line 8)" &&
	at 2026-10-12T09:01 --actor 孙七 penalize $B "$(line 14)" 2 --reason "$(line 1)" &&
	for i in 1 2 3; do
		at 2026-10-1${i}T09:00 new --customer 钱 --channel phone --category "$C3" \
			--summary "recurring $i" >/dev/null || return 1
	done &&
	R=$(complaint list --category "$C3" --format tsv | sed -n "2s/	.*//p") &&
	at 2026-10-13T10:00 assign $R --department "$(line 13)" &&
	at 2026-11-01T08:00 report --month 2026-10 >out.md
'

test_expect_success 'every hostile text comes out as text, under both renderers' '
	md_check out.md
'

test_expect_success 'the Markdown holds no raw tag, link or autolink' '
	test_grep ! -e "<[A-Za-z!/]" out.md &&
	test_grep ! -e "[^\\]](" out.md &&
	test_grep ! -e "://" out.md
'

test_done
