"""Scenario files shipped with the package."""
