"""Real-time delivery: events pushed to every open websocket of an account."""
