/*
 * case_id.c - case IDs and where their files live.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <errno.h>

#include "complaint/case.h"
#include "complaint/error.h"
#include "complaint/i18n.h"

bool cp_id_valid(const char *id)
{
	size_t i, n = strlen(id);

	if (n < 3 || n > CP_ID_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char c = id[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9'))
			continue;
		if (c == '-' && i > 0)
			continue;
		return false;
	}
	return true;
}

int cp_id_check(const char *id)
{
	if (!cp_id_valid(id))
		return cp_error(CP_EUSAGE,
				_("'%s' is not a valid case ID (letters, digits and '-', 3 to 32 characters)"),
				id);
	return 0;
}

int cp_id_generate(char out[CP_ID_MAX + 1], const struct cp_tz *z, cp_time received)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	unsigned char rnd[5];
	uint64_t bits = 0;
	size_t got = 0;
	int y, m, d, i;
	char tail[9];

	while (got < sizeof(rnd)) {
		ssize_t k = getrandom(rnd + got, sizeof(rnd) - got, 0);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return cp_error(CP_ESYS, _("cannot read random bytes for an ID: %s"),
					strerror(errno));
		}
		got += (size_t)k;
	}
	for (i = 0; i < 5; i++)
		bits = (bits << 8) | rnd[i];
	for (i = 7; i >= 0; i--) {
		tail[i] = alphabet[bits & 31];
		bits >>= 5;
	}
	tail[8] = '\0';
	cp_civil_from_days(&y, &m, &d, cp_local_day(z, received));
	snprintf(out, CP_ID_MAX + 1, "C-%04d%02d%02d-%s", y, m, d, tail);
	return 0;
}

void cp_case_path(struct cp_sbuf *out, const char *id, const struct cp_tz *z, cp_time received)
{
	int y, m, d;

	cp_civil_from_days(&y, &m, &d, cp_local_day(z, received));
	cp_sbuf_addf(out, "cases/%04d/%02d/%s.yaml", y, m, id);
}

int cp_id_month(int *year, int *month, const char *id)
{
	int y = 0, m = 0, i;

	if (strncmp(id, "C-", 2) || strlen(id) < 11)
		return -1;
	for (i = 2; i < 10; i++)
		if (id[i] < '0' || id[i] > '9')
			return -1;
	for (i = 2; i < 6; i++)
		y = y * 10 + (id[i] - '0');
	m = (id[6] - '0') * 10 + (id[7] - '0');
	if (m < 1 || m > 12 || (id[10] != '-' && id[10] != '\0'))
		return -1;
	*year = y;
	*month = m;
	return 0;
}
