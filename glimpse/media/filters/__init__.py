"""Non-destructive photo filters and adjustments, rendered from the kept original.

See docs/filters.md for every recipe and adjustment, and for how they are compiled.
"""

from glimpse.media.filters.edit import ADJUSTMENTS, Edit
from glimpse.media.filters.engine import apply_edit
from glimpse.media.filters.recipe import Filter
from glimpse.media.filters.recipes import FILTERS, filter_catalogue

__all__ = ["ADJUSTMENTS", "FILTERS", "Edit", "Filter", "apply_edit", "filter_catalogue"]
