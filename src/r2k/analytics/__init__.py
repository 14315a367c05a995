"""Pure analytics: frames in, frozen result objects out. No I/O here."""
