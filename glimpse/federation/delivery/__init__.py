"""Delivery of activities to other servers' inboxes (docs/federation.md, "Delivery").

One ``OutgoingActivity`` per activity sent, one ``Delivery`` per distinct inbox; each
delivery is signed, posted through the safe fetcher, and retried with a growing delay for
days; servers that stay down are probed once a day instead of being hammered.
"""
