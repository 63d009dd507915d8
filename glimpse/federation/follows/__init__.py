"""Follows across servers: ``Follow``, ``Accept``, ``Reject`` and their ``Undo``, both ways."""
