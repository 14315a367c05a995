"""The local web dashboard: a FastAPI app over the same library calls as the CLI (``r2k serve``)."""
