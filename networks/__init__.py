"""Heat network graphs (built in the heat-network issue)."""
