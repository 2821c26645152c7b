"""The data files editors maintain: topics, units (with validity dates)."""
