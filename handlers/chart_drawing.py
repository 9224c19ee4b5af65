"""Drawing /chart's pictures: PNG bytes from the few rows storage.charts aggregated.

matplotlib without pyplot: a Figure with its own Agg canvas has no global state, needs no
display and may be drawn in a worker thread while the event loop goes on. The Agg backend is
still chosen before anything else of matplotlib is imported, so nothing can pick a GUI one.
Every word on a chart comes from the catalogue (in the chat's language), every date through
`date_label`; sizes suit a phone: 1,200 px wide, large type.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Literal

import matplotlib

matplotlib.use("Agg")

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from handlers.catalogue import text
from handlers.i18n import current_language
from storage.charts import Round, Week

WIDTH_PX, HEIGHT_PX, DPI = 1200, 750, 100
TITLE, LABEL, TICK, LEGEND = 24, 18, 16, 16
# Colours that stay apart for the colour-blind (Okabe-Ito) and in daylight on a phone.
INCIDENTS, KILLED, INJURED = "#0072B2", "#D55E00", "#E69F00"
STATUS_COLOURS = {
    "scheduled": "#0072B2",
    "postponed": "#E69F00",
    "held": "#009E73",
    "cancelled": "#999999",
}
MOVE = "#D55E00"
MAX_ROUNDS = 12
MAX_ROUND_LABEL = 60


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # zlib's fastest level: a chart is flat colour, so the file grows by a few kilobytes,
    # and encoding, a third of the talks chart's time at the default level, nearly vanishes.
    FigureCanvasAgg(figure).print_png(buffer, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _figure(height_px: int) -> Figure:
    """A blank picture as wide as a phone shows well, `height_px` high."""
    return Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI)


def _plain_axes(axes: Axes, grid: Literal["x", "y"]) -> None:
    """Every chart's axes: large tick labels, faint grid lines across the values, no box."""
    axes.tick_params(labelsize=TICK)
    axes.grid(axis=grid, alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)


def _finish(figure: Figure, dated: Axes, *, title: str, date_label: Callable[[date], str]) -> bytes:
    """Dates under `dated` in the chat's words, the title on top: the PNG."""
    dated.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=7))
    dated.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _pos: date_label(_num_to_date(value)))
    )
    figure.suptitle(title, fontsize=TITLE)
    return _png(figure)


def _num_to_date(value: float) -> date:
    # matplotlib's day numbers count days since 1970-01-01.
    return date(1970, 1, 1) + timedelta(days=round(value))


def draw_incidents(
    weeks: Sequence[Week], *, title: str, date_label: Callable[[date], str], lang: str | None = None
) -> bytes:
    """Incidents per week as bars, killed and injured per week below them."""
    lang = lang or current_language()
    # Fixed margins, not a layout engine, and one artist per series, not one bar per week:
    # constrained layout and 250 bar patches took over 2 s; this draws in a fraction of it.
    figure = _figure(HEIGHT_PX)
    figure.subplots_adjust(left=0.09, right=0.98, top=0.89, bottom=0.08, hspace=0.12)
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    days = [date2num(w.monday + timedelta(days=3)) for w in weeks]  # mid-week
    # Weeks without incidents are absent from `weeks`: each week is its own step, with gaps.
    edges: list[float] = []
    counts: list[int] = []
    for week in weeks:
        first = date2num(week.monday)
        if edges and edges[-1] != first:
            counts.append(0)
            edges.append(first)
        elif not edges:
            edges.append(first)
        counts.append(week.incidents)
        edges.append(first + 7)
    top.stairs(counts, edges, fill=True, color=INCIDENTS)
    top.set_ylabel(text("chart_axis_incidents", lang), fontsize=LABEL)
    for figures, colour, marker, key in (
        ([w.killed for w in weeks], KILLED, "o", "chart_legend_killed"),
        ([w.injured for w in weeks], INJURED, "s", "chart_legend_injured"),
    ):
        bottom.plot(days, figures, color=colour, linewidth=3, marker=marker, label=text(key, lang))
    bottom.set_ylabel(text("chart_axis_people", lang), fontsize=LABEL)
    bottom.legend(fontsize=LEGEND, loc="upper left")
    for axes in (top, bottom):
        _plain_axes(axes, "y")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
        axes.set_ylim(bottom=0)
    if len(weeks) == 1:  # one bar: give it some room on either side
        bottom.set_xlim(days[0] - 14, days[0] + 14)
    return _finish(figure, bottom, title=title, date_label=date_label)


def _short(label: str) -> str:
    return label if len(label) <= MAX_ROUND_LABEL else label[: MAX_ROUND_LABEL - 1] + "…"


def draw_talks(
    rounds: Sequence[Round],
    *,
    title: str,
    date_label: Callable[[date], str],
    lang: str | None = None,
) -> bytes:
    """Each round a bar on its current dates, coloured by status, its title above it; each
    move an arrow from the start it had (a hollow dot) to the start it got."""
    lang = lang or current_language()
    shown = list(rounds)[-MAX_ROUNDS:]
    height = max(HEIGHT_PX, 260 + 90 * len(shown))
    figure = _figure(height)
    figure.subplots_adjust(left=0.02, right=0.98, top=1 - 80 / height, bottom=150 / height)
    axes = figure.subplots()
    rows = range(len(shown))
    # One artist per kind, not one per round: every bar in one barh, every old start in one
    # line of markers. And each round's number leads its title instead of being a y tick (a
    # tick is two lines and two texts to lay out): with the PNG encoding, what made this
    # chart take three times the incidents chart's time.
    starts = [date2num(r.start) for r in shown]
    axes.barh(
        list(rows),
        [date2num(r.end + timedelta(days=1)) - s for r, s in zip(shown, starts, strict=True)],
        left=starts,
        height=0.35,
        color=[STATUS_COLOURS.get(r.status, INCIDENTS) for r in shown],
    )
    # Titles sit at the axes' left edge (x in axes fractions, y in data rows).
    left_edge = axes.get_yaxis_transform()
    olds: list[tuple[float, int]] = []
    for row, rnd in zip(rows, shown, strict=True):
        axes.text(0.01, row - 0.3, f"#{rnd.number}  {_short(rnd.title)}", transform=left_edge,
                  fontsize=TICK, va="bottom", ha="left")  # fmt: skip
        for move in rnd.moves:
            old, new = date2num(move.old), date2num(move.new)
            axes.annotate(
                "", xy=(new, row), xytext=(old, row),
                arrowprops={"arrowstyle": "-|>", "color": MOVE, "lw": 3, "mutation_scale": 25,
                            "shrinkA": 0, "shrinkB": 0},
            )  # fmt: skip
            olds.append((old, row))
    if olds:
        axes.plot([x for x, _ in olds], [y for _, y in olds], marker="o", markersize=14,
                  markerfacecolor="white", markeredgecolor=MOVE, markeredgewidth=3,
                  linestyle="none")  # fmt: skip
    axes.set_yticks([])
    axes.set_ylim(len(shown) - 0.5, -0.9)  # earliest round on top, read like a list
    every_day = [d for r in shown for d in (r.start, r.end, *(m.old for m in r.moves))]
    first, last = min(every_day), max(every_day)
    margin = max(3, (last - first).days // 12)
    axes.set_xlim(date2num(first) - margin, date2num(last) + margin + 1)
    _plain_axes(axes, "x")
    handles: list[Artist] = [
        Patch(color=colour, label=text(f"status_{status}", lang))
        for status, colour in STATUS_COLOURS.items()
        if any(r.status == status for r in shown)
    ]
    if any(r.moves for r in shown):
        handles.append(
            Line2D([], [], color=MOVE, linewidth=3, marker="o", markersize=12,
                   markerfacecolor="white", label=text("chart_legend_moved", lang))
        )  # fmt: skip
    figure.legend(handles=handles, fontsize=LEGEND, loc="lower center", ncol=len(handles),
                  frameon=False)  # fmt: skip
    return _finish(figure, axes, title=title, date_label=date_label)


# Telegram's limit on a photo's caption, in characters after entity parsing.
MAX_CAPTION = 1024


def incidents_caption(
    weeks: Sequence[Week],
    *,
    filters: str,
    date_label: Callable[[date], str],
    lang: str | None = None,
) -> str:
    """The figures under the incidents chart; `filters` is already-escaped HTML."""
    lang = lang or current_language()
    busiest = max(weeks, key=lambda w: (w.incidents, w.monday))
    return text(
        "chart_incidents_caption",
        lang,
        filters=filters,
        incidents=sum(w.incidents for w in weeks),
        weeks=len(weeks),
        first=date_label(weeks[0].monday),
        last=date_label(weeks[-1].monday + timedelta(days=6)),
        killed=sum(w.killed for w in weeks),
        injured=sum(w.injured for w in weeks),
        busiest=date_label(busiest.monday),
        count=busiest.incidents,
    )


def talks_caption(
    rounds: Sequence[Round], *, date_label: Callable[[date], str], lang: str | None = None
) -> str:
    """How many rounds and moves, then each moved round's moves, within the caption limit."""
    lang = lang or current_language()
    head = text(
        "chart_talks_caption", lang, rounds=len(rounds), moves=sum(len(r.moves) for r in rounds)
    )
    lines = [head]
    moved = [r for r in rounds if r.moves]
    for i, rnd in enumerate(moved):
        moves = ", ".join(
            text("chart_move", lang, old=date_label(m.old), new=date_label(m.new))
            for m in rnd.moves
        )
        title = html.escape(_short(rnd.title), quote=False)
        line = text("chart_talks_caption_round", lang, number=rnd.number, title=title, moves=moves)
        more = text("chart_talks_caption_more", lang, count=len(moved) - i)
        if len("\n".join([*lines, line, more])) > MAX_CAPTION:
            lines.append(more)
            break
        lines.append(line)
    return "\n".join(lines)
