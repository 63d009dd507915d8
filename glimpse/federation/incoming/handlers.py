"""Load every module of handlers, so that each registers what it handles."""

from glimpse.federation.follows import incoming as follows
from glimpse.federation.incoming import registry
from glimpse.federation.reports import incoming as reports

__all__ = ["follows", "registry", "reports"]
