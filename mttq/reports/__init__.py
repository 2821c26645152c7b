"""The editors' reports: monthly quota, charts, monthly column plans, anniversaries."""
