/* The bundled default policy and sample roster, for `complaint init`. */
	.section .rodata
	.global cp_default_policy
	.global cp_default_policy_end
	.global cp_default_org
	.global cp_default_org_end
cp_default_policy:
	.incbin "policy/default.yaml"
cp_default_policy_end:
	.byte 0
cp_default_org:
	.incbin "policy/rosters/winery.yaml"
cp_default_org_end:
	.byte 0
	.section .note.GNU-stack,"",@progbits
