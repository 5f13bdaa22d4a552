/* The bundled default policy, sample roster and letter templates, for `complaint init`. */
	.section .rodata
	.global cp_default_policy
	.global cp_default_policy_end
	.global cp_default_org
	.global cp_default_org_end
	.global cp_template_apology
	.global cp_template_apology_end
	.global cp_template_reply
	.global cp_template_reply_end
cp_default_policy:
	.incbin "policy/default.yaml"
cp_default_policy_end:
	.byte 0
cp_default_org:
	.incbin "policy/rosters/winery.yaml"
cp_default_org_end:
	.byte 0
cp_template_apology:
	.incbin "templates/apology.md"
cp_template_apology_end:
	.byte 0
cp_template_reply:
	.incbin "templates/reply.md"
cp_template_reply_end:
	.byte 0
	.section .note.GNU-stack,"",@progbits
