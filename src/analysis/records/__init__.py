"""Record-level inputs (registry, call log): schemas, validation, privacy, and SYNTHETIC generators in files of their own."""
