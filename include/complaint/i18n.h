/*
 * i18n.h - messages through gettext, and the language of reports.
 *
 * Messages (errors, warnings, --help, what a command tells the person at
 * the shell) follow LANGUAGE / LC_ALL / LC_MESSAGES: _() looks them up
 * in the "complaint" catalogue the program bound (English when there is
 * none: the C locale).  Reports do not: their language comes from the
 * policy (language: zh-CN | en) or --lang, and their headings and labels
 * are looked up with cp_tr() in a catalogue built into the program, so
 * that a report is the same bytes whatever the caller's locale.
 * po/zh_CN.po is the one source of both.
 */
#ifndef COMPLAINT_I18N_H
#define COMPLAINT_I18N_H

#include <libintl.h>
#include <stddef.h>

#define CP_TEXTDOMAIN "complaint"

/* A message, in the language of the person at the shell. */
#define _(s) dgettext(CP_TEXTDOMAIN, s)
/* The same with a plural: Q_("%zu case", "%zu cases", n). */
#define Q_(s, p, n) dngettext(CP_TEXTDOMAIN, s, p, n)
/* Marks s for the catalogue, where it cannot be looked up (a table); _() it where it is used. */
#define N_(s) s

/* The languages of reports. */
enum cp_lang { CP_LANG_EN, CP_LANG_ZH_CN, CP_LANG__COUNT };

/* "en", "zh-CN" (also zh_CN, zh, case ignored): 0 and *out, or -CP_EUSAGE naming the languages. */
int cp_lang_parse(enum cp_lang *out, const char *s);
/* The BCP 47 tag: "en", "zh-CN" (for <html lang>). */
const char *cp_lang_tag(enum cp_lang lang);

/*
 * s in lang, from the catalogue registered for it; s itself for English,
 * with no catalogue, or when the catalogue has no translation.
 */
const char *cp_tr(enum cp_lang lang, const char *s) __attribute__((format_arg(2)));
/* The same with a plural (n chooses as the catalogue's Plural-Forms would for Chinese or English). */
const char *cp_trn(enum cp_lang lang, const char *s, const char *plural, unsigned long n)
	__attribute__((format_arg(2))) __attribute__((format_arg(3)));
/* A report label marked for the catalogue: T_(lang, "Complaint analysis"). */
#define T_(lang, s) cp_tr(lang, s)

/*
 * Register the catalogue for lang: the bytes of a .mo file (msgfmt's
 * output), kept by the caller for the life of the program.  Returns 0,
 * or -CP_EDATA when it is not a .mo file.
 */
int cp_tr_catalog(enum cp_lang lang, const void *mo, size_t len);

#endif
