/*
 * output-eve-int.h - shared by the EVE writer (output-eve.c) and its
 * application-layer objects (output-eve-app.c).
 */
#ifndef BW_OUTPUT_EVE_INT_H
#define BW_OUTPUT_EVE_INT_H

#include "json.h"

struct flow;
struct dns_info;

void	 eve_app_proto(struct json *j, const struct flow *f);
void	 eve_app_objects(struct json *j, const struct flow *f);
void	 eve_dns_body(struct json *j, const struct dns_info *d);

#endif
