/*
 * json.h - a small append-only JSON writer for EVE records.
 *
 * Records are built into one reusable buffer and written with a single
 * write, so a crash never leaves half a line and a record costs no malloc
 * once the buffer has grown.  Every string goes through json_escape: wire
 * data is hostile, so control characters and invalid UTF-8 are escaped
 * (invalid bytes as \u00XX), never copied raw.
 */
#ifndef BW_JSON_H
#define BW_JSON_H

#include <stddef.h>
#include <stdint.h>

#define JSON_MAXDEPTH 16

struct json {
	char		*buf;
	size_t		 len, cap;
	int		 depth;
	uint8_t		 first[JSON_MAXDEPTH];
	int		 oom;
};

void	 json_init(struct json *j);
void	 json_free(struct json *j);
void	 json_reset(struct json *j);		/* empty, keep the buffer */

void	 json_obj_open(struct json *j, const char *key);	/* key NULL at top / in arrays */
void	 json_obj_close(struct json *j);
void	 json_arr_open(struct json *j, const char *key);
void	 json_arr_close(struct json *j);
void	 json_str(struct json *j, const char *key, const char *v);
void	 json_strn(struct json *j, const char *key, const char *v, size_t n);
void	 json_int(struct json *j, const char *key, int64_t v);
void	 json_uint(struct json *j, const char *key, uint64_t v);
void	 json_double(struct json *j, const char *key, double v, int prec);
void	 json_bool(struct json *j, const char *key, int v);
/* Escaped copy of bytes into out (NUL-terminated; cut to fit). */
/* An EVE timestamp, "2026-11-25T22:32:11.086248+0000" (UTC, microseconds);
 * buf >= 32 bytes.  Returns buf. */
const char	*json_time(int64_t ts_ns, char *buf, size_t len);
void	 json_escape_to(const char *s, size_t n, char *out, size_t outlen);

#endif
