"""What readers and partners get: page markup and filters, listings, feeds, search index, the output manifest."""
