"""Load every module of handlers, so that each registers what it handles."""

# One line per module: each registers its handlers as it is imported.
import glimpse.federation.follows.incoming
import glimpse.federation.incoming.blocks
import glimpse.federation.incoming.changes
import glimpse.federation.incoming.interactions
import glimpse.federation.incoming.notes
import glimpse.federation.moves.incoming
import glimpse.federation.reports.incoming  # noqa: F401
from glimpse.federation.incoming import registry

__all__ = ["registry"]
