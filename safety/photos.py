"""Photos of a round's answer or a hazard: the same checks and re-encoding (no EXIF, a thumbnail)
as repair photos, from the shared helper in logistics.photos (a library module, no tables)."""

from __future__ import annotations

from logistics.photos import MAX_PHOTOS, ProcessedPhoto, problem_with, process, process_all

__all__ = ["MAX_PHOTOS", "ProcessedPhoto", "problem_with", "process", "process_all"]
