"""Template filters that format numbers; one place to make them locale-aware later."""

from __future__ import annotations

from flask import Flask


def format_number(value: float | int | None, decimals: int = 1) -> str:
    """``20.0`` → ``20``, ``1000`` → ``1,000``, ``2.5`` → ``2.5``; ``None`` → ``—``.

    Whole numbers lose their ``.0`` because capacities (20 Mbps, 512 GB) are
    nearly always whole and the decimals only add noise to a table.
    """
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{decimals}f}"


def init_app(app: Flask) -> None:
    app.add_template_filter(format_number, "number")
