"""Vietnamese working days and the one-working-day deadline rule."""
