"""The project's own exceptions: what the CLI turns into a short message."""

from __future__ import annotations

import enum


class EnergyModelError(Exception):
    """Base class of every error the planner reports to a user."""


class ProblemsError(EnergyModelError):
    """An input with one or more problems, all listed in one message.

    Parameters
    ----------
    source : str
        The file (or a description of the input) the problems were found in.
    problems : list of str
        One line per problem, each naming where it is (key path, case, line) and the fix.
    """

    kind = "input"

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        n = len(self.problems)
        super().__init__(f"{source}: {n} problem{'s' if n != 1 else ''} in the {self.kind}:"
                         f"\n{lines}")


class ScenarioError(ProblemsError):
    """A scenario file (or the files it extends) is not valid."""

    kind = "scenario"


class InputDataError(EnergyModelError):
    """A time-series file given by the user cannot be used."""


class SolveStatus(enum.Enum):
    """How a solve ended, in words a person can act on."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    TIME_LIMIT = "time limit reached"
    OTHER = "solver stopped without an optimal solution"


class SolveError(EnergyModelError):
    """The solver did not return an optimal plan.

    Parameters
    ----------
    status : SolveStatus
        How the solve ended.
    message : str
        What the user can do about it.
    diagnosis : list of str, optional
        For an infeasible plan: the conflicting targets and constraints, one per line.
    """

    def __init__(self, status: SolveStatus, message: str, diagnosis: list[str] | None = None):
        self.status = status
        self.diagnosis = list(diagnosis or [])
        super().__init__(f"The plan could not be solved ({status.value}).\n{message}")
