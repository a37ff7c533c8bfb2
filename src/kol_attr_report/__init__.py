"""One-page HTML report of the KOL attribution marts (``python -m kol_attr_report``)."""

from .render import render_report

__all__ = ["render_report"]
