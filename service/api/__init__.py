"""The HTTP API and pages (FastAPI): app factory, routes per resource."""
