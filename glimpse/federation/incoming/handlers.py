"""Load every module of handlers, so that each registers what it handles."""

from glimpse.federation.follows import incoming as follows
from glimpse.federation.incoming import registry
from glimpse.federation.moves import incoming as moves

__all__ = ["follows", "moves", "registry"]
