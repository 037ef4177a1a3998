"""Challenge bundles: the on-disk format, reading, checking, packing and importing."""

from trackrecord.bundle.model import Bundle, Challenge, FieldEntry, Limits, Thresholds
from trackrecord.bundle.reader import open_bundle, reference_code
from trackrecord.bundle.writer import USAGE, USAGE_VALUES, pack_bundle, write_bundle

__all__ = [
    "USAGE",
    "USAGE_VALUES",
    "Bundle",
    "Challenge",
    "FieldEntry",
    "Limits",
    "Thresholds",
    "open_bundle",
    "pack_bundle",
    "reference_code",
    "write_bundle",
]
