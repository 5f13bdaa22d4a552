# lib-audit.sh - what the audit tests (t90xx) share: real SSH keys made
# with ssh-keygen, a roster naming people with those keys, and the
# default policy with an `audit:` key.  Source it after test-lib.sh.
#
#	make_key NAME [PASSPHRASE]   keys/NAME and keys/NAME.pub (ed25519)
#	audit_roster FILE            the winery roster (with 客服中心, the default
#	                             policy's intake) plus people and admins:
#	                             王五 (wangwu, key), 陈总 (chen, key, admin),
#	                             李四 (lisi, no key), 张三 (zhangsan, key)
#	audit_policy FILE AUDIT      the default policy with "audit: AUDIT"
#	use_key NAME                 git config user.signingkey keys/NAME here

make_key () {
	mkdir -p "$TRASH_DIRECTORY/keys" &&
	ssh-keygen -q -t ed25519 -N "${2:-}" -C "$1" -f "$TRASH_DIRECTORY/keys/$1"
}

audit_roster () {
	cat >"$1" <<-EOF
	directors: [陈总]
	departments:
	  - {name: 餐饮部, head: 李四, leader: 王五}
	  - {name: 客房部, head: 孙七, leader: 王五}
	  - {name: 客服中心, head: 周八, leader: 王五}
	people:
	  - {name: 王五, email: wangwu@example.com, keys: ["$(cat "$TRASH_DIRECTORY/keys/wangwu.pub")"]}
	  - {name: 陈总, email: chen@example.com, keys: ["$(cat "$TRASH_DIRECTORY/keys/chen.pub")"]}
	  - {name: 李四, email: lisi@example.com}
	  - {name: 张三, email: zhangsan@example.com, keys: ["$(cat "$TRASH_DIRECTORY/keys/zhangsan.pub")"]}
	admins: [陈总]
	EOF
}

audit_policy () {
	cp "$TEST_ROOT/policy/default.yaml" "$1" &&
	printf 'audit: %s\n' "$2" >>"$1"
}

use_key () {
	git config user.signingkey "$TRASH_DIRECTORY/keys/$1"
}
