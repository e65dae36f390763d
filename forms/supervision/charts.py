"""Charts drawn on the server as inline SVG: no script, no CDN, nothing to load.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (screen readers), a
legend in words and the number written on every bar or segment, so no figure is told by colour
alone; the pages also show the same numbers in a table next to each chart.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .. import clock

FONT = 'font-family="inherit" font-size="12"'
COLOURS = {
    "received": "#1d5fa8",
    "completed": "#2e7d32",
    clock.Light.GREEN: "#2e7d32",
    clock.Light.YELLOW: "#f2b600",
    clock.Light.RED: "#c62828",
    clock.Light.PAUSED: "#78909c",
    "level": "#1d5fa8",
    "bad": "#c62828",
}
# Text drawn on a segment: dark on the light yellow, white elsewhere.
TEXT_ON = {clock.Light.YELLOW: "#1a1a1a"}


def _num(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


def _svg(chart_id, width, height, title, description, body):
    return mark_safe(
        f'<svg class="chart" id="{escape(chart_id)}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px;height:auto" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        f"{''.join(body)}</svg>"
    )


def _nice_max(value):
    """A round axis maximum ≥ value (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _legend(entries, x, y):
    """[(label, colour)] in one line from (x, y); returns the SVG parts."""
    parts = []
    for label, colour in entries:
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{y}" {FONT} fill="#1a1a1a">{escape(label)}</text>')
        x += 16 + 13 * len(str(label)) + 18
    return parts


def column_chart(chart_id, title, categories, series):
    """Grouped columns: ``categories`` [label], ``series`` [(label, colour, [values])]."""
    width, height = 680, 280
    left, right, top, bottom = 44, 10, 34, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    largest = max((v for _l, _c, values in series for v in values), default=0)
    top_value = _nice_max(largest / 4) * 4  # four round steps
    body = _legend([(label, colour) for label, colour, _v in series], left, 16)
    for tick in range(5):
        value = top_value * tick / 4
        y = top + plot_h - plot_h * tick / 4
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#d0d7de" stroke-width="1"/>'
        )
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" {FONT} fill="#555">'
            f"{_num(round(value, 1))}</text>"
        )
    count = max(len(categories), 1)
    slot = plot_w / count
    bar_w = min(28, (slot - 8) / max(len(series), 1))
    for index, category in enumerate(categories):
        x0 = left + slot * index + (slot - bar_w * len(series)) / 2
        for number, (label, colour, values) in enumerate(series):
            value = values[index]
            bar_h = plot_h * value / top_value
            x = x0 + bar_w * number
            y = top + plot_h - bar_h
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{bar_h:.1f}" '
                f'fill="{colour}"><title>{escape(category)} {escape(label)}：{value}</title></rect>'
            )
            body.append(
                f'<text x="{x + (bar_w - 2) / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                f'font-family="inherit" font-size="10" fill="#1a1a1a">{_num(value)}</text>'
            )
        body.append(
            f'<text x="{left + slot * index + slot / 2:.1f}" y="{height - bottom + 16}" '
            f'text-anchor="middle" {FONT} fill="#1a1a1a">{escape(category)}</text>'
        )
    description = "；".join(
        f"{category}：" + "，".join(f"{label} {values[i]}" for label, _c, values in series)
        for i, category in enumerate(categories)
    )
    return _svg(chart_id, width, height, title, description, body)


def _fit(label, width):
    """``label`` cut to about ``width`` pixels (a Chinese character is about 12), with '…'."""
    label = str(label)
    room = max(int(width // 12), 2)
    return label if len(label) <= room else label[: room - 1] + "…"


def stacked_bars(chart_id, title, rows, segments, label_width=168):
    """Horizontal stacked bars: ``rows`` [(label, {key: value})], ``segments``
    [(key, label, colour)]; the count is written on each segment wide enough, the total after
    the bar."""
    width = 680
    row_h, top = 26, 34
    height = top + row_h * max(len(rows), 1) + 8
    plot_w = width - label_width - 60
    largest = max(
        (sum(values.get(k, 0) for k, _l, _c in segments) for _r, values in rows), default=0
    )
    scale = plot_w / largest if largest else 0
    body = _legend([(label, colour) for _k, label, colour in segments], label_width, 16)
    for index, (row_label, values) in enumerate(rows):
        y = top + row_h * index
        body.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" {FONT} '
            f'fill="#1a1a1a"><title>{escape(row_label)}</title>'
            f"{escape(_fit(row_label, label_width - 12))}</text>"
        )
        x = label_width
        total = 0
        for key, label, colour in segments:
            value = values.get(key, 0)
            total += value
            if not value:
                continue
            w = value * scale
            body.append(
                f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" '
                f'fill="{colour}"><title>{escape(row_label)} {escape(label)}：{value}</title></rect>'
            )
            if w >= 8 * len(str(value)) + 4:
                body.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 15}" text-anchor="middle" '
                    f'font-family="inherit" font-size="11" fill="{TEXT_ON.get(key, "#fff")}">'
                    f"{value}</text>"
                )
            x += w
        body.append(f'<text x="{x + 6:.1f}" y="{y + 15}" {FONT} fill="#1a1a1a">{total}</text>')
    description = "；".join(
        f"{row_label}：" + "，".join(f"{label} {values.get(key, 0)}" for key, label, _c in segments)
        for row_label, values in rows
    )
    return _svg(chart_id, width, height, title, description, body)


def level_bars(chart_id, title, levels):
    """The evaluation levels as horizontal bars: ``levels`` [(level, label, count)], the count
    and the share written after each bar; the bad levels (不满意, 非常不满意) in red."""
    total = sum(count for _level, _label, count in levels)
    width, row_h, top, label_width = 680, 26, 8, 110
    height = top + row_h * len(levels) + 8
    plot_w = width - label_width - 120
    largest = max((count for _l, _lab, count in levels), default=0)
    scale = plot_w / largest if largest else 0
    body = []
    for index, (level, label, count) in enumerate(levels):
        y = top + row_h * index
        colour = COLOURS["bad"] if level <= 2 else COLOURS["level"]
        w = count * scale
        share = f"{count / total:.1%}" if total else "—"
        body.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" {FONT} '
            f'fill="#1a1a1a">{escape(label)}</text>'
        )
        body.append(
            f'<rect x="{label_width}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" '
            f'fill="{colour}"/>'
        )
        body.append(
            f'<text x="{label_width + w + 6:.1f}" y="{y + 15}" {FONT} fill="#1a1a1a">'
            f"{count}（{share}）</text>"
        )
    description = "；".join(f"{label} {count}" for _level, label, count in levels)
    return _svg(chart_id, width, height, title, description, body)


# --- the charts the pages show ------------------------------------------------------------


def month_label(key):
    year, month = key.split("-")
    return _("%(year)s年%(month)s月") % {"year": year, "month": int(month)}


def received_completed_chart(report, chart_id="chart-months"):
    rows = report.by_month
    return column_chart(
        chart_id,
        _("每月收件与办结"),
        [month_label(row.key) for row in rows],
        [
            (_("收件"), COLOURS["received"], [row.figures.received for row in rows]),
            (_("办结"), COLOURS["completed"], [row.figures.completed for row in rows]),
        ],
    )


def light_segments():
    return [
        (key, str(clock.Light.LABELS[key]), COLOURS[key])
        for key in (clock.Light.GREEN, clock.Light.YELLOW, clock.Light.RED, clock.Light.PAUSED)
    ]


def lights_chart(rows, chart_id="chart-lights", title=None):
    """Stacked lights of the open applications, one bar per row (township, item, clerk)."""
    return stacked_bars(
        chart_id,
        title or _("在办件红黄绿灯"),
        [(row.label, row.figures.lights) for row in rows],
        light_segments(),
    )


def evaluation_chart(figures, chart_id="chart-evaluations"):
    return level_bars(
        chart_id,
        _("好差评分布"),
        [(level, str(label), count) for level, label, count in figures.levels],
    )
