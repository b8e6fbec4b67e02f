"""Figures: the house style and fonts, and one module per topic with its charts and their labels."""
