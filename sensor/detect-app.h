/*
 * detect-app.h - testing a rule's application-layer conditions against
 * what the app stage learned about a flow, plus the one piece of
 * cross-flow state those tests need (user names tried per source, for
 * IPMI username enumeration).
 */
#ifndef BW_DETECT_APP_H
#define BW_DETECT_APP_H

#include <stdint.h>
#include "flow.h"
#include "rules.h"

struct user_enum;

struct user_enum *user_enum_new(size_t slots);
void		 user_enum_free(struct user_enum *u);

/*
 * 1 when every app condition of r holds for f at ts.  'final' is set for
 * the last evaluation of a flow: conditions about something that did not
 * happen (RAKP 3 never came) are only decided then.
 */
int		 detect_app_match(struct user_enum *u, const struct rule *r,
		    const struct flow *f, int64_t ts, int final);
/* Case-insensitive glob with * and ?. */
int		 glob_match(const char *pat, const char *s);

#endif
