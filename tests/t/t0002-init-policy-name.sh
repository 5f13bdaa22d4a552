#!/bin/sh
test_description='init --policy NAME: the shipped policies by name, with their rosters

A name finds policy/NAME.yaml in the share folder (here the source tree
the binary was built in), with policy/rosters/NAME.yaml unless --org is
given; a path still works; a name not found lists the shipped ones.'
. "$(dirname "$0")/test-lib.sh"

shipped=$TEST_ROOT/policy

for p in manufacturer service-desk hospital company; do
	test_expect_success "init --policy $p takes the policy and its roster" "
		complaint --now 2026-11-01T09:00 init s-$p --policy $p >out &&
		test_cmp_bytes '$shipped/$p.yaml' s-$p/policy.yaml &&
		test_cmp_bytes '$shipped/rosters/$p.yaml' s-$p/org.yaml &&
		(cd s-$p && complaint check >../out.check)
	"
done

test_expect_success 'init --policy default is the built-in default and the sample roster' '
	complaint --now 2026-11-01T09:00 init s-default --policy default >out &&
	complaint --now 2026-11-01T09:00 init s-none >out &&
	test_cmp_bytes s-none/policy.yaml s-default/policy.yaml &&
	test_cmp_bytes s-none/org.yaml s-default/org.yaml &&
	test_cmp_bytes "$shipped/default.yaml" s-default/policy.yaml
'

test_expect_success '--org wins over the shipped roster' '
	printf "directors: [甲]\ndepartments:\n  - {name: 门诊部, head: 乙, leader: 丙}\n" >form-org.yaml &&
	complaint --now 2026-11-01T09:00 init s-org --policy hospital --org form-org.yaml >out &&
	test_cmp_bytes "$shipped/hospital.yaml" s-org/policy.yaml &&
	test_cmp_bytes form-org.yaml s-org/org.yaml
'

test_expect_success 'a path still works, also one without a slash' '
	cp "$shipped/service-desk.yaml" form-desk.yaml &&
	complaint --now 2026-11-01T09:00 init s-path --policy form-desk.yaml \
		--org "$shipped/rosters/service-desk.yaml" >out &&
	test_cmp_bytes form-desk.yaml s-path/policy.yaml &&
	complaint --now 2026-11-01T09:00 init s-path2 --policy "$shipped/hospital.yaml" >out &&
	test_cmp_bytes "$shipped/hospital.yaml" s-path2/policy.yaml
'

test_expect_success 'a file in the current folder wins over a shipped name' '
	cp "$shipped/hospital.yaml" manufacturer &&
	complaint --now 2026-11-01T09:00 init s-file --policy manufacturer >out &&
	test_cmp_bytes "$shipped/hospital.yaml" s-file/policy.yaml &&
	rm manufacturer
'

test_expect_success 'an unknown name lists the shipped policies (exit 2, nothing made)' '
	test_expect_code 2 complaint init s-bad --policy nosuch >out 2>err &&
	test_must_be_empty out &&
	test_error_line err &&
	test_grep "no file and no shipped policy named .nosuch." err &&
	test_grep "shipped: company, default, hospital, manufacturer, service-desk" err &&
	test_path_is_missing s-bad
'

test_expect_success 'a missing path is still a missing file' '
	test_must_fail complaint init s-bad2 --policy ./nosuch.yaml >out 2>err &&
	test_error_line err &&
	test_grep "nosuch.yaml" err &&
	test_path_is_missing s-bad2
'

test_done
