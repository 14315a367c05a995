"""The outlook report: sections of measured facts, rendered to HTML, Markdown or JSON."""

from r2k.report.build import Report, build_report
from r2k.report.render import write_report

__all__ = ["Report", "build_report", "write_report"]
