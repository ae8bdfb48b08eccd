"""Charts drawn on the server as SVG: no chart library, nothing from a CDN,
readable in every language and printable."""

from __future__ import annotations

from django import template

register = template.Library()

COLOURS = ("#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#dc3545")
ROW_HEIGHT = 24
LEGEND_HEIGHT = 26
# (label width, bar width, characters of a label) for a narrow card with
# one value per row and a wide card with stacked values, so that the text
# is drawn at about its real size in both.
GEOMETRY = {"bars": (120, 190, 9), "stacked": (150, 300, 12)}


@register.inclusion_tag("reports/_chart.html")
def chart(table):
    """A horizontal bar chart of a table: one bar per row; with several value
    columns, each bar is stacked from them, with a legend."""
    stacked = table.chart == "stacked"
    label_width, bar_width, max_label = GEOMETRY["stacked" if stacked else "bars"]
    totals = [sum(v for v in row[1:] if isinstance(v, int)) for row in table.rows]
    top = max(totals, default=0)
    if not top:
        return {"table": table, "bars": []}
    legend = LEGEND_HEIGHT if stacked else 0
    bars = []
    links = table.links or [None] * len(table.rows)
    for index, (row, total) in enumerate(zip(table.rows, totals, strict=True)):
        y = legend + index * ROW_HEIGHT
        x = label_width
        segments = []
        for n, value in enumerate(row[1:]):
            if not isinstance(value, int) or not value:
                continue
            width = value * bar_width / top
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
                "label": label
                if len(label) <= max_label
                else label[: max_label - 1] + "…",
                "full": label,
                "segments": segments,
                "total": total,
                "total_x": round(x + 6, 1),
                "link": links[index] if index < len(links) else None,
            }
        )
    items = []
    if stacked:
        x = 8
        for n, name in enumerate(table.headers[1:]):
            items.append({"x": x, "colour": COLOURS[n % len(COLOURS)], "name": name})
            # A CJK character is about twice as wide as a Latin one.
            x += 30 + sum(12 if ord(c) > 0x2E80 else 7 for c in str(name))
    return {
        "table": table,
        "bars": bars,
        "legend": items,
        "width": label_width + bar_width + 50,
        "height": legend + len(bars) * ROW_HEIGHT + 4,
        "label_x": label_width - 8,
    }
