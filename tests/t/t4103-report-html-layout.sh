#!/bin/sh
test_description='report --format html as headless Chromium lays it out

At 1200 px (a desk) and at 390 px (a phone, the report opened from a chat
message) nothing is cut or wider than the window: no bar label past its
chart'\''s edge, no table cell or card wider than its box.  Printed to PDF
(A4), no row of the month'\''s cases is split across two pages.'
. "$(dirname "$0")/test-lib.sh"

CHROMIUM=/usr/bin/chromium

test_expect_success 'headless Chromium and pdftotext are installed (tools/deps.sh test)' '
	test -x "$CHROMIUM" && command -v pdftotext >/dev/null || {
		echo "install chromium, fonts-noto-cjk and poppler-utils (tools/deps.sh test)" >&2
		false
	}
'

# chrome ARGS...: headless Chromium, bounded, its own profile
chrome () {
	chrome_dir_=$(mktemp -d "$TRASH_DIRECTORY/chromium.XXXXXX") &&
	timeout -k 10 180 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$chrome_dir_" "$@" 2>>"$TRASH_DIRECTORY/chromium.log"
}

# The probe: run inside the page (a copy of the report with it added), it
# lists what is cut or too wide and writes the list into the top page.
cat >"$TRASH_DIRECTORY/probe.js" <<\EOF
(function () {
  var out = [], doc = document.documentElement, vw = doc.clientWidth;
  /* vw leaves out a vertical scroll bar */
  if (doc.scrollWidth > vw + 1)
    out.push("page wider than the window: " + doc.scrollWidth + " > " + vw);
  Array.prototype.forEach.call(document.querySelectorAll("svg[viewBox]"), function (svg) {
    var vb = svg.viewBox.baseVal, t = svg.querySelector("title");
    Array.prototype.forEach.call(svg.querySelectorAll("text"), function (e) {
      var b = e.getBBox();
      if (b.x < vb.x - 0.5 || b.x + b.width > vb.x + vb.width + 0.5)
        out.push("cut: '" + e.textContent + "' in '" + (t ? t.textContent : "") + "' spans " +
                 b.x.toFixed(1) + ".." + (b.x + b.width).toFixed(1) + " of " + vb.width);
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".card, th, td"), function (e) {
    if (e.scrollWidth > e.clientWidth + 1)
      out.push("too wide: " + e.tagName + "." + e.className + " '" +
               e.textContent.slice(0, 30) + "' " + e.scrollWidth + " > " + e.clientWidth);
  });
  var top = window.parent.document, r = top.createElement("pre");
  r.id = "probe";
  r.textContent = "PROBE " + window.innerWidth + " px\n" + out.join("\n") + (out.length ? "\n" : "") + "END";
  top.body.appendChild(r);
})();
EOF

# probe HTML WIDTH: what the probe finds with the page WIDTH px wide (in an
# iframe of that width: a headless window is never narrower than 500 px)
probe () {
	sed "s#</body>#<script src=\"probe.js\"></script></body>#" "$1" >"$TRASH_DIRECTORY/probed.html" &&
	printf "%s\n" "<!DOCTYPE html><html><body style=\"margin:0\">" \
		"<iframe src=\"probed.html\" style=\"width:${2}px;height:3000px;border:0\"></iframe>" \
		"</body></html>" >"$TRASH_DIRECTORY/frame.html" &&
	chrome --allow-file-access-from-files --window-size=1400,2000 \
		--dump-dom "file://$TRASH_DIRECTORY/frame.html" >dom.out &&
	sed -n "/^<pre id=\"probe\">PROBE/,/^END/p" dom.out | sed "s/<[^>]*>//g" >probe.out &&
	test_grep "^PROBE" probe.out >/dev/null &&
	cat probe.out
}

complaint --now 2026-09-01T09:00 init store >/dev/null &&
test_ignore_scratch store &&
cd store || exit 1
COMPLAINT_ACTOR=客服中心/赵六
export COMPLAINT_ACTOR

# 62 cases in one department, category and channel: the bar labels read
# "62 (100.0%)", the longest a share can be.  30 of them carry long
# Chinese text (case N: 第N号投诉 ... 完N完, 原因N完, 措施N完 at the ends) that
# must wrap in its cell.
test_expect_success 'October: 62 cases, 30 with long summaries, causes and measures' '
	for i in $(seq 1 62); do
		d=$(printf %02d $((i % 28 + 1))) &&
		if test $i -le 30; then
			s="第${i}号投诉：客人反映上菜很慢，等了一个多小时也没有人来解释，菜凉了，服务员态度冷淡，要求经理出面道歉并给予赔偿 完${i}完"
		else
			s="上菜慢 $i"
		fi &&
		id=$(complaint --now 2026-10-${d}T10:00 new --received 2026-10-${d}T10:00 --customer "客$i" \
			--channel phone --category service --summary "$s") &&
		complaint --now 2026-10-${d}T10:01 assign $id --department 餐饮部 --responsible 张三 >/dev/null &&
		if test $i -le 30; then
			complaint --now 2026-10-${d}T10:05 notify $id >/dev/null &&
			complaint --now 2026-10-${d}T10:30 onsite $id >/dev/null &&
			complaint --now 2026-10-${d}T11:00 resolve $id --text 已致歉 --compensation $((i * 100)) \
				--cause "厨房人手不足，周末高峰期排班不合理，传菜员临时请假没有顶班 原因${i}完" \
				--action "增加周末排班，设立传菜顶班制度，每周检查一次 措施${i}完" >/dev/null
		fi || return 1
	done &&
	complaint --now 2026-11-01T08:00 report --month 2026-10 --lang en --format html -o ../report.html &&
	test_grep -F "62 (100.0%)" ../report.html
'

test_expect_success 'at 1200 px nothing is cut: bar labels inside their charts, every cell and card in its box' '
	probe ../report.html 1200 >actual &&
	echo "PROBE 1200 px" >expect &&
	echo END >>expect &&
	test_cmp expect actual
'

test_expect_success 'at 390 px (a phone) nothing is cut and the page is no wider than the screen' '
	probe ../report.html 390 >actual &&
	echo "PROBE 390 px" >expect &&
	echo END >>expect &&
	test_cmp expect actual
'

test_expect_success 'at 390 px the cases are blocks, each value under its column name' '
	sed "s#</body>#<script>document.title = getComputedStyle(document.querySelector(\"table.cases td\")).display + \" \" + getComputedStyle(document.querySelector(\"table.cases td\"), \"::before\").content;</script></body>#" \
		../report.html >"$TRASH_DIRECTORY/phone.html" &&
	printf "%s\n" "<!DOCTYPE html><html><body><iframe id=f src=\"phone.html\" style=\"width:390px;height:800px\"></iframe>" \
		"<script>document.getElementById(\"f\").onload = function () { document.body.setAttribute(\"data-t\", this.contentDocument.title); };</script></body></html>" \
		>"$TRASH_DIRECTORY/phone-frame.html" &&
	chrome --allow-file-access-from-files --window-size=1400,1000 \
		--dump-dom "file://$TRASH_DIRECTORY/phone-frame.html" >dom.out &&
	test_grep -F "data-t=\"block &quot;Case&quot;\"" dom.out
'

test_expect_success 'printed to PDF (A4): no row of the cases split across pages, no text lost' '
	chrome --no-pdf-header-footer --print-to-pdf="$TRASH_DIRECTORY/report.pdf" \
		"file://$TRASH_DIRECTORY/report.html" >/dev/null &&
	pdfinfo "$TRASH_DIRECTORY/report.pdf" >info &&
	test_grep "^Page size:.*(A4)" info &&
	pdftotext -raw "$TRASH_DIRECTORY/report.pdf" report.txt &&
	python3 - report.txt <<-\EOF
	import re, sys
	pages = [re.sub(r"\s", "", p) for p in open(sys.argv[1], encoding="utf-8").read().split("\f")]
	bad = []
	for i in range(1, 31):
	    on = lambda pat: [k + 1 for k, p in enumerate(pages) if re.search(pat, p)]
	    start, ends = on("第%d号投诉" % i), [on("完%d完" % i), on("原因%d完" % i),
	                                        on("措施%d完" % i)]
	    if len(start) != 1 or any(e != start for e in ends):
	        bad.append("case %d: starts on page %s, its texts end on pages %s" % (i, start, ends))
	if len([p for p in pages if p]) < 3:
	    bad.append("only %d pages" % len(pages))
	if bad:
	    sys.exit("\n".join(bad))
	EOF
'

test_done
