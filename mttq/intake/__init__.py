"""Ways in for items that do not come through a contributor's own git branch: the web
form (``/soan-tin/``, Decap CMS), Word documents (``invoke import-docx``), old sites'
feeds and WordPress exports (``invoke import-feed``)."""
