"""Huey is configured in settings.HUEY; each app keeps its jobs in its own tasks.py (found by djhuey)."""
