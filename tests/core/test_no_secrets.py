"""No secret is committed: private keys, cloud access keys, hard-coded Django secret keys.

Every text file git tracks is scanned (binary files, those with a NUL byte, are skipped).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    "AWS access key id": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "hard-coded SECRET_KEY": re.compile(r"""\bSECRET_KEY\s*=\s*(?:[rbf]?["'])"""),
}
# The literal keys allowed: the development fallback in the branch that production never
# takes (production refuses to start without DJANGO_SECRET_KEY; test_production checks it),
# and the test keys published with the HTTP signature specifications (draft-cavage's
# appendix C, RFC 9421's appendix B.1), which the signature tests check known answers with.
_SIGNATURE_VECTORS = "tests/federation/test_signatures.py"
ALLOWED = {
    (
        "config/settings.py",
        'SECRET_KEY = "glimpse-development-key-not-for-production-" + "x" * 20',
    ),
    (_SIGNATURE_VECTORS, 'CAVAGE_PRIVATE_KEY = """-----BEGIN RSA PRIVATE KEY-----'),
    (_SIGNATURE_VECTORS, 'RFC_RSA_PRIVATE_KEY = """-----BEGIN RSA PRIVATE KEY-----'),
    (_SIGNATURE_VECTORS, 'RFC_ED25519_PRIVATE_KEY = """-----BEGIN PRIVATE KEY-----'),
}


def findings(text: str) -> list[tuple[str, str]]:
    """Return (kind, line) for every line of ``text`` that looks like a secret."""
    found = []
    for line in text.splitlines():
        for kind, pattern in PATTERNS.items():
            if pattern.search(line):
                found.append((kind, line.strip()))
    return found


def tracked_text_files() -> list[Path]:
    """Return the files git tracks that are text."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
    )
    paths = [ROOT / name for name in listed.stdout.decode().split("\0") if name]
    return [path for path in paths if path.is_file() and b"\0" not in path.read_bytes()[:8192]]


def test_no_tracked_file_holds_a_secret() -> None:
    files = tracked_text_files()
    assert len(files) > 100  # the scan sees the repository

    leaks = []
    for path in files:
        if path == Path(__file__).resolve():
            continue  # this file spells out what the patterns catch, on purpose
        relative = path.relative_to(ROOT).as_posix()
        text = path.read_bytes().decode("utf-8", errors="replace")
        leaks += [
            (relative, kind, line)
            for kind, line in findings(text)
            if (relative, line) not in ALLOWED
        ]

    assert leaks == []


def test_every_allowed_key_is_still_there() -> None:
    # Otherwise the allowance is stale and should go.
    for relative, line in ALLOWED:
        stripped = [text.strip() for text in (ROOT / relative).read_text().splitlines()]
        assert line in stripped, (relative, line)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("-----BEGIN " + "PRIVATE KEY-----", "private key"),
        ("-----BEGIN " + "RSA PRIVATE KEY-----", "private key"),
        ("-----BEGIN " + "OPENSSH PRIVATE KEY-----", "private key"),
        ("-----BEGIN " + "ENCRYPTED PRIVATE KEY-----", "private key"),
        ("-----BEGIN " + "PGP PRIVATE KEY BLOCK-----", "private key"),
        ("aws_access_key_id = " + "AKIA" + "Q3EGRKXM7TZ2WB5N", "AWS access key id"),
        ("SECRET_KEY = " + '"django-insecure-abc"', "hard-coded SECRET_KEY"),
        ("    SECRET_KEY=" + "'abc'", "hard-coded SECRET_KEY"),
    ],
)
def test_the_patterns_catch_secrets(line: str, kind: str) -> None:
    assert findings(f"x = 1\n{line}\n") == [(kind, line.strip())]


@pytest.mark.parametrize(
    "line",
    [
        "-----BEGIN " + "PUBLIC KEY-----",
        "-----BEGIN " + "CERTIFICATE-----",
        'SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")',
        '"DJANGO_SECRET_KEY": secrets.token_urlsafe(50),',
        "AKIA" + "short",
    ],
)
def test_the_patterns_leave_ordinary_lines_alone(line: str) -> None:
    assert findings(line) == []
