"""Checks run on every draft, the disguised-pitch detector, and the eval suite."""
