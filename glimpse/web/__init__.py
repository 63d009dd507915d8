"""Web pages that assemble several apps (the profile page), and the demo data of them all."""
