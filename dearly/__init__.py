"""Dearly: stay in touch with your customers, consistently and personally."""
