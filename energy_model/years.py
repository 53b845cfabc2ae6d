"""The years any figure of the planner may be in: scenarios, actuals and the command line."""

FIRST_YEAR, LAST_YEAR = 1900, 2200
