"""Drill 1: fuzz the whole API from its OpenAPI document, authenticated and not.

`python -m bench fuzz` makes a fresh embedded-default database with the demo data and an API
token, serves it with uvicorn on a free port of 127.0.0.1, and runs schemathesis against
`/api/glimpse/v1/openapi.json` twice: with the token, then anonymously. The checks: no server
error, every status code and content type documented, every answer valid against its schema. The
operations that end the token in use (log out, password change, account deletion, token
revocation) are left out of the authenticated run, or the rest would only see 401s.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.feed import free_port, wait_ready
from bench.harness import Result, report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("BENCH_FUZZ_EXAMPLES", 15))
CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    )
)
SELF_ENDING = r"(auth/token|accounts/me/password|accounts/me/delete|accounts/me/tokens/)"


def run() -> list[Result]:
    """Serve a fresh demo database and fuzz it; report failures and cases per run."""
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "GLIMPSE_DATA_DIR": scratch,
            "GLIMPSE_RATE_REQUESTS": "1000000",  # the drill is about answers, not the limit
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        env.pop("GLIMPSE_TESTING", None)
        manage = [sys.executable, "manage.py"]
        print("  preparing a fresh database with the demo data...", flush=True)
        subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)  # noqa: S603
        subprocess.run([*manage, "seed_demo"], env=env, cwd=ROOT, check=True)  # noqa: S603
        token = _token(env)
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [
                sys.executable, "-m", "uvicorn", "config.asgi:application",
                "--host", "127.0.0.1", "--port", str(port),
                "--no-access-log", "--lifespan", "off", "--log-level", "warning",
            ],
            env=env,
            cwd=ROOT,
        )  # fmt: skip
        try:
            wait_ready(port)
            url = f"http://127.0.0.1:{port}/api/glimpse/v1/openapi.json"
            authenticated = _fuzz(url, ["-H", f"Authorization: Bearer {token}"], SELF_ENDING)
            anonymous = _fuzz(url, [], None)
        finally:
            server.terminate()
            server.wait(timeout=30)
    results = []
    for name, (failures, cases) in (("with a token", authenticated), ("anonymous", anonymous)):
        print(f"  {name}: {cases:,} generated cases, {failures} failures")
        results.append(Result(f"fuzz {name}: failures", "none", failures, 1, failures, 0.0, "n"))
    report(results, suite="fuzz")
    return results


def _token(env: dict[str, str]) -> str:
    script = (
        "from glimpse.accounts.models import User\n"
        "from glimpse.accounts.services import token_create\n"
        "user = User.objects.filter(is_active=True).order_by('pk').first()\n"
        "print('TOKEN=' + token_create(user=user, name='fuzz')[1])\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "manage.py", "shell", "-c", script],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return re.search(r"TOKEN=(\S+)", done.stdout).group(1)  # type: ignore[union-attr]


def _fuzz(url: str, headers: list[str], exclude: str | None) -> tuple[int, int]:
    """Run schemathesis; return (failures, generated cases) from its summary."""
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", url, "-c", CHECKS, *headers,
        "-n", str(EXAMPLES), "--workers", "2", "--request-timeout", "20",
        "--phases", "examples,fuzzing", "--continue-on-failure",
    ]  # fmt: skip
    if exclude:
        command += ["--exclude-path-regex", exclude]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)  # noqa: S603
    summary = done.stdout[done.stdout.rfind("SUMMARY") :]
    print(summary, flush=True)
    cases = re.search(r"(\d+) generated", summary)
    failures = re.search(r"(\d+) found (\d+) unique failures", summary)
    if cases is None:
        raise SystemExit(
            f"schemathesis gave no summary:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return (int(failures.group(2)) if failures else 0), int(cases.group(1))
