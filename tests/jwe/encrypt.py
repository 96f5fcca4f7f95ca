"""Encrypt with jwcrypto, an independent JOSE implementation, for vouch to decrypt.

Usage: python encrypt.py < cases.json

Standard input is a JSON list of cases, each {"name", "jwk" (a PUBLIC JWK), "alg", "enc",
"plaintext" (text), "header" (extra protected header members, e.g. "apu" and "apv")}. Prints one
JSON object: {NAME: <compact JWE>}. Any case jwcrypto refuses fails the script (exit status 1)
with jwcrypto's error on stderr. Only public keys pass through here.
"""

import json
import sys

from jwcrypto import jwe, jwk


def encrypt(cases: list) -> dict:
    out = {}
    for case in cases:
        key = jwk.JWK(**case["jwk"])
        protected = {"alg": case["alg"], "enc": case["enc"], **case.get("header", {})}
        if "kid" in case["jwk"]:
            protected["kid"] = case["jwk"]["kid"]
        try:
            token = jwe.JWE(case["plaintext"].encode("utf-8"), json.dumps(protected))
            token.add_recipient(key)
            out[case["name"]] = token.serialize(compact=True)
        except Exception as error:  # noqa: BLE001 - report which case failed, then stop
            sys.stderr.write(f"{case['name']}: {type(error).__name__}: {error}\n")
            sys.exit(1)
    return out


if __name__ == "__main__":
    if len(sys.argv) != 1:
        sys.stderr.write(__doc__)
        sys.exit(2)
    json.dump(encrypt(json.load(sys.stdin)), sys.stdout)
