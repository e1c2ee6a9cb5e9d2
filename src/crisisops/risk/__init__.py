"""Risk sources, registers, grading, expert scoring and Monte Carlo loss (book §3)."""
