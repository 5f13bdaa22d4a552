/*
 * name.h - names are people, not bytes (SPEC section 9).
 *
 * Every name the store keeps or compares (a person penalised, a
 * department, a responsible person, a head, a leader, a director, the
 * actor) goes through cp_name_norm(), from the command line and from the
 * files alike, so '张三', '张三 ' and '张三' + U+200B are one person or an
 * error, never three.
 */
#ifndef COMPLAINT_NAME_H
#define COMPLAINT_NAME_H

#include <stdbool.h>
#include <stddef.h>

#define CP_NAME_MAX 128		/* bytes of a normalised name */

/*
 * The normal form of the name s (n bytes): Unicode NFC, white space
 * (U+0020, U+00A0, U+3000 and the other space separators) removed at
 * both ends and each run inside made one U+0020.  Refused (-CP_EUSAGE,
 * the message shows the name with the offending character as <U+XXXX>):
 * invalid UTF-8, an empty name, more than CP_NAME_MAX bytes, and any
 * control, format or invisible character: tab, line breaks and other
 * C0/C1 controls, zero-width space and joiners, the byte order mark,
 * bidi controls, soft hyphen, variation selectors and every other
 * default-ignorable code point, line and paragraph separators,
 * surrogates and non-characters.  *out is allocated; *changed (may be
 * NULL) says whether it differs from s.
 */
int cp_name_norm(char **out, bool *changed, const char *s, size_t n);

/*
 * The actor: a name, or Unit/Name (parts separated by '/', each a name
 * in normal form, none empty), without '<' or '>' (the actor is the git
 * author), at most CP_NAME_MAX bytes.  Same errors as cp_name_norm.
 */
int cp_actor_norm(char **out, bool *changed, const char *s, size_t n);

#endif
