"""A believable demo business: three branches, their staff and ~500 customers."""
