"""Renderers of a Report: the rich terminal view, JSON (with its schema), Markdown, HTML and CSV."""

from __future__ import annotations

from .csvfile import report_to_csv
from .html import report_to_html
from .json import SCHEMA_VERSION, report_to_dict, report_to_json, schema
from .markdown import report_to_markdown
from .terminal import render_quotes, render_terminal

__all__ = [
    "SCHEMA_VERSION",
    "render_quotes",
    "render_terminal",
    "report_to_csv",
    "report_to_dict",
    "report_to_html",
    "report_to_json",
    "report_to_markdown",
    "schema",
]
