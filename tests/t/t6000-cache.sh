#!/bin/sh
test_description='the derived cache: never stale, rebuilt when damaged, checked by check'
. "$(dirname "$0")/test-lib.sh"

new_store store

NOW=2026-12-05T12:00
CACHE=.git/complaint/cache

# same_as_nocache: list, report and score (json) give the same output with
# the cache (twice: filling it, then reading it) as with --no-cache
same_as_nocache () {
	for args_ in "list --format json" "list --overdue --format json" \
		"report --month 2026-11 --format json" "report --month 2026-12 --format json" \
		"score --month 2026-11 --format json"; do
		complaint --now $NOW --no-cache $args_ >expect.tmp 2>err.tmp &&
		complaint --now $NOW $args_ >actual.tmp 2>>err.tmp &&
		test_cmp expect.tmp actual.tmp &&
		complaint --now $NOW $args_ >actual.tmp 2>>err.tmp &&
		test_cmp expect.tmp actual.tmp || {
			echo "differs: $args_" >&2
			return 1
		}
	done
}

# forge_entry OLD NEW: in the cache, replace the bytes OLD by NEW (same
# length) inside the first entry that holds them, and fix its checksum,
# so that the entry reads well but is wrong
forge_entry () {
	python3 - "$CACHE" "$1" "$2" <<-\EOF
	import struct, sys
	M = (1 << 64) - 1
	P1, P2, P3 = 0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9
	def rotl(x, r): return ((x << r) | (x >> (64 - r))) & M
	def mix(a, i): return (rotl((a + i * P2) & M, 31) * P1) & M
	def u64(b, p): return struct.unpack_from("<Q", b, p)[0]
	def h64(b):
	    n, p = len(b), 0
	    a, bb, c, d = (P1 + P2) & M, P2, 0, (-P1) & M
	    while n - p >= 32:
	        a, bb = mix(a, u64(b, p)), mix(bb, u64(b, p + 8))
	        c, d = mix(c, u64(b, p + 16)), mix(d, u64(b, p + 24))
	        p += 32
	    h = (rotl(a, 1) + rotl(bb, 7) + rotl(c, 12) + rotl(d, 18) + n) & M
	    while n - p >= 8:
	        h ^= mix(0, u64(b, p)); h = (rotl(h, 27) * P1 + P3) & M; p += 8
	    while p < n:
	        h ^= (b[p] * P3) & M; h = (rotl(h, 11) * P1) & M; p += 1
	    h ^= h >> 33; h = (h * P2) & M; h ^= h >> 29; h = (h * P3) & M
	    return h ^ (h >> 32)
	path, old, new = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
	data = bytearray(open(path, "rb").read())
	off = 144
	while off + 36 <= len(data):
	    magic, n = struct.unpack_from("<II", data, off)
	    if magic != 0x52435043:
	        break
	    rec = data[off + 36:off + 36 + n]
	    if old in rec:
	        i = off + 36 + rec.index(old)
	        data[i:i + len(new)] = new
	        struct.pack_into("<Q", data, off + 8, h64(bytes(data[off + 16:off + 36 + n])))
	        open(path, "wb").write(data)
	        sys.exit(0)
	    off += (36 + n + 7) & ~7
	sys.exit("no entry holds %r" % old)
	EOF
}

test_expect_success 'setup: cases in several states' '
	A=$(complaint --now 2026-11-02T10:00 new --customer Alice --channel phone \
		--category product --summary "wine tastes of cork") &&
	complaint --now 2026-11-02T10:05 assign $A --department 餐饮部 &&
	complaint --now 2026-11-02T11:00 resolve $A --text refunded &&
	B=$(complaint --now 2026-11-10T09:00 new --customer Bob --channel email \
		--category service --summary "room not cleaned" --amount 2000) &&
	complaint --now 2026-11-10T09:05 assign $B --department 客房部 &&
	C=$(complaint --now 2026-11-20T08:00 new --customer 丙 --channel online \
		--category finance --summary "多收费" --amount 20000)
'

test_expect_success '--no-cache writes no cache' '
	complaint --now $NOW --no-cache list >out.tmp &&
	test_path_is_missing $CACHE
'

test_expect_success 'a read makes the cache; outputs are those of --no-cache' '
	same_as_nocache &&
	test_path_is_file $CACHE &&
	test "$(head -c 7 $CACHE)" = CPCACHE
'

test_expect_success 'a read does not change the store (the cache is under .git)' '
	store_snapshot &&
	complaint --now $NOW list >out.tmp &&
	complaint --now $NOW report --month 2026-11 >out.tmp &&
	store_unchanged
'

test_expect_success 'new cases' '
	D=$(complaint --now 2026-12-01T10:00 new --customer Dan --channel letter \
		--category other --summary "late reply") &&
	complaint --now 2026-12-02T10:00 assign $B --department 餐饮部 &&
	same_as_nocache
'

test_expect_success 'a hand edit committed with git' '
	f=$(case_path $A) &&
	sed "s/wine tastes of cork/wine tastes of CORK/" $f >edit.tmp &&
	cat edit.tmp >$f &&
	git commit -qam "hand edit" &&
	complaint --now $NOW list --format json | grep -q "wine tastes of CORK" &&
	same_as_nocache
'

test_expect_success 'a hand edit not committed (same size, same second)' '
	f=$(case_path $B) &&
	sed "s/room not cleaned/room NOT cleaned/" $f >edit.tmp &&
	cat edit.tmp >$f &&
	complaint --now $NOW list --format json | grep -q "room NOT cleaned" &&
	same_as_nocache
'

test_expect_success 'a hand edit that puts the old mtime back (ctime still tells)' '
	f=$(case_path $B) &&
	touch -r $f stamp.tmp &&
	sed "s/room NOT cleaned/ROOM not cleaned/" $f >edit.tmp &&
	cat edit.tmp >$f &&
	touch -r stamp.tmp $f &&
	complaint --now $NOW list --format json | grep -q "ROOM not cleaned" &&
	same_as_nocache &&
	git checkout -q -- $f
'

test_expect_success 'an edit staged with git add, then changed again' '
	f=$(case_path $C) &&
	sed "s/多收费/多收费了/" $f >edit.tmp && cat edit.tmp >$f &&
	git add $f &&
	sed "s/多收费了/多收费了吗/" $f >edit.tmp && cat edit.tmp >$f &&
	complaint --now $NOW list --format json | grep -q "多收费了吗" &&
	same_as_nocache &&
	git reset -q && git checkout -q -- $f
'

test_expect_success 'git checkout of an older commit and back' '
	git checkout -q HEAD~4 2>err.tmp &&
	same_as_nocache &&
	complaint --now $NOW list --format json | grep -q "wine tastes of cork" &&
	git checkout -q - &&
	same_as_nocache &&
	complaint --now $NOW list --format json | grep -q "wine tastes of CORK"
'

test_expect_success '--as-of reads the cache by the blob ids of the past tree' '
	at=$(git log -1 --format=%cI HEAD~3) &&
	complaint --now $NOW --no-cache report --month 2026-11 --as-of $at --format json >expect.tmp &&
	complaint --now $NOW report --month 2026-11 --as-of $at --format json >actual.tmp &&
	test_cmp expect.tmp actual.tmp &&
	complaint --now $NOW report --month 2026-11 --as-of $at --format json >actual.tmp &&
	test_cmp expect.tmp actual.tmp
'

test_expect_success 'a cache of random bytes is rebuilt' '
	head -c 20000 /dev/urandom >$CACHE &&
	same_as_nocache &&
	test "$(head -c 7 $CACHE)" = CPCACHE
'

test_expect_success 'a damaged entry is not used, and the cache is rewritten' '
	complaint --now $NOW list >out.tmp &&
	size=$(wc -c <$CACHE) &&
	printf "XXXXXXXX" | dd of=$CACHE bs=1 seek=300 conv=notrunc 2>/dev/null &&
	same_as_nocache &&
	complaint check >out.tmp &&
	! grep -q "cache" out.tmp
'

test_expect_success 'a cache written by another version is rebuilt' '
	printf "9.9.9-other\0" | dd of=$CACHE bs=1 seek=16 conv=notrunc 2>/dev/null &&
	grep -q "9.9.9-other" $CACHE &&
	same_as_nocache &&
	! grep -q "9.9.9-other" $CACHE
'

test_expect_success 'a deleted cache is made again' '
	rm -f $CACHE &&
	same_as_nocache &&
	test_path_is_file $CACHE
'

test_expect_success 'check passes on a good cache' '
	complaint --now $NOW report --month 2026-11 >out.tmp &&
	complaint check >out.tmp &&
	! grep -q "cache" out.tmp
'

test_expect_success 'check reports a forged entry; --repair removes the cache' '
	forge_entry Alice Alicf &&
	test_expect_code 1 complaint check >out.tmp &&
	grep "problem: the cache entry for cases/.*$A.yaml" out.tmp &&
	complaint check --repair >out.tmp &&
	grep "repaired: removed the cache" out.tmp &&
	test_path_is_missing $CACHE &&
	complaint check >out.tmp &&
	same_as_nocache
'

test_expect_success 'a temporary file left by a killed writer is removed' '
	mkdir -p .git/complaint &&
	echo partial >.git/complaint/cache.tmp-4194000-AbCdEf &&
	complaint --now $NOW list >out.tmp &&
	test_path_is_missing .git/complaint/cache.tmp-4194000-AbCdEf
'

test_expect_success 'a cache that cannot be written is skipped' '
	rm -rf .git/complaint &&
	echo "not a directory" >.git/complaint &&
	same_as_nocache &&
	test_path_is_file .git/complaint &&
	rm -f .git/complaint
'

test_done
