"""Copies a vendor API description for the client generator, with our listed patches applied.

    python scripts/generated-clients-patch.py API SOURCE DEST

The vendor file under contracts/vendor/ is never edited: this writes DEST, a copy with the patches
of API below applied, and prints one `API patch ID` line per patch applied. Each patch is an exact
text replacement that must match exactly once, so a changed vendor file fails here instead of
being patched somewhere else. Every patch must also be listed, with its reason, in
scripts/generated-clients-allow.txt (`API patch ID # reason`); the driver checks both ways.

Why each patch exists (the vendor file's own defect for openapi-python-client, not vouch's):
"""

import sys

PATCHES = {
    "trusona": [
        (
            # Trusona's OpenAPI (api-evangelist/trusona openapi/_original/
            # trusona-verification-api-openapi.yml at 698f9750, VerificationResponse) puts an `enum`
            # of strings on the `supportedVerifiers` *array* itself, beside the items' enum. No
            # array equals a string, so the schema rejects every answer, the vendor's own example
            # (`supportedVerifiers: []`) too, and the generated client reads the array as one enum
            # value and raises. The items keep their enum.
            "supported-verifiers-array-enum",
            "        supportedVerifiers:\n          type: array\n"
            "          enum:\n          - DMV\n          - MNO_V\n          - SCAN\n"
            "          items:\n",
            "        supportedVerifiers:\n          type: array\n          items:\n",
        ),
    ],
    "verified": [
        (
            # VerifiedInc/VerifiedInc.github.io api/specs/api.json at 28954c00 starts with a UTF-8
            # byte order mark; the generator's JSON reader refuses it ("Unexpected UTF-8 BOM").
            "utf8-bom",
            "\ufeff{",
            "{",
        ),
    ],
}


def main(api: str, source: str, dest: str) -> int:
    with open(source, encoding="utf-8", newline="") as f:
        text = f.read()
    for patch_id, old, new in PATCHES.get(api, []):
        count = text.count(old)
        if count != 1:
            print(f"{source}: patch {api} {patch_id}: its text occurs {count} times, not once",
                  file=sys.stderr)
            return 2
        text = text.replace(old, new)
        print(f"{api} patch {patch_id}")
    with open(dest, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print("usage: generated-clients-patch.py API SOURCE DEST", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
