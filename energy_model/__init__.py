"""City energy planning model."""
