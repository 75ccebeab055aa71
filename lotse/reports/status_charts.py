"""The charts of the committee status report as PNG images (for the PDF and the DOCX), drawn
with matplotlib from the same :class:`lotse.ui.charts.Chart` objects the HTML preview draws with
Chart.js; every chart is followed by its values as a table in all three forms.

No global state: each chart is a :class:`matplotlib.figure.Figure` printed by its own Agg canvas
(:class:`~matplotlib.backends.backend_agg.FigureCanvasAgg`). Neither ``pyplot`` (with its
registry of open figures that must be closed) nor ``matplotlib.use`` nor ``rcParams`` is
touched, so nothing leaks between requests or threads and no figure stays in memory after the
call. The font is DejaVu Sans, which matplotlib bundles, so the images look the same on every
machine. Colours: the KERN blue and an orange that stay apart for common colour-vision
deficiencies and in greyscale print.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from django.utils.translation import gettext as _

from lotse.ui.charts import Chart

COLOURS = ("#004b76", "#e07b00", "#5b8a3c", "#7a4f9a")
WIDTH_IN = 6.4
HEIGHT_IN = 3.0
DPI = 200
FONT = "DejaVu Sans"
# Beyond this many categories only every n-th category is labelled.
MAX_TICK_LABELS = 18
# Beyond this many bars the values are not written on the bars (the table has them).
MAX_VALUE_LABELS = 30


def _plain(value: float) -> str:
    return f"{value:g}"


def render_png(chart: Chart, *, number: Callable[[float], str] = _plain) -> bytes:
    """The chart as PNG. ``number`` formats the values on the bars and the value axis (German
    decimal comma in the council documents). An empty chart says so in the picture."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    labels = list(chart.labels)
    series = list(chart.series)
    height = HEIGHT_IN
    if chart.horizontal:
        height = max(HEIGHT_IN * 0.7, 0.55 * len(labels) * max(len(series), 1) + 1.1)
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()  # no title in the picture: the heading above it names the chart

    positions = list(range(len(labels)))
    count = max(len(series), 1)
    width = 0.8 / count
    all_integers = all(isinstance(value, int) for s in series for value in s.values if value is not None)
    bars_total = len(labels) * count
    for index, item in enumerate(series):
        offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
        values = [value or 0 for value in item.values]
        colour = COLOURS[index % len(COLOURS)]
        if chart.horizontal:
            bars = axes.barh(offsets, values, height=width, color=colour, label=item.label)
        else:
            bars = axes.bar(offsets, values, width=width, color=colour, label=item.label)
        if bars_total <= MAX_VALUE_LABELS:
            axes.bar_label(
                bars, labels=[number(v) if v else "" for v in values], fontsize=7, fontfamily=FONT, padding=2
            )

    value_axis, category_axis = (axes.xaxis, axes.yaxis) if chart.horizontal else (axes.yaxis, axes.xaxis)
    value_axis.set_major_locator(MaxNLocator(nbins=6, integer=all_integers))
    value_axis.set_major_formatter(FuncFormatter(lambda value, _pos: number(value)))
    step = max(1, -(-len(labels) // MAX_TICK_LABELS))
    category_axis.set_ticks(positions[::step], labels[::step])
    if chart.horizontal:
        axes.invert_yaxis()  # first category on top, as in the table
        axes.set_xlabel(chart.unit, fontsize=8, fontfamily=FONT)
        axes.margins(x=0.12)
    else:
        axes.set_ylabel(chart.unit, fontsize=8, fontfamily=FONT)
        axes.margins(y=0.12)
        if len(positions[::step]) > 6:
            for tick in axes.get_xticklabels():
                tick.set_rotation(45)
                tick.set_horizontalalignment("right")
    for tick in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
        tick.set_fontsize(7.5)
        tick.set_fontfamily(FONT)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="x" if chart.horizontal else "y", color="#d0d0d0", linewidth=0.5)
    axes.set_axisbelow(True)
    if len(series) > 1:
        axes.legend(frameon=False, prop={"family": FONT, "size": 7.5})
    if chart.is_empty:
        axes.text(
            0.5,
            0.5,
            _("No figures for this period."),
            transform=axes.transAxes,
            ha="center",
            va="center",
            fontsize=9,
            fontfamily=FONT,
        )
        if chart.horizontal:
            axes.set_xlim(0, 1)
        else:
            axes.set_ylim(0, 1)

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    figure.clear()
    return buffer.getvalue()
