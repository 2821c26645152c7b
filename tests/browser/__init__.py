"""Tests in a real browser behind the real web server config (see conftest.py)."""
