"""Reproducible analyses of published Chinese social-assistance and public-service figures."""
