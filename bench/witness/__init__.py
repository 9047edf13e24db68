"""Independent witnesses of the mirror's markup: third-party UFCStats parsers and loaders."""
