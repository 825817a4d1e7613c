"""The project's command line: `python -m cli ...` (operators today; field offices and keys next)."""
