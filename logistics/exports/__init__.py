"""One export engine for every app: declare the columns, the engine reads and writes (see engine.py).

    from logistics.exports import Column, Export, Selection, respond
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

# Celery's autodiscovery only looks at `<app>.tasks`: importing the task here registers it in the
# worker, which imports this package through logistics.models.
from logistics.exports import tasks  # noqa: F401
from logistics.exports.engine import Column, Export, ExportError, Selection, describe, filename, form_filters

__all__ = ["Column", "Export", "ExportError", "Selection", "describe", "filename", "form_filters", "respond"]


def respond(request: HttpRequest, export: Export) -> HttpResponse:
    """The answer to an export request: the file at once when small, else a job's progress page."""
    from logistics.exports.views import respond as _respond

    return _respond(request, export)
