"""Pure analyses per topic: numbers in, tables, findings and key numbers out."""
