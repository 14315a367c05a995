"""Macro factors: the catalog (concept -> series, transform, release lag), transforms, and the cycle phase."""
