"""The infrastructure template (resources.yaml) and its one reader (template.py)."""
