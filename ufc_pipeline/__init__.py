"""ufc_pipeline: a Dagster code location for the UFC Pokedex."""
