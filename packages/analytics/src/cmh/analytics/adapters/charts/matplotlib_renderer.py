"""Charts drawn with matplotlib's Agg backend (no display), and the same data as a
Vega-Lite spec for the frontend."""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

from cmh.analytics.application.ports import ChartSeries

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


class MatplotlibChartRenderer:
    def render(self, chart: ChartSeries, image_format: str) -> bytes:
        # A Figure of its own (not pyplot's global state): safe across threads.
        figure = Figure(figsize=(7, 4), dpi=100)
        axes = figure.subplots()
        if chart.kind == "line":
            axes.plot(chart.x, chart.y, marker="o")
        else:
            axes.bar(chart.x, chart.y)
        axes.set_title(chart.title)
        axes.set_xlabel(chart.x_label)
        axes.set_ylabel(chart.y_label)
        axes.tick_params(axis="x", labelrotation=30)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(
            out, format=image_format, metadata={"Date": None} if image_format == "svg" else None
        )
        return out.getvalue()

    def vega_lite(self, chart: ChartSeries) -> dict[str, Any]:
        x_type = "temporal" if chart.kind == "line" else "nominal"
        return {
            "$schema": VEGA_LITE_SCHEMA,
            "title": chart.title,
            "data": {"values": [{"x": x, "y": y} for x, y in zip(chart.x, chart.y, strict=True)]},
            "mark": {"type": "line", "point": True} if chart.kind == "line" else "bar",
            "encoding": {
                "x": {"field": "x", "type": x_type, "title": chart.x_label},
                "y": {"field": "y", "type": "quantitative", "title": chart.y_label},
            },
        }
