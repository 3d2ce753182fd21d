"""The pages load a subset of the Bootstrap Icons font (manage.py build_icons): every icon a template,
a script or a navigation entry uses must be in it, or it shows as an empty box."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from logistics.management.commands.build_icons import CSS_NAME, FONT_NAME, OUT, font_rules, icons_used

REBUILD = "run `make setup` (or `manage.py build_icons`) and commit static/vendor-built/"


def subset_classes(css: Path) -> set[str]:
    return {line.split("::", 1)[0][len(".bi-"):] for line in css.read_text(encoding="utf-8").splitlines() if line.startswith(".bi-")}


def test_every_icon_used_in_a_template_is_in_the_subset_stylesheet():
    used = icons_used()
    assert {"bell", "tools", "wrench-adjustable"} <= set(used)  # templates and navigation entries both found
    missing = sorted(f"bi-{name} ({where})" for name, where in used.items() if name not in subset_classes(OUT / CSS_NAME))
    assert not missing, f"icons missing from the subset: {', '.join(missing)}; {REBUILD}"


def test_every_icon_used_is_a_bootstrap_icon():
    known = font_rules()
    assert not [f"bi-{n} ({w})" for n, w in icons_used().items() if n not in known]


def test_the_committed_subset_is_what_the_build_makes(tmp_path):
    call_command("build_icons", out=tmp_path, stdout=StringIO())
    assert (tmp_path / CSS_NAME).read_text(encoding="utf-8") == (OUT / CSS_NAME).read_text(encoding="utf-8"), REBUILD
    assert (tmp_path / FONT_NAME).read_bytes() == (OUT / FONT_NAME).read_bytes(), REBUILD


def test_the_subset_font_has_a_glyph_for_every_icon_and_few_others():
    from fontTools.ttLib import TTFont

    cmap = TTFont(OUT / FONT_NAME).getBestCmap()
    codes = font_rules()
    wanted = {codes[n] for n in subset_classes(OUT / CSS_NAME)}
    assert wanted <= set(cmap)
    assert len(cmap) == len(wanted)
    assert (OUT / FONT_NAME).stat().st_size < 20_000


def test_pages_link_the_subset_not_the_whole_font(client_for, teacher):
    html = client_for(teacher).get(reverse("repairs:ticket-report")).content.decode()
    assert f"vendor-built/{CSS_NAME}" in html
    assert "bootstrap-icons.min.css" not in html and "bootstrap-icons.css" not in html
    assert Path(settings.BASE_DIR, "static", "vendor-built", CSS_NAME).exists()
