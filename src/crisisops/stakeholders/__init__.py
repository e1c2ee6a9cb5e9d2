"""Stakeholder graph, salience, SCCT communication and opinion spread (book §4-5)."""
