#!/bin/sh
test_description='the policy timezone is a plain IANA zone without leap seconds

timezone: right/UTC made every time 27 s off (glibc counts the leap
seconds of a right/ zone) and passed policy check.  A timezone is now UTC
or the name of a TZif file under the zoneinfo folder ($TZDIR, else
/usr/share/zoneinfo) that holds no leap-second records; right/ and posix/
copies, posixrules, localtime, links out of the folder, paths and POSIX TZ
strings are refused with the policy file:line:col.'
. "$(dirname "$0")/test-lib.sh"

new_store store

# with_zone ZONE: the store's policy with timezone ZONE, in p.yaml
with_zone () {
	sed "s|^timezone: .*|timezone: $1|" policy.yaml >p.yaml &&
	ZONE_LINE=$(grep -n "^timezone: " p.yaml | cut -d: -f1) &&
	test -n "$ZONE_LINE"
}

for zone in right/UTC right/Asia/Shanghai posix/Asia/Shanghai posixrules localtime \
	    leapseconds tzdata.zi zone1970.tab Asia CST-8 UTC0 :Asia/Shanghai \
	    /usr/share/zoneinfo/Asia/Shanghai ../zoneinfo/UTC Asia//Shanghai \
	    Asia/Shanghai/ -Asia Mars/Olympus_Mons; do
	test_expect_success "timezone: $zone is refused with the policy's line and column" '
		with_zone "$zone" &&
		test_expect_code 1 complaint policy check p.yaml >out 2>err &&
		test_error_line err &&
		test_grep -F "p.yaml:$ZONE_LINE:11: timezone" err
	'
done

test_expect_success 'right/UTC says why: leap seconds' '
	with_zone right/UTC &&
	test_expect_code 1 complaint policy check p.yaml >out 2>err &&
	test_grep "leap seconds" err &&
	test_grep -F "use '"'"'UTC'"'"'" err
'

for zone in UTC Etc/UTC Asia/Shanghai America/Argentina/Buenos_Aires Etc/GMT-8 Europe/London; do
	test_expect_success "timezone: $zone is accepted" '
		with_zone "$zone" &&
		complaint policy check p.yaml >out 2>err
	'
done

test_expect_success 'a committed right/ zone stops every command with policy.yaml:line:col (exit 3)' '
	with_zone right/UTC &&
	cp policy.yaml policy.tmp &&
	cp p.yaml policy.yaml &&
	git commit -q -am "a leap-second zone" &&
	test_refused 3 --now 2026-11-22T15:00 new --customer x --channel phone \
		--category service --summary s &&
	test_grep -F "policy.yaml:$ZONE_LINE:11:" err.refused &&
	test_expect_code 3 complaint list >out 2>err &&
	test_grep -F "policy.yaml:$ZONE_LINE:11:" err &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep -F "policy.yaml:$ZONE_LINE:11:" out &&
	cp policy.tmp policy.yaml &&
	git commit -q -am "back to Asia/Shanghai"
'

test_expect_success 'init --policy with a right/ zone is refused and makes no store' '
	with_zone right/Asia/Shanghai &&
	test_expect_code 3 complaint init --policy p.yaml ../other >out 2>err &&
	test_grep "leap seconds" err &&
	test_path_is_missing ../other/.git
'

# The rule is about the zone file, not only its name: a TZDIR that puts a
# leap-second zone under a plain name is refused too.
test_expect_success 'a zone file with leap seconds under a plain name ($TZDIR) is refused' '
	mkdir -p ../tzdir/Asia ../tzdir/Etc &&
	cp /usr/share/zoneinfo/right/Asia/Shanghai ../tzdir/Asia/Shanghai &&
	cp /usr/share/zoneinfo/Etc/UTC ../tzdir/Etc/UTC &&
	test_expect_code 1 env TZDIR="$PWD/../tzdir" complaint policy check policy.yaml >out 2>err &&
	test_grep -F "policy.yaml:$(grep -n "^timezone: " policy.yaml | cut -d: -f1):11:" err &&
	test_grep "leap seconds" err &&
	with_zone Etc/UTC &&
	env TZDIR="$PWD/../tzdir" complaint policy check p.yaml >out 2>err &&
	ln -s /usr/share/zoneinfo/Europe/London ../tzdir/Etc/Out &&
	with_zone Etc/Out &&
	test_expect_code 1 env TZDIR="$PWD/../tzdir" complaint policy check p.yaml >out 2>err &&
	test_grep "unknown timezone" err
'

test_expect_success 'times are exact in the zone: no leap-second drift' '
	id=$(complaint --now 2026-11-22T15:00 new --customer x --channel phone \
		--category service --summary s --received 2026-11-22T14:05:00+08:00) &&
	test "$(yaml_get $(case_path $id) received_at)" = 2026-11-22T14:05:00+08:00
'

test_done
