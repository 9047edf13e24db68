"""The pipeline's steps as plain functions: what each Dagster asset runs, without Dagster.

Each step takes the letters (partitions) to process and a ``Settings`` bundle, writes its
per-letter outputs, and returns a summary the asset reports as metadata.
"""
