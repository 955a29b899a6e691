"""App-wide request plumbing that ``create_app`` registers: error pages, security headers,
languages, templating and its globals, health, the shared geocoder and the form pieces that
several blueprints use."""
