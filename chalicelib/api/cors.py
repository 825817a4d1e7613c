"""Which browser pages may call the API: any origin, on every route, with one configuration.

The public routes are read-only and serve published films only. The keyed routes (field office,
editor) can answer any origin too because the key travels in the `x-api-key` header, never in a
cookie: a page on another site gets nothing without a key its user typed in. So the web pages can
be served from an origin of their own (an S3 website, the local stack's web server). One
configuration for all routes, as API Gateway needs one preflight answer per path.
"""

from __future__ import annotations

from chalice.app import CORSConfig

# Chalice's defaults already allow the X-Api-Key and Content-Type headers.
ANY_ORIGIN = CORSConfig(allow_origin="*", max_age=600)
