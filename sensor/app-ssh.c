/*
 * app-ssh.c - the SSH identification string (RFC 4253 4.2):
 * "SSH-protoversion-softwareversion SP comments CR LF".
 *
 * Why it is built this way: the caller hands us the start of one
 * direction's byte stream as it grows, so the parser is restartable from
 * the beginning and keeps no state; it answers APP_MORE until the banner
 * line is complete.  A server may send other lines first, so we walk
 * line by line and take the first that starts with "SSH-", but only
 * within the first 8 KB, and only while the bytes look like text: a
 * control byte other than TAB/CR/LF means a binary protocol and APP_NOT
 * at once, so that a TLS or RMCP stream is not held for 8 KB.  Lines end
 * at LF; a CR before it is dropped (some old servers send LF alone).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "app.h"

#define SSH_WINDOW	8192	/* the banner must end within this */

static int
is_binary(uint8_t c)
{
	return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f;
}

/* Copy [s, e) into a C string of the given size, cut to fit. */
static void
copy_field(char *dst, size_t size, const uint8_t *s, const uint8_t *e)
{
	size_t len = (size_t)(e - s);

	if (len > size - 1)
		len = size - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

/* Split a complete banner line [s, e) without its line end. */
static int
split_banner(const uint8_t *s, const uint8_t *e, struct ssh_info *out)
{
	const uint8_t *proto, *dash, *sp;

	proto = s + 4;				/* after "SSH-" */
	dash = memchr(proto, '-', (size_t)(e - proto));
	if (dash == NULL || dash == proto)
		return APP_NOT;
	copy_field(out->proto_version, sizeof(out->proto_version), proto,
	    dash);
	sp = memchr(dash + 1, ' ', (size_t)(e - (dash + 1)));
	if (sp == NULL) {
		copy_field(out->software_version,
		    sizeof(out->software_version), dash + 1, e);
		return APP_OK;
	}
	copy_field(out->software_version, sizeof(out->software_version),
	    dash + 1, sp);
	copy_field(out->comments, sizeof(out->comments), sp + 1, e);
	return APP_OK;
}

int
app_ssh_parse(const uint8_t *b, size_t n, struct ssh_info *out)
{
	static const char magic[] = "SSH-";
	size_t lim, pos, i;
	const uint8_t *nl, *e;

	memset(out, 0, sizeof(*out));
	if (b == NULL)
		return APP_NOT;
	lim = n < SSH_WINDOW ? n : SSH_WINDOW;
	for (pos = 0; pos < lim; pos = (size_t)(nl - b) + 1) {
		for (i = pos; i < lim && b[i] != '\n'; i++)
			if (is_binary(b[i]))
				return APP_NOT;
		nl = i < lim ? b + i : NULL;
		if (nl == NULL)
			break;			/* line not finished yet */
		if ((size_t)(nl - b) - pos >= 4 &&
		    memcmp(b + pos, magic, 4) == 0) {
			e = nl;
			if (e > b + pos + 4 && e[-1] == '\r')
				e--;
			return split_banner(b + pos, e, out);
		}
	}
	if (n >= SSH_WINDOW)
		return APP_NOT;
	return APP_MORE;
}
