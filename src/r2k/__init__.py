"""r2k: Russell 2000 research system."""
__version__ = "0.1.0"
