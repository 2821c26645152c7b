"""Photos: the quality check, the build's audit, responsive renditions."""
