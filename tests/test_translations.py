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


def test_no_msgid_has_two_translations_across_catalogues() -> None:
    """Django merges every app's zh_Hans catalogue into one and, for a msgid without a context, the first
    catalogue wins: when two apps translate the same msgid differently, one of them shows the other's word
    ('Open' in the ticket list's status filter read 打开 instead of 未完结). Same word everywhere, or a
    context (pgettext / {% translate ... context ... %}) for the use that means something else."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for path in CATALOGUES:
        app = str(path.relative_to(ROOT)).removesuffix("/zh_Hans/LC_MESSAGES/django.po")
        for e in polib.mofile(str(path.with_suffix(".mo"))):
            if not e.msgid:
                continue
            text = e.msgstr if not e.msgid_plural else repr(sorted(e.msgstr_plural.items()))
            seen.setdefault((e.msgctxt, e.msgid), {})[app] = text
    collisions = [f"{msgid!r} (context {ctx!r}): {by_app}" for (ctx, msgid), by_app in sorted(seen.items(), key=str) if len(set(by_app.values())) > 1]
    if collisions:
        pytest.fail(f"{len(collisions)} msgids translated differently by two catalogues:\n" + "\n".join(collisions), pytrace=False)


def test_every_entry_is_the_word_django_shows() -> None:
    """The same rule seen from the page: with zh-hans active, every entry of every project catalogue comes out
    as its own msgstr. This also catches the catalogues of the apps listed before ours (django.contrib.admin
    says 概览 for 'Summary', 过滤器 for 'Filter'; auth says 组 for 'group'), which win over the apps'."""
    from django.utils import translation

    wrong = []
    with translation.override("zh-hans"):
        for path in CATALOGUES:
            for e in polib.mofile(str(path.with_suffix(".mo"))):
                if not e.msgid or e.msgid_plural:
                    continue
                shown = translation.pgettext(e.msgctxt, e.msgid) if e.msgctxt else translation.gettext(e.msgid)
                if shown != e.msgstr:
                    wrong.append(f"{path.relative_to(ROOT).parent.parent.parent}: {e.msgid!r} (context {e.msgctxt!r}) shows {shown!r}, not {e.msgstr!r}")
    if wrong:
        pytest.fail(f"{len(wrong)} entries lose to another catalogue:\n" + "\n".join(sorted(wrong)), pytrace=False)
