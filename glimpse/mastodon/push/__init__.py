"""Web Push for client apps: each token's subscription, and what is pushed to it."""
