/*
 * The message catalogues built into the program (msgfmt's .mo of
 * po/LANG.po), for reports in the policy's language whatever the
 * caller's locale (include/complaint/i18n.h).  CP_MO_ZH_CN is the .mo's
 * path, given by the Makefile.
 */
	.section .rodata
	.global cp_catalog_zh_CN
	.global cp_catalog_zh_CN_end
cp_catalog_zh_CN:
	.incbin CP_MO_ZH_CN
cp_catalog_zh_CN_end:
	.byte 0
	.section .note.GNU-stack,"",@progbits
