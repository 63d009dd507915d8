"""Inboxes: activities other servers send, checked, kept once, and processed by a job."""
