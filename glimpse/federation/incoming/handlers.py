"""Load every module of handlers, so that each registers what it handles."""

from glimpse.federation.follows import incoming as follows
from glimpse.federation.incoming import registry

__all__ = ["follows", "registry"]
