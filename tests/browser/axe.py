"""axe-core, the accessibility checker, run inside the page under test.

The test serves axe-core itself (installed from npm by `make test`, pinned by
package-lock.json) at a path of the page's own origin, so the page's content security
policy (scripts from 'self' only) lets it in and nothing leaves 127.0.0.1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, Route

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SERVED_AT = "/__axe-core.js"
BLOCKING = ["serious", "critical"]

RUN_JS = """async (impacts) => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((violation) => impacts.includes(violation.impact))
    .map((violation) => {
      const where = violation.nodes.slice(0, 4).map((node) => node.target.join(" "));
      return `${violation.id} (${violation.impact}): ${violation.help} at ${where.join(", ")}`;
    });
}"""


def serious_violations(page: Page, base_url: str) -> list[str]:
    """Run axe-core on the page as it is now; return its serious and critical findings."""
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is not installed: run `make test` (it runs `npm ci`).")

    def serve(route: Route) -> None:
        route.fulfill(path=AXE_SCRIPT, content_type="text/javascript")

    page.route(f"**{SERVED_AT}", serve)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=base_url + SERVED_AT)
    found: list[str] = page.evaluate(RUN_JS, BLOCKING)
    return found
