"""/chart incidents [AREA] [PERIOD] and /chart talks: pictures, with the figures beside them.

The arguments are read exactly as /incidents reads them (handlers.lists); storage.charts
aggregates in SQL; handlers.chart_drawing draws in a worker thread, so the event loop keeps
answering other readers while matplotlib works.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from handlers.catalogue import text
from handlers.common import command_args, deps, offload, reader_today, reader_zone, reply
from handlers.lists import BadQuery, parse_period, split_incident_args
from handlers.render import esc
from handlers.when import short_date
from storage.charts import incidents_per_week, talks_timeline


def _date_label(zone: ZoneInfo, today: date) -> Callable[[date], str]:
    def label(day: date) -> str:
        return short_date(day.isoformat(), zone, today)

    return label


async def _send_png(update: Update, png: bytes, caption: str, name: str) -> None:
    message = update.effective_message
    if message is None:
        return
    await message.reply_photo(
        png, caption=caption, parse_mode=ParseMode.HTML, filename=name, do_quote=False
    )


async def chart(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A chart: /chart incidents [AREA] [PERIOD], or /chart talks."""
    args = command_args(context)
    usage = text("chart_usage")
    if not args:
        await reply(update, usage)
        return
    what, rest = args[0].lower(), args[1:]
    if what in ("incidents", "incident"):
        await _incidents(update, context, rest)
    elif what in ("talks", "talk"):
        if rest:
            await reply(update, text("chart_talks_no_args", usage=usage))
            return
        await _talks(update, context)
    else:
        await reply(
            update, text("chart_unknown", what=f"<code>{esc(what[:30])}</code>", usage=usage)
        )


async def _incidents(update: Update, context: ContextTypes.DEFAULT_TYPE, args: list[str]) -> None:
    d = deps(context)
    try:
        area, period = split_incident_args(args)
    except BadQuery as exc:
        await reply(update, str(exc))
        return
    delta = parse_period(period) if period else None
    since = d.clock() - delta if delta is not None else None
    weeks = await offload(
        context, lambda d: incidents_per_week(d.store, area=area or None, since=since), heavy=True
    )
    # The same words twice: escaped for the caption (HTML), plain for the picture.
    filters = text("filter_area", area=esc(area)) if area else ""
    plain = text("filter_area", area=area) if area else ""
    if period:
        filters += text("filter_period", period=esc(period))
        plain += text("filter_period", period=period)
    if not weeks:
        await reply(update, text("chart_incidents_empty", filters=filters))
        return
    label = _date_label(reader_zone(update, context), reader_today(update, context))
    from handlers import chart_drawing  # matplotlib loads on the first chart, not at start-up

    title = text("chart_incidents_title", filters=plain)
    png = await asyncio.to_thread(
        chart_drawing.draw_incidents, weeks, title=title, date_label=label
    )
    caption = chart_drawing.incidents_caption(weeks, filters=filters, date_label=label)
    await _send_png(update, png, caption, "incidents.png")


async def _talks(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    rounds = await offload(context, lambda d: talks_timeline(d.store), heavy=True)
    if not rounds:
        await reply(update, text("chart_talks_empty"))
        return
    label = _date_label(reader_zone(update, context), reader_today(update, context))
    from handlers import chart_drawing

    png = await asyncio.to_thread(
        chart_drawing.draw_talks, rounds, title=text("chart_talks_title"), date_label=label
    )
    caption = chart_drawing.talks_caption(rounds, date_label=label)
    await _send_png(update, png, caption, "talks.png")
