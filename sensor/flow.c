/*
 * flow.c - what a finished (or alerting) flow says about itself: Zeek's
 * conn_state and Suricata's flow.state, derived from the per-direction
 * endpoint bits the flow table keeps.  Deriving them on demand keeps the
 * per-packet path to a few OR operations.
 */
#include <string.h>
#include "flow.h"

enum ep { EP_INACTIVE, EP_PARTIAL, EP_SYN_SENT, EP_SYN_ACK_SENT,
	EP_ESTABLISHED, EP_CLOSED, EP_RESET };

/* Zeek's TCP endpoint state, approximated from what we saw it send. */
static enum ep
endpoint(const struct flow *f, int dir)
{
	uint8_t s = f->st[dir];

	if (s & FS_RST)
		return EP_RESET;
	if (s & FS_FIN)
		return EP_CLOSED;
	if (flow_tcp_established(f))
		return EP_ESTABLISHED;
	if (s & FS_SYN)
		return EP_SYN_SENT;
	if (s & FS_SYNACK)
		return EP_SYN_ACK_SENT;
	if (s & FS_ANY)
		return ((f->st[!dir] & FS_ANY) &&
		    !((f->st[0] | f->st[1]) & (FS_SYN | FS_SYNACK))) ?
		    EP_ESTABLISHED : EP_PARTIAL;
	return EP_INACTIVE;
}

/* Mirrors conn_state() in Zeek's base/protocols/conn/main.zeek. */
const char *
flow_conn_state(const struct flow *f)
{
	if (f->key.proto == 6) {
		enum ep os = endpoint(f, DIR_TOSERVER);
		enum ep rs = endpoint(f, DIR_TOCLIENT);
		int o_inact = os == EP_INACTIVE || os == EP_PARTIAL;
		int r_inact = rs == EP_INACTIVE || rs == EP_PARTIAL;
		int nodata = !((f->st[0] | f->st[1]) & FS_DATA);

		if (rs == EP_RESET) {
			if (!flow_tcp_established(f) &&
			    (os == EP_SYN_SENT || os == EP_SYN_ACK_SENT ||
			    (os == EP_RESET && nodata)))
				return "REJ";
			return o_inact ? "RSTRH" : "RSTR";
		}
		if (os == EP_RESET) {
			if (!flow_tcp_established(f) && !(f->st[1] & FS_ANY)) {
				if ((f->st[0] & FS_SYN) && !(f->st[0] & FS_DATA))
					return "RSTOS0";
				return "OTH";
			}
			return "RSTO";
		}
		if (rs == EP_CLOSED && os == EP_CLOSED)
			return "SF";
		if (os == EP_CLOSED)
			return r_inact ? "SH" : "S2";
		if (rs == EP_CLOSED)
			return o_inact ? "SHR" : "S3";
		if (os == EP_SYN_SENT && rs == EP_INACTIVE)
			return "S0";
		if (os == EP_ESTABLISHED && rs == EP_ESTABLISHED)
			return "S1";
		return "OTH";
	}
	if (f->key.proto == 17 || f->key.proto == 1 || f->key.proto == 58) {
		int o = (f->st[0] & FS_ANY) != 0, r = (f->st[1] & FS_ANY) != 0;
		if (o)
			return r ? "SF" : "S0";
		return r ? "SHR" : "OTH";
	}
	return "OTH";
}

const char *
flow_suricata_state(const struct flow *f)
{
	if (f->key.proto == 6) {
		if (((f->st[0] | f->st[1]) & FS_RST) ||
		    ((f->st[0] & FS_FIN) && (f->st[1] & FS_FIN)))
			return "closed";
		if (flow_tcp_established(f))
			return "established";
		return "new";
	}
	return (f->st[0] & FS_ANY) && (f->st[1] & FS_ANY) ?
	    "established" : "new";
}

const char *
flow_end_reason(const struct flow *f)
{
	switch (f->end_reason) {
	case FE_TIMEOUT: return "timeout";
	case FE_EVICTED: return "forced";
	case FE_SHUTDOWN: return "shutdown";
	default: return "unknown";
	}
}
