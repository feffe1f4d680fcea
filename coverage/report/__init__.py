"""Renderers of a Report: the rich terminal view and versioned JSON."""

from __future__ import annotations

from .json import SCHEMA_VERSION, report_to_dict, report_to_json
from .markdown import report_to_html, report_to_markdown
from .terminal import render_quotes, render_terminal

__all__ = [
    "SCHEMA_VERSION",
    "render_quotes",
    "render_terminal",
    "report_to_dict",
    "report_to_html",
    "report_to_json",
    "report_to_markdown",
]
