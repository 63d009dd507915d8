"""Reports across servers: ``Flag`` sent to, and received from, other servers' moderators."""
