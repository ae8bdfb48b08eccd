"""Charts drawn on the server as SVG: no chart library, nothing from a CDN,
readable in every language and printable."""

from __future__ import annotations

from django import template

register = template.Library()

COLOURS = ("#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#dc3545")
LABEL_WIDTH = 190
BAR_WIDTH = 330
ROW_HEIGHT = 24
LEGEND_HEIGHT = 26
MAX_LABEL = 16


@register.inclusion_tag("reports/_chart.html")
def chart(table, kinds=None):
    """A horizontal bar chart of a table: one bar per row; with several value
    columns, each bar is stacked from them, with a legend."""
    stacked = table.chart == "stacked"
    totals = [sum(v for v in row[1:] if isinstance(v, int)) for row in table.rows]
    top = max(totals, default=0) or 1
    legend = LEGEND_HEIGHT if stacked else 0
    bars = []
    for index, (row, total) in enumerate(zip(table.rows, totals, strict=True)):
        y = legend + index * ROW_HEIGHT
        x = LABEL_WIDTH
        segments = []
        for n, value in enumerate(row[1:]):
            if not isinstance(value, int) or not value:
                continue
            width = value * BAR_WIDTH / top
            segments.append(
                {
                    "x": round(x, 1),
                    "width": round(max(width, 1), 1),
                    "colour": COLOURS[n % len(COLOURS)],
                    "value": value,
                    "name": table.headers[n + 1],
                }
            )
            x += width
        label = str(row[0])
        bars.append(
            {
                "y": y,
                "text_y": y + ROW_HEIGHT / 2 + 4,
                "label": label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…",
                "full": label,
                "segments": segments,
                "total": total,
                "total_x": round(x + 6, 1),
            }
        )
    items = []
    if stacked:
        x = LABEL_WIDTH
        for n, name in enumerate(table.headers[1:]):
            items.append({"x": x, "colour": COLOURS[n % len(COLOURS)], "name": name})
            x += 90
    return {
        "table": table,
        "bars": bars,
        "legend": items,
        "width": LABEL_WIDTH + BAR_WIDTH + 60,
        "height": legend + len(bars) * ROW_HEIGHT + 4,
        "label_x": LABEL_WIDTH - 8,
    }
