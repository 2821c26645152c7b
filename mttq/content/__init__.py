"""The content model: one bundle read once into one record; its header, body, photos and rules."""
