"""Outlook: ratings on the 21-notch scale, constituent category ratings, scenarios."""
