/*
 * bmc-iana.c - what names a BMC vendor: IANA enterprise numbers (the OEM
 * IANA of IPMI auth-capabilities replies and ASF pongs, the manufacturer
 * ID of Get Device ID, the enterprise arc of a sysObjectID), the product
 * names BMCs put in certificates, Server headers, sysDescr, SSDP and SLP,
 * and the ports they answer on.
 *
 * Why in one place: these are facts to review and extend, each with its
 * source, apart from the inventory logic that weighs them
 * (detect-bmc.c).
 *
 * IANA numbers: checked against the IANA "enterprise-numbers" registry as
 * copied into Wireshark's enterprises.tsv (Debian libwireshark-data
 * 4.0.17-0+deb12u3, file of 2024-08-28); the registry name is kept
 * verbatim; the vendor is the one that sells servers with that BMC today
 * (HP's and Compaq's numbers, which iLO still reports, give "HPE").
 * Corrections to the numbers first proposed in issue 10: 49622
 * is ASRock Rack, OpenBMC is 49871, Inventec Enterprise System is 20569
 * (Inventec Corporation 6569); Aspeed has no number in that copy.
 */
#include <stdio.h>
#include <string.h>

#include "detect-bmc.h"

#define FW	1	/* a firmware maker, not the board's vendor */
#define NV	2	/* not a vendor (a forum, a project) */

static const struct iana {
	uint32_t	 num;
	const char	*vendor;
	uint8_t		 flags;
	const char	*name;		/* as in the registry */
} iana_tab[] = {	/* sorted by number */
	{     2, "IBM",		0,  "IBM (https://w3.ibm.com/standards )" },
	{     9, "Cisco",	0,  "ciscoSystems" },
	{    11, "HPE",		0,  "Hewlett-Packard" },
	{    42, "Oracle",	0,  "Sun Microsystems" },
	{   111, "Oracle",	0,  "Oracle" },
	{   119, "NEC",		0,  "NEC Corporation" },
	{   211, "Fujitsu",	0,  "Fujitsu Limited" },
	{   231, "Fujitsu",	0,  "Fujitsu Technology Solutions GmbH" },
	{   232, "HPE",		0,  "Compaq" },		/* iLO's SNMP MIBs */
	{   343, "Intel",	0,  "Intel Corporation" },
	{   674, "Dell",	0,  "Dell Inc." },
	{  2011, "Huawei",	0,  "HUAWEI Technology Co.,Ltd" },
	{  2623, "ASUS",	0,  "ASUSTek Computer Inc." },
	{  3704, "AMD",		0,  "Advanced Micro Devices, Inc" },
	{  4542, NULL,		NV, "Alerting Specifications Forum" },	/* ASF pong default */
	{  5703, "NVIDIA",	0,  "NVIDIA Corporation" },
	{  5771, "Cisco",	0,  "Cisco Systems, Inc." },
	{  6569, "Inventec",	0,  "INVENTEC CORPORATION" },
	{  6653, "Tyan",	0,  "Tyan Computer Corporation" },
	{  7154, NULL,		NV, "Intelligent Platform Management Interface forum" },
	{  7244, "Quanta",	0,  "Quanta Computer Inc." },
	{  9342, "Penguin Computing", 0, "Penguin Computing" },
	{ 10368, "Fujitsu",	0,  "Fujitsu Technology Solutions GmbH" },
	{ 10418, "Avocent",	FW, "Avocent Corporation" },
	{ 10876, "Supermicro",	0,  "Super Micro Computer Inc." },
	{ 11183, "MiTAC",	0,  "Mitac International Corp." },
	{ 15370, "Gigabyte",	0,  "GIGA-BYTE TECHNOLOGY CO., LTD" },
	{ 19046, "Lenovo",	0,  "Lenovo Enterprise Business Group" },
	{ 20569, "Inventec",	0,  "Inventec Enterprise System Corp." },
	{ 20974, "AMI",		FW, "American Megatrends, Inc" },
	{ 21317, "ATEN",	FW, "ATEN INTERNATIONAL CO., LTD." },
	{ 37945, "Inspur",	0,  "Inspur(BeiJing) Electronic Information Industry Co.,Ltd" },
	{ 40092, "Wiwynn",	0,  "Wiwynn Corporation" },
	{ 42623, NULL,		NV, "Open Compute Project" },
	{ 45065, "Insyde",	FW, "Insyde" },
	{ 47196, "HPE",		0,  "Hewlett Packard Enterprise" },
	{ 48512, "Inspur",	0,  "Inspur Group Co.,Ltd." },
	{ 49622, "ASRock Rack",	0,  "ASRock Rack Incorporation" },
	{ 49769, "YADRO",	0,  "YADRO" },
	{ 49871, "OpenBMC",	FW, "OpenBMC Project" },
	{ 52538, "Ampere",	0,  "Ampere Computing" },
	{ 58132, "xFusion",	0,  "xFusion Digital Technologies Co., Ltd." },
};

static const struct iana *
iana_find(uint32_t num)
{
	size_t lo = 0, hi = sizeof(iana_tab) / sizeof(iana_tab[0]), mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (iana_tab[mid].num < num)
			lo = mid + 1;
		else if (iana_tab[mid].num > num)
			hi = mid;
		else
			return &iana_tab[mid];
	}
	return NULL;
}

const char *
bmc_iana_vendor(uint32_t num, int *firmware)
{
	const struct iana *e = iana_find(num);

	if (firmware != NULL)
		*firmware = e != NULL && (e->flags & FW);
	return e != NULL ? e->vendor : NULL;
}

const char *
bmc_iana_name(uint32_t num)
{
	const struct iana *e = iana_find(num);

	return e != NULL ? e->name : NULL;
}

/*
 * Text signatures, tried in order, first match wins.  A pattern matches
 * case-insensitively as whole words: not preceded by a letter or digit,
 * not followed by a letter (a digit may follow: "iDRAC9", "iLO4"), and a
 * space in the pattern matches a space, '-' or '_' ("HP-iLO-Server",
 * "integrated-management-module").  strength 2: a BMC product or
 * protocol; 1: a server vendor only; 0: known not to be a BMC (listed so
 * that a broader pattern below does not catch it: the text is then no
 * evidence at all).  When a digit run
 * follows the match (with at most one space), it is appended to the
 * model ("iDRAC" + "9").  Sources: vendor product names as used in their
 * documentation; Redfish SSDP from DMTF DSP0266 ("urn:dmtf-org:service:
 * redfish-rest:1"); "mpSSH" is the SSH server of HPE iLO as reported by
 * scanners (unverified here); IBM's SLP service type for its management
 * modules ("service:management-hardware.IBM:...", unverified here).
 */
static const struct sig {
	const char	*pat;
	const char	*vendor;
	const char	*model;
	uint8_t		 strength;
} sigs[] = {
	{ "BMC Software",			NULL,		"",		0 },
	{ "iDRAC",				"Dell",		"iDRAC",	2 },
	{ "Integrated Dell Remote Access Controller", "Dell",	"iDRAC",	2 },
	{ "Dell Remote Access Controller",	"Dell",		"DRAC",		2 },
	{ "DRAC",				"Dell",		"DRAC",		2 },
	{ "Integrated Lights Out Manager",	"Oracle",	"ILOM",		2 },
	{ "ILOM",				"Oracle",	"ILOM",		2 },
	{ "Integrated Lights Out",		"HPE",		"iLO",		2 },
	{ "iLO",				"HPE",		"iLO",		2 },
	{ "mpSSH",				"HPE",		"iLO",		2 },
	{ "XClarity Controller",		"Lenovo",	"XCC",		2 },
	{ "XCC",				"Lenovo",	"XCC",		2 },
	{ "Integrated Management Module",	"Lenovo",	"IMM",		2 },
	{ "IMM",				"Lenovo",	"IMM",		2 },
	{ "management hardware.IBM",		"IBM",		"",		2 },
	{ "iRMC",				"Fujitsu",	"iRMC",		2 },
	{ "Cisco Integrated Management Controller", "Cisco",	"CIMC",		2 },
	{ "CIMC",				"Cisco",	"CIMC",		2 },
	{ "iBMC",				"Huawei",	"iBMC",		2 },
	{ "MegaRAC",				"AMI",		"MegaRAC",	2 },
	{ "American Megatrends",		"AMI",		"",		2 },
	{ "OpenBMC",				"OpenBMC",	"OpenBMC",	2 },
	{ "obmc",				"OpenBMC",	"OpenBMC",	2 },
	{ "Baseboard Management Controller",	NULL,		"",		2 },
	{ "BMC",				NULL,		"",		2 },
	{ "IPMI",				NULL,		"",		2 },
	{ "redfish",				NULL,		"",		2 },
	{ "ATEN",				"ATEN",		"",		2 },
	{ "Super Micro Computer",		"Supermicro",	"",		1 },
	{ "Supermicro",				"Supermicro",	"",		1 },
	{ "Hewlett Packard Enterprise",		"HPE",		"",		1 },
	{ "Hewlett Packard",			"HPE",		"",		1 },
	{ "HPE",				"HPE",		"",		1 },
	{ "Dell",				"Dell",		"",		1 },
	{ "Lenovo",				"Lenovo",	"",		1 },
	{ "Fujitsu",				"Fujitsu",	"",		1 },
	{ "ASRockRack",				"ASRock Rack",	"",		1 },
	{ "ASRock Rack",			"ASRock Rack",	"",		1 },
	{ "GIGA BYTE",				"Gigabyte",	"",		1 },
	{ "Gigabyte",				"Gigabyte",	"",		1 },
	{ "Quanta",				"Quanta",	"",		1 },
	{ "QCT",				"Quanta",	"",		1 },
	{ "Inventec",				"Inventec",	"",		1 },
	{ "Wiwynn",				"Wiwynn",	"",		1 },
	{ "Inspur",				"Inspur",	"",		1 },
	{ "Tyan",				"Tyan",		"",		1 },
	{ "Avocent",				"Avocent",	"",		1 },
};

static int
sep(char c)
{
	return c == ' ' || c == '-' || c == '_';
}

/* ASCII only, no locale: wire text is matched, not natural language. */
static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alpha(int c)
{
	return lower(c) >= 'a' && lower(c) <= 'z';
}

/* Length of the match of pat at s, or 0. */
static size_t
match_at(const char *s, const char *pat)
{
	size_t i;

	for (i = 0; pat[i] != '\0'; i++) {
		if (s[i] == '\0')
			return 0;
		if (pat[i] == ' ' ? !sep(s[i]) : lower((unsigned char)s[i]) !=
		    lower((unsigned char)pat[i]))
			return 0;
	}
	return is_alpha((unsigned char)s[i]) ? 0 : i;
}

static size_t
find_word(const char *text, const char *pat, const char **at)
{
	size_t k;

	int first = lower((unsigned char)pat[0]);

	for (const char *s = text; *s != '\0'; s++) {
		if (lower((unsigned char)*s) != first || (s > text &&
		    (is_alpha((unsigned char)s[-1]) ||
		    is_digit((unsigned char)s[-1]))))
			continue;
		if ((k = match_at(s, pat)) > 0) {
			*at = s;
			return k;
		}
	}
	return 0;
}

static void
set_model(char *model, size_t size, const char *base, const char *after)
{
	size_t d = 0;

	if (model == NULL || size == 0)
		return;
	if (*after == ' ' && is_digit((unsigned char)after[1]))
		after++;
	while (is_digit((unsigned char)after[d]) && d < 4)
		d++;
	snprintf(model, size, "%s%.*s", base, base[0] != '\0' ? (int)d : 0,
	    after);
}

int
bmc_text_match(const char *text, const char **vendor, char *model,
    size_t modelsize)
{
	const char *at;
	size_t k;
	int best = 0;

	uint64_t starts[4] = {0, 0, 0, 0};

	*vendor = NULL;
	if (model != NULL && modelsize > 0)
		model[0] = '\0';
	if (text == NULL)
		return 0;
	/* The characters that begin a word of the text: a pattern whose
	 * first character is not among them cannot match, and most are not
	 * (every SSH banner and certificate name is tested against all the
	 * patterns; this one pass makes that a bit test per pattern). */
	for (const char *t = text; *t != '\0'; t++)
		if (t == text || !(is_alpha((unsigned char)t[-1]) ||
		    is_digit((unsigned char)t[-1]))) {
			int c = lower((unsigned char)*t);
			starts[c / 64] |= 1ULL << (c % 64);
		}
	/* the first product match sets the model; the first match that
	 * names a vendor sets the vendor ("CN=IPMI, O=Super Micro...") */
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		int c = lower((unsigned char)sigs[i].pat[0]);

		if (!(starts[c / 64] >> (c % 64) & 1) ||
		    (k = find_word(text, sigs[i].pat, &at)) == 0)
			continue;
		if (sigs[i].strength == 0) {
			*vendor = NULL;
			return 0;
		}
		if (best == 0)
			set_model(model, modelsize, sigs[i].model, at + k);
		if (*vendor == NULL)
			*vendor = sigs[i].vendor;
		if (sigs[i].strength > best)
			best = sigs[i].strength;
		if (best == 2 && *vendor != NULL)
			break;
	}
	return best;
}

/*
 * sysObjectID prefixes.  Dell's iDRAC MIB (IDRAC-MIB-SMIv2) lives under
 * 674.10892.5 and the older DRAC MIB under 674.10892.2 (Dell's MIB
 * files); HP's Remote Insight/iLO MIB (CPQSM2-MIB) under 232.9.  Any other
 * enterprise in the IANA table names the vendor only (1).
 */
static const struct {
	const char	*prefix;
	const char	*vendor, *model;
	int		 strength;
} oid_sigs[] = {
	{ "1.3.6.1.4.1.674.10892.5", "Dell", "iDRAC", 2 },
	{ "1.3.6.1.4.1.674.10892.2", "Dell", "DRAC", 2 },
	{ "1.3.6.1.4.1.232.9", "HPE", "iLO", 2 },
	{ "1.3.6.1.4.1.49871", "OpenBMC", "OpenBMC", 2 },
	{ "1.3.6.1.4.1.20974", "AMI", "MegaRAC", 2 },
};

int
bmc_oid_match(const char *oid, const char **vendor, char *model,
    size_t modelsize)
{
	static const char ent[] = "1.3.6.1.4.1.";
	unsigned long num = 0;
	const char *p;
	size_t k;

	*vendor = NULL;
	if (model != NULL && modelsize > 0)
		model[0] = '\0';
	if (oid == NULL)
		return 0;
	if (oid[0] == '.')
		oid++;
	for (size_t i = 0; i < sizeof(oid_sigs) / sizeof(oid_sigs[0]); i++) {
		k = strlen(oid_sigs[i].prefix);
		if (strncmp(oid, oid_sigs[i].prefix, k) == 0 &&
		    (oid[k] == '\0' || oid[k] == '.')) {
			*vendor = oid_sigs[i].vendor;
			if (model != NULL && modelsize > 0)
				snprintf(model, modelsize, "%s",
				    oid_sigs[i].model);
			return oid_sigs[i].strength;
		}
	}
	if (strncmp(oid, ent, sizeof(ent) - 1) != 0)
		return 0;
	for (p = oid + sizeof(ent) - 1; is_digit((unsigned char)*p) &&
	    num < 100000000; p++)
		num = num * 10 + (unsigned long)(*p - '0');
	if ((*p != '\0' && *p != '.') || p == oid + sizeof(ent) - 1)
		return 0;
	*vendor = bmc_iana_vendor((uint32_t)num, NULL);
	return *vendor != NULL ? 1 : 0;
}

/*
 * Ports BMCs answer on and ordinary servers rarely do (threats.md 2.1
 * and its sources [S9][S10][S20][S30][S31]).  The weight says how much
 * answering there says "BMC" on its own; ports every server has (22, 80,
 * 443, 161) are not here.
 */
static const struct {
	uint8_t		 proto;
	uint16_t	 port;
	float		 weight;
	const char	*label, *vendor;
} ports[] = {
	{ 17,   623, 0.50f, "RMCP/IPMI", NULL },
	{  6,   623, 0.40f, "Supermicro virtual media", "Supermicro" },
	{  6,  2200, 0.20f, "OpenBMC host console over SSH", "OpenBMC" },
	{  6,  3520, 0.20f, "remote console (Redfish)", NULL },
	{  6,  3668, 0.30f, "Dell virtual media", "Dell" },
	{  6,  3669, 0.30f, "Dell secure virtual media", "Dell" },
	{  6,  3900, 0.20f, "Lenovo XCC remote presence (unverified)", "Lenovo" },
	{  6,  5120, 0.30f, "virtual CD (AMI/ATEN/ILOM)", NULL },
	{  6,  5122, 0.20f, "virtual floppy (AMI/ATEN/ILOM)", NULL },
	{  6,  5123, 0.30f, "virtual HD (AMI/ATEN/ILOM)", NULL },
	{  6,  5124, 0.30f, "virtual CD over TLS (AMI)", "AMI" },
	{  6,  5126, 0.30f, "virtual floppy over TLS (AMI)", "AMI" },
	{  6,  5127, 0.30f, "virtual HD over TLS (AMI)", "AMI" },
	{  6,  5900, 0.05f, "remote console / VNC", NULL },
	{  6,  7578, 0.30f, "remote console video (AMI/ILOM)", NULL },
	{  6,  7582, 0.30f, "remote console video over TLS (AMI)", NULL },
	{  6,  8889, 0.20f, "WS-MAN (Supermicro/AMI)", NULL },
	{  6, 17988, 0.40f, "iLO virtual media", "HPE" },
	{  6, 17990, 0.30f, "iLO remote console (unverified)", "HPE" },
	{  6, 49152, 0.10f, "UPnP (Supermicro PSBlock)", NULL },
};

double
bmc_port_hint(uint8_t proto, uint16_t port, const char **label,
    const char **vendor)
{
	*label = NULL;
	*vendor = NULL;
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		if (ports[i].proto == proto && ports[i].port == port) {
			*label = ports[i].label;
			*vendor = ports[i].vendor;
			return ports[i].weight;
		}
	return 0;
}
