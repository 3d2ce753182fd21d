"""Charts for the Word report, drawn with matplotlib's Agg backend (no display, thread-safe use of
the object API, never pyplot's global state).

Chinese labels need a CJK font. We use Noto Sans CJK SC from Debian's `fonts-noto-cjk` package
(`apt-get install fonts-noto-cjk`; .ci/run installs it); Source Han Sans, WenQuanYi, SimHei,
Microsoft YaHei or PingFang are taken where that is missing (other systems). `cjk_font()` says which
one was found; without any, labels would be boxes, so the charts are left out and a warning logged.
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

logger = logging.getLogger(__name__)

CJK_FAMILIES = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Serif CJK SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
]
COLORS = ["#2f5597", "#a5a5a5", "#c55a11", "#548235", "#7f6000"]


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The first installed font family that has Chinese glyphs, or None."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FAMILIES if name in installed), None)


def render_png(chart: dict[str, Any], *, width_in: float = 6.0, height_in: float = 3.2, dpi: int = 150) -> bytes | None:
    """A PNG of one chart (the composer's chart data: title, categories, series, style, unit)."""
    family = cjk_font()
    if family is None:
        logger.warning("No CJK font installed (apt-get install fonts-noto-cjk): the report's charts are left out.")
        return None
    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    # "管道/下水" → two lines: long category names would run into each other under the bars.
    categories = [str(c).replace("/", "/\n") if len(str(c)) > 3 else str(c) for c in chart["categories"]]
    series = chart["series"]
    style = chart.get("style", "bar")
    font = {"family": family}
    if style == "line":
        for i, (name, values) in enumerate(series):
            ax.plot(categories, values, marker="o", color=COLORS[i % len(COLORS)], label=name, linewidth=2)
            for x, y in zip(categories, values):
                ax.annotate(_label(y), (x, y), textcoords="offset points", xytext=(0, 5), ha="center", fontsize=8, fontfamily=family)
    else:
        n = max(len(series), 1)
        width = 0.8 / n
        positions = range(len(categories))
        for i, (name, values) in enumerate(series):
            offsets = [p - 0.4 + width * (i + 0.5) for p in positions]
            if style == "barh":
                bars = ax.barh(offsets, values, height=width, color=COLORS[i % len(COLORS)], label=name)
            else:
                bars = ax.bar(offsets, values, width=width, color=COLORS[i % len(COLORS)], label=name)
            ax.bar_label(bars, labels=[_label(v) for v in values], fontsize=8, padding=2, fontfamily=family)
        if style == "barh":
            ax.set_yticks(list(positions), categories, fontfamily=family)
            ax.invert_yaxis()
        else:
            ax.set_xticks(list(positions), categories, fontfamily=family)
    for label in ax.get_xticklabels() + ax.get_yticklabels():
        label.set_fontfamily(family)
        label.set_fontsize(9)
    # No title inside the picture: the document captions it (图1 …).
    if chart.get("unit"):
        if style == "barh":
            ax.set_xlabel(chart["unit"], fontdict={**font, "fontsize": 9})
        else:
            ax.set_ylabel(chart["unit"], fontdict={**font, "fontsize": 9}, rotation=0, labelpad=12)
    if style == "line":
        ax.set_ylim(bottom=0)
    if len(series) > 1:
        ax.legend(prop={"family": family, "size": 9}, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(y=0.15) if style != "barh" else ax.margins(x=0.12)
    # Fixed margins instead of tight_layout (which lays all text out twice); fast PNG compression:
    # the Word file is zipped anyway. Both keep a report with three charts well under a second.
    fig.subplots_adjust(left=0.22 if style == "barh" else 0.09, right=0.97, top=0.95, bottom=0.17 if style != "barh" else 0.12)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _label(v: float) -> str:
    return "" if not v else (f"{v:.0f}" if float(v).is_integer() else f"{v:.1f}")
