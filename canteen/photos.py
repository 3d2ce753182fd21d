"""Certificate photos of a delivery (索证索票): the same checks and re-encoding (no EXIF, a thumbnail)
as repair photos, from the shared helper in repairs.photos (a library module, no tables)."""

from __future__ import annotations

from repairs.photos import MAX_PHOTOS, ProcessedPhoto, problem_with, process, process_all

__all__ = ["MAX_PHOTOS", "ProcessedPhoto", "problem_with", "process", "process_all"]
