#!/usr/bin/env python3
"""SM4-CBC with PKCS#7 padding and Base64, by Python's `cryptography` (an implementation the platform did not write).

Used by crates/api/tests/it/sm4.rs:

    sm4.py encrypt KEY IV [--wrap]   standard input: the plain bytes; standard output: the Base64 text
                                     (--wrap: MIME style, a line break every 76 characters)
    sm4.py decrypt KEY IV            standard input: the Base64 text; standard output: the plain bytes

KEY and IV are 16 ASCII characters, used as their bytes (the platform's convention). Exit 3 when `cryptography` or
its SM4 is missing, with a message on standard error; the test then fails (it is never skipped).
"""

import base64
import sys

try:
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    algorithms.SM4  # noqa: B018 (present since cryptography 35)
except (ImportError, AttributeError) as e:
    sys.stderr.write(
        f"python3 cannot use cryptography's SM4 ({e}): run `python3 -m pip install cryptography` "
        "(the SM4 test needs it and is never skipped)\n"
    )
    sys.exit(3)


def key_bytes(s: str) -> bytes:
    b = s.encode("ascii")
    if len(b) != 16:
        raise SystemExit(f"a key or IV is 16 ASCII characters, not {s!r}")
    return b


def main() -> None:
    if len(sys.argv) < 4 or sys.argv[1] not in ("encrypt", "decrypt"):
        raise SystemExit(__doc__)
    op, key, iv = sys.argv[1], key_bytes(sys.argv[2]), key_bytes(sys.argv[3])
    data = sys.stdin.buffer.read()
    cipher = Cipher(algorithms.SM4(key), modes.CBC(iv))
    if op == "encrypt":
        padder = padding.PKCS7(128).padder()
        padded = padder.update(data) + padder.finalize()
        enc = cipher.encryptor()
        raw = enc.update(padded) + enc.finalize()
        text = base64.encodebytes(raw) if "--wrap" in sys.argv[4:] else base64.b64encode(raw)
        sys.stdout.buffer.write(text)
    else:
        dec = cipher.decryptor()
        padded = dec.update(base64.b64decode(data)) + dec.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        sys.stdout.buffer.write(unpadder.update(padded) + unpadder.finalize())


if __name__ == "__main__":
    main()
