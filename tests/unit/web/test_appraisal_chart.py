"""The appraisal's chart: which resource binds, and its load drawn with 80/95 % bands."""

from __future__ import annotations

import re

from web.ui.appraisal_chart import ChartWords, binding_chart_svg
from web.ui.appraisal_view import binding_resource

WORDS = ChartWords("load", "80", "95", "ceiling", "TB")


def series(limit: float, baseline: list[float], **bands: list[float]) -> dict[str, object]:
    n = len(baseline)
    return {"limit": limit, "baseline": baseline, "reserved": [1.0] * n, "demand": [2.0] * n,
            **{f"baseline_{k}": v for k, v in bands.items()}}  # fmt: skip


def test_the_first_shortfall_binds_else_the_least_relative_headroom():
    """a: 10 − (5 + 3) = 2 of 10 left (20 %); b: 100 − (80 + 3) = 17 of 100 (17 %) → b."""
    charted = {"a": series(10, [5, 5]), "b": series(100, [70, 80])}
    doc = {"series": {"steps": ["2026-01-01", "2026-02-01"], "resources": charted}}
    assert binding_resource(doc) == "b"
    assert binding_resource({**doc, "first_shortfall": {"resource": "a"}}) == "a"
    assert binding_resource({"series": {}}) is None


def test_the_load_is_drawn_with_its_bands_shifted_by_reserved_and_demand():
    """Load = B + R + D = 5 + 1 + 2 = 8 at both steps; the 95 % band runs 6..12 (3 + 3, 9 + 3)."""
    s = series(20, [5, 5], lo80=[4, 4], hi80=[6, 6], lo95=[3, 3], hi95=[9, 9])
    svg = str(binding_chart_svg(["2026-01-01", "2026-02-01"], s, WORDS, "2026-02-01"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'class="band80"' in svg and 'class="band95"' in svg and 'class="shortfall"' in svg
    # The axis tops at 40 (20 × 1.05 = 21, up to four ticks of 10); the plot is 164 px
    # tall from y = 22, so 8 sits at 22 + 164 × (1 − 8/40) = 153.2.
    load = re.search(r'class="load"[^>]*points="([^"]+)"', svg)
    assert load is not None
    y = float(load.group(1).split()[0].split(",")[1])
    assert abs(y - 153.2) < 0.1
    assert "style=" not in svg and "<script" not in svg  # nothing a strict CSP refuses


def test_an_evaluation_stored_before_bands_draws_the_load_alone():
    svg = str(binding_chart_svg(["2026-01-01", "2026-02-01"], series(20, [5, 5]), WORDS))
    assert 'class="load"' in svg and 'class="band80"' not in svg


def test_the_axis_names_months_in_the_readers_language():
    """The first step and each January are labelled, by the page's month formatter."""
    steps = ["2026-11-01", "2026-12-01", "2027-01-01"]
    words = ChartWords("load", "80", "95", "ceiling", "TB", month=lambda d: f"{d[5:7]}/{d[:4]}")
    svg = str(binding_chart_svg(steps, series(20, [5, 5, 5]), words))
    assert ">11/2026</text>" in svg and ">01/2027</text>" in svg
    assert "2026-11" not in svg and ">12/2026<" not in svg


def test_the_axis_writes_its_figures_in_the_readers_language():
    words = ChartWords(
        "load", "80", "95", "ceiling", "GB", number=lambda v: f"{v:,.0f}".replace(",", ".")
    )
    svg = str(binding_chart_svg(["2026-01-01", "2026-02-01"], series(8000, [5, 5]), words))
    assert ">2.500</text>" in svg and ">10.000</text>" in svg  # 8,000 × 1.05 → up to 10,000
    assert "2,500" not in svg
