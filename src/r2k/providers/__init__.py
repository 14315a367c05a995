"""Data providers: the only code with network I/O."""
