/*
 * output-eve.c - EVE JSON records: alert, flow, stats.
 *
 * Each record is built in one reusable buffer (json.c) and written with a
 * single fwrite of a complete line, so a reader tailing the file never
 * sees half a record.  Timestamps are packet time in UTC, so replaying
 * the same input gives byte-identical output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <inttypes.h>

#include "engine.h"
#include "output-eve.h"
#include "json.h"
#include "output-eve-int.h"
#include "app.h"
#include "app-flow.h"
#include "flow.h"
#include "rules.h"
#include "decode.h"
#include "geoip.h"
#include "detect.h"
#include "beacon.h"
#include "peer.h"
#include "state.h"
#include "detect-bmc.h"

struct eve {
	FILE		*fp;
	int		 is_stdout;
	int		 failed;
	int		 quiet;		/* this record: the report only */
	int		 flush;		/* live: every record reaches the file now */
	eve_sink_cb	 sink;
	void		*sink_arg;
	struct json	 j;
};

void
eve_set_flush(struct eve *ev, int on)
{
	ev->flush = on;
}

void
eve_quiet_next(struct eve *ev)
{
	ev->quiet = 1;
}

void
eve_set_sink(struct eve *ev, eve_sink_cb cb, void *arg)
{
	ev->sink = cb;
	ev->sink_arg = arg;
}

struct eve *
eve_open(const char *path)
{
	struct eve *ev = calloc(1, sizeof(*ev));

	if (ev == NULL)
		return NULL;
	if (path == NULL || strcmp(path, "-") == 0) {
		ev->fp = stdout;
		ev->is_stdout = 1;
	} else if ((ev->fp = fopen(path, "a")) == NULL) {
		int e = errno;
		free(ev);
		errno = e;
		return NULL;
	}
	json_init(&ev->j);
	return ev;
}

/* logrotate moved the file: write to a new one under the same name. */
int
eve_reopen(struct eve *ev, const char *path)
{
	FILE *fp;

	if (ev->is_stdout)
		return 0;
	fflush(ev->fp);
	if ((fp = fopen(path, "a")) == NULL)
		return -1;
	fclose(ev->fp);
	ev->fp = fp;
	return 0;
}

int
eve_close(struct eve *ev)
{
	int rc;

	if (ev == NULL)
		return 0;
	rc = ev->failed ? -1 : 0;
	if (fflush(ev->fp) != 0)
		rc = -1;
	if (!ev->is_stdout && fclose(ev->fp) != 0)
		rc = -1;
	json_free(&ev->j);
	free(ev);
	return rc;
}

const char *
eve_last(const struct eve *ev, size_t *len)
{
	*len = ev->j.len;
	return ev->j.buf != NULL ? ev->j.buf : "";
}

static const char *
proto_name(uint8_t proto, char *buf, size_t len)
{
	switch (proto) {
	case 1: return "ICMP";
	case 6: return "TCP";
	case 17: return "UDP";
	case 58: return "IPv6-ICMP";
	case 132: return "SCTP";
	default:
		snprintf(buf, len, "%u", proto);
		return buf;
	}
}

static void
emit(struct eve *ev)
{
	struct json *j = &ev->j;

	if (j->oom) {
		ev->failed = 1;
		return;
	}
	if (ev->sink != NULL)
		ev->sink(ev->sink_arg, j->buf, j->len);
	if (ev->quiet) {
		ev->quiet = 0;
		return;
	}
	j->buf[j->len] = '\n';
	if (fwrite(j->buf, 1, j->len + 1, ev->fp) != j->len + 1)
		ev->failed = 1;
	if (ev->flush && fflush(ev->fp) != 0)
		ev->failed = 1;
	j->buf[j->len] = '\0';
}

static int
has_ports(uint8_t proto)
{
	return proto == 6 || proto == 17 || proto == 132;
}

/* The fields every flow-bound record starts with. */
static void
header(struct json *j, const struct flow *f, int64_t ts, const char *type)
{
	char tbuf[40], a[64], pb[8], cid[40];
	uint32_t v = f->key.vlan;

	json_obj_open(j, NULL);
	json_str(j, "timestamp", json_time(ts, tbuf, sizeof(tbuf)));
	json_uint(j, "flow_id", f->flow_id);
	json_str(j, "event_type", type);
	if (v != 0) {
		json_arr_open(j, "vlan");
		if (v >> 12)
			json_uint(j, NULL, v >> 12);
		if (v & 0xfff)
			json_uint(j, NULL, v & 0xfff);
		json_arr_close(j);
	}
	json_str(j, "src_ip", bw_addr_str(flow_src(f), a, sizeof(a)));
	if (has_ports(f->key.proto))
		json_uint(j, "src_port", flow_sport(f));
	json_str(j, "dest_ip", bw_addr_str(flow_dst(f), a, sizeof(a)));
	if (has_ports(f->key.proto))
		json_uint(j, "dest_port", flow_dport(f));
	json_str(j, "proto", proto_name(f->key.proto, pb, sizeof(pb)));
	if (f->key.proto == 1 || f->key.proto == 58) {
		uint16_t sp, dp;
		/* one-way messages keep their code in the responder "port" */
		int one_way = flow_icmp_ports(f->key.proto == 58,
		    (uint8_t)flow_sport(f), (uint8_t)flow_dport(f), &sp, &dp);
		json_uint(j, "icmp_type", flow_sport(f));
		json_uint(j, "icmp_code", one_way ? flow_dport(f) : 0);
	}
	json_str(j, "community_id", flow_community_id(f, 0, cid, sizeof(cid)));
	eve_app_proto(j, f);
}

static void
flow_counts(struct json *j, const struct flow *f)
{
	char tbuf[40];

	json_uint(j, "pkts_toserver", f->pkts[DIR_TOSERVER]);
	json_uint(j, "pkts_toclient", f->pkts[DIR_TOCLIENT]);
	json_uint(j, "bytes_toserver", f->bytes[DIR_TOSERVER]);
	json_uint(j, "bytes_toclient", f->bytes[DIR_TOCLIENT]);
	json_str(j, "start", json_time(f->first_ns, tbuf, sizeof(tbuf)));
}

static const char *
verdict_name(uint8_t v)
{
	switch (v) {
	case FV_PASS: return "pass";
	case FV_ALERT: return "alert";
	case FV_NOMATCH: return "none";
	default: return "unevaluated";
	}
}

/* bmcwatch's own conn object: Zeek's conn_state and history, policy. */
static void
conn_obj(struct json *j, const struct flow *f)
{
	json_obj_open(j, "conn");
	json_str(j, "conn_state", flow_conn_state(f));
	json_str(j, "history", f->history);
	json_str(j, "policy", verdict_name(f->verdict));
	if (f->verdict == FV_PASS)
		json_uint(j, "pass_sid", f->pass_sid);
	if (f->ext != NULL && f->ext->rname != NULL)
		json_str(j, "resolved", f->ext->rname);
	json_obj_close(j);
}

static void
geo_side(struct json *j, struct geoip *g, const char *key,
    const struct bw_addr *a)
{
	const struct geo_result *r = geoip_lookup(g, a);

	if (r->cc[0] == '\0' && r->asn == 0)
		return;
	json_obj_open(j, key);
	if (r->cc[0] != '\0')
		json_str(j, "country", r->cc);
	if (r->asn != 0) {
		json_uint(j, "asn", r->asn);
		if (r->as_org[0] != '\0')
			json_str(j, "as_org", r->as_org);
	}
	json_obj_close(j);
}

static void
geo_obj(struct json *j, struct engine *e, const struct flow *f)
{
	size_t mark;

	if (e->geo == NULL)
		return;
	mark = j->len;
	json_obj_open(j, "geoip");
	size_t inner = j->len;
	geo_side(j, e->geo, "src", flow_src(f));
	geo_side(j, e->geo, "dest", flow_dst(f));
	if (j->len == inner) {		/* neither end known: no object */
		j->len = mark;
		j->buf[mark] = '\0';
		j->depth--;
		return;
	}
	json_obj_close(j);
}

/* bmcwatch's own beacon object: what made the series periodic. */
static void
beacon_obj(struct json *j, const struct beacon_alert *b)
{
	const struct beacon_result *r = b->r;

	json_obj_open(j, "beacon");
	json_str(j, "key", b->key);
	if (b->name != NULL)
		json_str(j, "name", b->name);
	json_double(j, "period_s", r->period_s, 1);
	json_double(j, "jitter", r->jitter, 3);
	json_uint(j, "events", r->events);
	json_double(j, "span_s", r->span_s, 1);
	json_double(j, "score", r->score, 3);
	json_uint(j, "size_mode", r->size_mode);
	json_uint(j, "missed", r->missed);
	/* the events behind the verdict, for the report's timing plots */
	json_arr_open(j, "times");
	for (size_t i = 0; i < b->ntimes; i++)
		json_double(j, NULL, (double)b->times[i] / 1e9, 3);
	json_arr_close(j);
	json_obj_close(j);
}

void
eve_alert(struct engine *e, const struct flow *f, const struct rule *r,
    int64_t ts_ns, const struct beacon_alert *b)
{
	struct eve *ev = e->eve;
	struct json *j = &ev->j;

	json_reset(j);
	header(j, f, ts_ns, "alert");
	json_obj_open(j, "alert");
	json_str(j, "action", "allowed");
	json_uint(j, "gid", r->gid);
	json_uint(j, "signature_id", r->sid);
	json_uint(j, "rev", r->rev);
	json_str(j, "signature", r->msg != NULL ? r->msg : "");
	json_str(j, "category", r->category != NULL ? r->category : "");
	json_int(j, "severity", r->severity);
	json_obj_close(j);
	json_obj_open(j, "flow");
	flow_counts(j, f);
	json_obj_close(j);
	eve_app_objects(j, f);
	conn_obj(j, f);
	geo_obj(j, e, f);
	if (b != NULL)
		beacon_obj(j, b);
	json_obj_close(j);
	emit(ev);
}

void
eve_bmc(struct engine *e, const struct bw_addr *a, int64_t ts_ns)
{
	struct eve *ev = e->eve;
	struct json *j = &ev->j;
	const struct bmc_host *h = bmc_lookup(e->bmc, a);
	char tbuf[40], ab[64];

	if (h == NULL || !bmc_is_bmc(e->bmc, a))
		return;
	json_reset(j);
	json_obj_open(j, NULL);
	json_str(j, "timestamp", json_time(ts_ns, tbuf, sizeof(tbuf)));
	json_str(j, "event_type", "bmc");
	json_str(j, "src_ip", bw_addr_str(a, ab, sizeof(ab)));
	bmc_json(e->bmc, h, j);
	json_obj_close(j);
	emit(ev);
}

void
eve_dns(struct engine *e, const struct flow *f, const struct dns_info *d,
    int64_t ts_ns)
{
	struct eve *ev = e->eve;
	struct json *j = &ev->j;

	json_reset(j);
	header(j, f, ts_ns, "dns");
	eve_dns_body(j, d);
	json_obj_close(j);
	emit(ev);
}

static void
tcp_flags_hex(struct json *j, const char *key, uint8_t fl)
{
	char b[3];
	static const char hex[] = "0123456789abcdef";

	b[0] = hex[fl >> 4];
	b[1] = hex[fl & 15];
	b[2] = '\0';
	json_str(j, key, b);
}

void
eve_flow(struct engine *e, const struct flow *f)
{
	struct eve *ev = e->eve;
	struct json *j = &ev->j;
	char tbuf[40];

	json_reset(j);
	/* flow records always feed the report; the file only with --flows */
	ev->quiet = !e->cfg.emit_flows;
	header(j, f, f->last_ns, "flow");
	json_obj_open(j, "flow");
	flow_counts(j, f);
	json_str(j, "end", json_time(f->last_ns, tbuf, sizeof(tbuf)));
	json_int(j, "age", (f->last_ns - f->first_ns) / 1000000000LL);
	json_str(j, "state", flow_suricata_state(f));
	json_str(j, "reason", flow_end_reason(f));
	json_bool(j, "alerted", f->verdict == FV_ALERT);
	json_obj_close(j);
	if (f->key.proto == 6) {
		uint8_t all = f->tcp_flags[0] | f->tcp_flags[1];
		json_obj_open(j, "tcp");
		tcp_flags_hex(j, "tcp_flags", all);
		tcp_flags_hex(j, "tcp_flags_ts", f->tcp_flags[0]);
		tcp_flags_hex(j, "tcp_flags_tc", f->tcp_flags[1]);
		if (all & TH_SYN) json_bool(j, "syn", 1);
		if (all & TH_FIN) json_bool(j, "fin", 1);
		if (all & TH_RST) json_bool(j, "rst", 1);
		if (all & TH_PSH) json_bool(j, "psh", 1);
		if (all & TH_ACK) json_bool(j, "ack", 1);
		if (all & TH_URG) json_bool(j, "urg", 1);
		if (all & TH_ECE) json_bool(j, "ecn", 1);
		if (all & TH_CWR) json_bool(j, "cwr", 1);
		json_obj_close(j);
	}
	eve_app_objects(j, f);
	conn_obj(j, f);
	geo_obj(j, e, f);
	json_obj_close(j);
	emit(ev);
}

void
eve_stats(struct engine *e)
{
	struct eve *ev = e->eve;
	struct json *j = &ev->j;
	struct bw_counters *c = &e->c;
	struct flow_table_stats fs;
	char tbuf[40];
	uint64_t malformed = 0;

	flow_table_stats(e->ft, &fs);
	for (int i = DR_LINK_TRUNC; i < DR_MAX; i++)
		malformed += c->reason[i];
	json_reset(j);
	json_obj_open(j, NULL);
	json_str(j, "timestamp", json_time(e->last_ns, tbuf, sizeof(tbuf)));
	json_str(j, "event_type", "stats");
	json_obj_open(j, "stats");
	json_int(j, "uptime", e->last_ns > e->first_ns ?
	    (e->last_ns - e->first_ns) / 1000000000LL : 0);
	json_obj_open(j, "decoder");
	json_uint(j, "pkts", c->pkts);
	json_uint(j, "bytes", c->bytes);
	json_uint(j, "invalid", malformed);
	json_uint(j, "ethernet", c->ethernet);
	json_uint(j, "vlan", c->vlan);
	json_uint(j, "vlan_qinq", c->vlan_qinq);
	json_uint(j, "sll", c->sll);
	json_uint(j, "sll2", c->sll2);
	json_uint(j, "raw", c->raw);
	json_uint(j, "null", c->null);
	json_uint(j, "ipv4", c->ipv4);
	json_uint(j, "ipv6", c->ipv6);
	json_uint(j, "tcp", c->tcp);
	json_uint(j, "udp", c->udp);
	json_uint(j, "icmpv4", c->icmpv4);
	json_uint(j, "icmpv6", c->icmpv6);
	json_uint(j, "avg_pkt_size", c->pkts ? c->bytes / c->pkts : 0);
	json_uint(j, "max_pkt_size", c->max_pkt_size);
	json_obj_close(j);
	json_obj_open(j, "flow");
	json_uint(j, "total", fs.created);
	json_uint(j, "active", fs.active);
	json_uint(j, "tcp", fs.tcp);
	json_uint(j, "udp", fs.udp);
	json_uint(j, "icmpv4", fs.icmpv4);
	json_uint(j, "icmpv6", fs.icmpv6);
	json_obj_close(j);
	json_obj_open(j, "detect");
	json_uint(j, "alert", e->alerts);
	json_obj_close(j);
	json_obj_close(j);

	/* bmcwatch's own counters: what Suricata's stats have no room for */
	json_obj_open(j, "bmcwatch");
	json_uint(j, "files", c->files);
	json_uint(j, "files_failed", c->files_failed);
	json_uint(j, "files_truncated", c->files_truncated);
	json_uint(j, "decoded", c->decoded);
	json_uint(j, "not_ip", c->reason[DR_NOT_IP]);
	json_uint(j, "malformed", malformed);
	json_obj_open(j, "malformed_by_reason");
	for (int i = DR_LINK_TRUNC; i < DR_MAX; i++)
		if (c->reason[i] != 0)
			json_uint(j, decode_reason_name((enum bw_decode_reason)i),
			    c->reason[i]);
	json_obj_close(j);
	json_uint(j, "ipv4_frag", c->ipv4_frag);
	json_uint(j, "ipv6_frag", c->ipv6_frag);
	json_uint(j, "ipv4_options", c->ipv4_opts);
	json_uint(j, "frag_attributed", fs.frag_attributed);
	json_uint(j, "frag_orphan", fs.frag_orphan);
	json_obj_open(j, "flows");
	json_uint(j, "created", fs.created);
	json_uint(j, "expired", fs.expired);
	json_uint(j, "evicted", fs.evicted);
	json_uint(j, "closed_at_end", fs.flushed);
	json_uint(j, "active", fs.active);
	json_uint(j, "max", fs.max);
	json_obj_close(j);
	json_uint(j, "alerts", e->alerts);
	if (e->det != NULL) {
		struct detect_stats ds;
		detect_stats(e->det, &ds);
		json_uint(j, "alerts_suppressed", ds.suppressed);
		json_uint(j, "policy_evaluations", ds.evaluated);
		if (e->beacon) {
			json_obj_open(j, "beacon");
			json_uint(j, "events", ds.beacon_events);
			json_uint(j, "series", ds.beacon_series);
			json_uint(j, "evictions", ds.beacon_evictions);
			json_obj_close(j);
		}
	}
	if (e->peers != NULL) {
		struct peer_stats ps;
		peer_stats(e->peers, &ps);
		json_obj_open(j, "peers");
		json_uint(j, "known", ps.entries);
		json_uint(j, "flows_observed", ps.observed);
		json_uint(j, "new", ps.new_peers);
		json_uint(j, "not_stored_full", ps.full);
		json_obj_close(j);
	}
	if (e->state != NULL) {
		struct state_stats ss;
		state_stats(e->state, &ss);
		json_obj_open(j, "state");
		json_uint(j, "batches", ss.syncs);
		json_uint(j, "batches_failed", ss.failures);
		json_uint(j, "peers_written", ss.peers_written);
		json_uint(j, "series_written", ss.series_written);
		json_uint(j, "peers_loaded", ss.peers_loaded);
		json_uint(j, "series_loaded", ss.series_loaded);
		json_uint(j, "rows_skipped", ss.rows_skipped);
		json_obj_close(j);
	}
	json_obj_close(j);
	json_obj_close(j);
	emit(ev);
}
