#!/usr/bin/env python3
"""Validate EVE JSON lines against Suricata's published schema.

bmcwatch's own top-level objects (EVE_OWN_KEYS in sensor/output-eve.h) are
removed first; everything else must be what Suricata's schema allows, with
its types, so SIEM parsers written for Suricata read bmcwatch unchanged.
usage: eve-validate.py SCHEMA OWN_KEYS FILE...
"""
import json
import sys

import jsonschema


def main():
    schema = json.load(open(sys.argv[1]))
    own = sys.argv[2].split(",")
    cls = jsonschema.validators.validator_for(schema)
    validator = cls(schema)
    bad = 0
    n = 0
    for path in sys.argv[3:]:
        with open(path, encoding="utf-8") as fp:
            for lineno, line in enumerate(fp, 1):
                rec = json.loads(line)
                for k in own:
                    rec.pop(k, None)
                n += 1
                errors = list(validator.iter_errors(rec))
                for e in errors[:3]:
                    print("%s:%d: %s at %s" % (path, lineno, e.message,
                          "/".join(str(p) for p in e.absolute_path)))
                bad += bool(errors)
    print("%d records, %d invalid" % (n, bad))
    return 1 if bad or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
