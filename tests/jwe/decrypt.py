"""Decrypt vouch's JWEs with jwcrypto, an independent JOSE implementation.

Usage: python decrypt.py DIR

DIR holds pairs NAME.jwe (a compact JWE) and NAME.jwk (the private JWK to open it with).
Prints one JSON object: {NAME: {"header": <protected header>, "payload": <plaintext as JSON>}}.
Any JWE that does not decrypt fails the script (exit status 1) with jwcrypto's error on stderr;
no key material is printed.
"""

import json
import pathlib
import sys

from jwcrypto import jwe, jwk


def decrypt(directory: pathlib.Path) -> dict:
    out = {}
    for path in sorted(directory.glob("*.jwe")):
        key = jwk.JWK.from_json(path.with_suffix(".jwk").read_text())
        token = jwe.JWE()
        try:
            token.deserialize(path.read_text().strip(), key=key)
        except Exception as error:  # noqa: BLE001 - report which JWE failed, then stop
            sys.stderr.write(f"{path.stem}: {type(error).__name__}: {error}\n")
            sys.exit(1)
        out[path.stem] = {
            "header": json.loads(token.objects["protected"]),
            "payload": json.loads(token.payload),
        }
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    json.dump(decrypt(pathlib.Path(sys.argv[1])), sys.stdout)
