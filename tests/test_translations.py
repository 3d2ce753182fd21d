"""Chinese first: every catalogue's zh_Hans entries are translated, none fuzzy, compiled and current,
and every literal string the code and templates mark for translation is in a catalogue."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", "tests", "bench", "var", "staticfiles", ".git"}
CATALOGUES = sorted(p for p in ROOT.rglob("zh_Hans/LC_MESSAGES/django.po") if not SKIP.intersection(p.relative_to(ROOT).parts))
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}
TRANS_TAG = re.compile(r"""\{%\s*(?:trans|translate)\s+(["'])(.+?)\1""")


def source_files(suffix: str) -> list[Path]:
    return [p for p in ROOT.rglob(f"*{suffix}") if not SKIP.intersection(p.relative_to(ROOT).parts) and "migrations" not in p.parts]


def test_there_are_catalogues() -> None:
    assert ROOT / "logistics/locale/zh_Hans/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_catalogue_is_complete_and_compiled(path: Path) -> None:
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:10]}"
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"compile {path} (compilemessages) and commit the .mo"
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(mo_path))}
    for e in po.translated_entries():
        assert (e.msgctxt, e.msgid) in compiled, f"{mo_path} is older than its .po: run compilemessages"


def marked_strings() -> set[str]:
    found: set[str] = set()
    for path in source_files(".py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in GETTEXT_NAMES:
                literal = node.args[1] if getattr(node.func, "id", "").startswith("p") and len(node.args) > 1 else (node.args[0] if node.args else None)
                if isinstance(literal, ast.Constant) and isinstance(literal.value, str):
                    found.add(literal.value)
    for path in source_files(".html"):
        found.update(m.group(2) for m in TRANS_TAG.finditer(path.read_text(encoding="utf-8")))
    return found


def test_every_marked_string_is_in_a_catalogue() -> None:
    known = {e.msgid for path in CATALOGUES for e in polib.pofile(str(path))}
    missing = sorted(marked_strings() - known)
    assert not missing, f"run `make messages` and translate: {missing[:15]}"
