"""Dagster only: partitions, resources, assets and checks, sensors, schedules, jobs."""
