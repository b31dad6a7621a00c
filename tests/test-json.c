/*
 * test-json.c - the EVE JSON writer: escaping of hostile strings (quotes,
 * control characters, invalid UTF-8), nesting and commas, numbers.
 */
#include "check.h"
#include "json.h"

int
main(void)
{
	struct json j;
	char out[128];

	json_init(&j);
	json_obj_open(&j, NULL);
	json_str(&j, "a", "x\"y\\z");
	json_int(&j, "n", -5);
	json_arr_open(&j, "v");
	json_uint(&j, NULL, 1);
	json_uint(&j, NULL, 2);
	json_arr_close(&j);
	json_obj_open(&j, "o");
	json_bool(&j, "t", 1);
	json_double(&j, "d", 0.125, 3);
	json_obj_close(&j);
	json_obj_close(&j);
	CHECK_STR(j.buf, "{\"a\":\"x\\\"y\\\\z\",\"n\":-5,\"v\":[1,2],"
	    "\"o\":{\"t\":true,\"d\":0.125}}");

	json_reset(&j);
	json_obj_open(&j, NULL);
	json_strn(&j, "k", "a\0b\n\x01\x7f", 6);
	json_obj_close(&j);
	CHECK_STR(j.buf, "{\"k\":\"a\\u0000b\\n\\u0001\x7f\"}");

	/* valid UTF-8 passes, invalid bytes are shown, not dropped */
	json_escape_to("caf\xc3\xa9", 5, out, sizeof(out));
	CHECK_STR(out, "caf\xc3\xa9");
	json_escape_to("\xff\xc3(", 3, out, sizeof(out));
	CHECK_STR(out, "\\u00ff\\u00c3(");
	json_escape_to("\xe0\x80\x80", 3, out, sizeof(out));	/* overlong */
	CHECK_STR(out, "\\u00e0\\u0080\\u0080");
	json_escape_to("\xed\xa0\x80", 3, out, sizeof(out));	/* surrogate */
	CHECK_STR(out, "\\u00ed\\u00a0\\u0080");
	json_escape_to("</script>", 9, out, sizeof(out));
	CHECK_STR(out, "</script>");
	/* cut to fit, always terminated */
	json_escape_to("abcdef", 6, out, 4);
	CHECK_STR(out, "abc");
	/* NaN is not JSON */
	json_reset(&j);
	json_obj_open(&j, NULL);
	json_double(&j, "x", 0.0 / 0.0, 2);
	json_obj_close(&j);
	CHECK_STR(j.buf, "{\"x\":0.00}");
	json_free(&j);
	CHECK_DONE();
}
