"""One visibility entry per kind: the policy's fragments stay inside the policy modules.

Accounts are asked through ``glimpse.graph.visibility``, posts, comments, places and
hashtags through ``glimpse.posts.visibility`` and their models' QuerySet methods, stories
and highlights through ``glimpse.stories.visibility`` and theirs. What those entries are
built from (the content rule, the hide by reports, the close-friends rule, the mute
subquery: the private names of graph/visibility.py) is for the policy modules alone, and
the Block and Mute tables are read by graph/ alone, so that no read path assembles a rule
of its own again. Every module of glimpse/ is read with ``ast``.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from glimpse.graph import visibility

ROOT = Path(__file__).resolve().parent.parent
POLICY_MODULES = frozenset(
    {"glimpse.graph.visibility", "glimpse.posts.visibility", "glimpse.stories.visibility"}
)
# The mute and block subqueries: only graph/ (which holds the policy) reads these tables.
GRAPH_TABLES = ("glimpse.graph.models", frozenset({"Block", "Mute"}))


def module_name(path: Path) -> str:
    """Return the dotted name of a module of the repository from its path."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    """Return the module an ``from ... import`` names, relative imports resolved."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _forbidden(target: str, name: str, module: str) -> str | None:
    """Tell why ``module`` may not use ``name`` of module ``target`` (None when it may)."""
    if target in POLICY_MODULES and name.startswith("_") and module not in POLICY_MODULES:
        return f"private fragment {target}.{name}"
    tables, names = GRAPH_TABLES
    if target == tables and name in names and not module.startswith("glimpse.graph."):
        return f"{target}.{name} outside graph/ (ask the policy)"
    return None


def violations(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """Return each use in ``source`` (the text of ``module``) of what only the policy may use:
    an import of a private name of a policy module, an attribute ``_name`` read on a policy
    module, or the Block and Mute tables outside graph/."""
    tree = ast.parse(source)
    watched = {*POLICY_MODULES, GRAPH_TABLES[0]}
    bound: dict[str, str] = {}  # local name -> watched module it stands for
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in watched and alias.asname:
                    bound[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(module, node, is_package)
            for alias in node.names:
                if f"{target}.{alias.name}" in watched:
                    bound[alias.asname or alias.name] = f"{target}.{alias.name}"
                elif why := _forbidden(target, alias.name, module):
                    found.append(f"{module}:{node.lineno}: imports {why}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            target = bound.get(_dotted(node.value) or "") or _dotted(node.value) or ""
            if why := _forbidden(target, node.attr, module):
                found.append(f"{module}:{node.lineno}: uses {why}")
    return found


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else None
    return None


def test_no_module_but_the_policy_uses_its_fragments() -> None:
    found: list[str] = []
    for path in sorted((ROOT / "glimpse").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        found += violations(source, module_name(path), is_package=path.name == "__init__.py")
    assert found == []


def test_the_policy_modules_exist() -> None:
    for name in POLICY_MODULES:
        assert (ROOT / Path(*name.split("."))).with_suffix(".py").is_file(), name


def test_the_fragments_named_by_the_old_callers_are_no_public_names() -> None:
    """The pieces read paths used to combine are gone from the public names of graph's
    policy: a public alias would let a caller combine them again unseen by the check."""
    for name in ("content_visible_to", "unflagged", "muted_accounts", "muted_ids"):
        assert not hasattr(visibility, name), name
    assert callable(visibility._content_visible_to)
    assert callable(visibility._unflagged)


# --- The check itself fails on planted examples -------------------------------------------


def _check(source: str, module: str = "glimpse.feeds.example") -> list[str]:
    return violations(textwrap.dedent(source), module)


@pytest.mark.parametrize(
    "source",
    [
        "from glimpse.graph.visibility import _content_visible_to\n",
        "from glimpse.graph.visibility import accounts_visible_to, _unflagged as hidden\n",
        "from glimpse.graph import visibility\nvisibility._muted_accounts(viewer)\n",
        "from glimpse.graph import visibility as v\nq = v._unflagged(None, kind='post')\n",
        "import glimpse.graph.visibility\nglimpse.graph.visibility._content_visible_to(None)\n",
        "import glimpse.posts.visibility as pv\npv._prefix('post')\n",
        "from glimpse.graph.models import Mute\n",
        "from glimpse.graph import models\nmodels.Block.objects.filter(blocker=viewer)\n",
        "from ..graph.visibility import _stories_visible_to\n",
    ],
)
def test_the_check_finds_a_planted_fragment(source: str) -> None:
    assert len(_check(source)) == 1, _check(source)


@pytest.mark.parametrize(
    "source",
    [
        "from glimpse.graph.visibility import accounts_visible_to, account_visible\n",
        "from glimpse.graph import visibility\nvisibility.relations(viewer, accounts)\n",
        "from glimpse.posts.models import Post\nPost.objects.listed_to(v).unmuted_for(v)\n",
        "from glimpse.feeds.helpers import _local\n_local()\n",
        "from glimpse.graph.models import Follow\n",
    ],
)
def test_the_check_lets_the_entries_through(source: str) -> None:
    assert _check(source) == []


def test_the_policy_modules_and_graph_may_use_the_fragments() -> None:
    planted = "from glimpse.graph.visibility import _content_visible_to, _unflagged\n"
    assert _check(planted, "glimpse.posts.visibility") == []
    assert _check(planted, "glimpse.stories.visibility") == []
    assert _check("from glimpse.graph.models import Block, Mute\n", "glimpse.graph.selectors") == []
    assert len(_check(planted, "glimpse.posts.selectors.posts")) == 2
