"""The API client moved to `cli/client.py` (the deployed tools must not import the local stack);
these names stay importable from here for the local stack's own tools and tests."""

from __future__ import annotations

from cli.client import DEMO_CONSENT, TERMINAL, FilePart, IngestClient, MultipartFile, post_file

__all__ = ["DEMO_CONSENT", "TERMINAL", "FilePart", "IngestClient", "MultipartFile", "post_file"]
