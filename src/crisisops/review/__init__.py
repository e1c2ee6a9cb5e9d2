"""Post-crisis reviews, before/after evaluation, lessons and learning (book §6)."""
