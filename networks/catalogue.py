"""Pipe catalogue: capacity, cost and heat loss for each nominal diameter, and its linear fit.

The catalogue is built from the physical dimensions of pre-insulated steel pipes and three
stated rules, one per column:

* **Capacity** [MW]: water flow at the design velocity times density, specific heat and the
  flow-return temperature difference. The design velocity of each size is the one at which
  friction loses 100 Pa per metre of pipe (Darcy-Weisbach with the Swamee-Jain friction
  factor, wall roughness 0.05 mm), capped at 3 m/s. A gradient of about 100 Pa/m and
  velocities of 1 m/s or less in small pipes are long-standing district-heating design
  practice: Frederiksen & Werner, *District Heating and Cooling* (2013), ch. 5; the RISE
  service-pipe study (Penttinen, "pajp", 2021) states the same 1 m/s / 100 Pa/m rule.
* **Cost** [GBP per trench metre, 2010 prices]: DOMAIN.md gives GBP 500-1,100 per trench
  metre across the range of sizes. The catalogue spreads that range linearly in nominal
  diameter, from GBP 500/m at DN 25 to GBP 1,100/m at DN 500 (an assumption: civil works,
  which dominate small trenches, change little with size, while steel and insulation grow
  roughly with diameter).
* **Heat loss** [W/m, pair of pipes]: steady conduction from buried pre-insulated pipes at the
  design flow and return temperatures with the ground at 10 degC. DN 25-200 are twin pipes
  (both medium pipes in one casing), using Wallentén's first-order multipole formula for the
  symmetric loss (Wallentén, "Steady-state heat loss from insulated pipes", Lund 1991; the
  method of EN 13941). DN 250-500 are pairs of single pipes in one trench, using the two-pipe
  resistance model (Böhm, "On transient heat losses from buried district heating pipes",
  Int. J. Energy Res. 24, 2000): insulation, soil and mutual-soil resistances.
  Dimensions (steel inner and outer diameters, casing diameters and the gap between the twin
  medium pipes) are isoplus standard-series (insulation series 1) figures as tabulated by
  van der Heijde et al., "Modelling steady-state thermal behaviour of double thermal network
  pipes", Int. J. Therm. Sci. 117 (2017), data in the energyville/modesto repository
  (PipeCatalog/IsoPlusDoubleStandard.csv). Insulation conductivity 0.027 W/(m K) (aged PUR;
  EN 253 requires at most 0.029), soil 1.5 W/(m K) (moist soil), 0.6 m cover above the casing,
  0.15 m between the casings of single pipes. The results (about 9 W/m at DN 25 to 45 W/m at
  DN 500 for 70/40 degC) agree with the resistances of van der Heijde et al. to about 15 %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "LinearPipeCost",
    "PipeSize",
    "linearise_catalogue",
    "pipe_catalogue",
    "pipe_size_for",
]

# Water at about 55 degC (mean of 70 and 40 degC).
WATER_DENSITY_KG_PER_M3 = 985.0
WATER_CP_J_PER_KG_K = 4180.0
WATER_KINEMATIC_VISCOSITY_M2_PER_S = 0.50e-6

# Hydraulic design rule (see module docstring).
PRESSURE_GRADIENT_PA_PER_M = 100.0
MAX_VELOCITY_M_PER_S = 3.0
WALL_ROUGHNESS_M = 0.05e-3

# Cost rule: DOMAIN.md, GBP 500-1,100 per trench metre (2010 prices), linear in DN.
COST_SMALLEST_GBP_PER_M = 500.0
COST_LARGEST_GBP_PER_M = 1100.0

# Thermal rule (see module docstring).
GROUND_TEMP_C = 10.0
INSULATION_CONDUCTIVITY_W_PER_M_K = 0.027
SOIL_CONDUCTIVITY_W_PER_M_K = 1.5
COVER_DEPTH_M = 0.6
SINGLE_PIPE_GAP_M = 0.15

# (DN, steel inner diameter [m], steel outer diameter [m], casing outer diameter [m],
#  gap between the two medium pipes of a twin pipe [m]; None for pairs of single pipes).
# isoplus standard series as tabulated by van der Heijde et al. (2017), modesto data.
_DIMENSIONS: tuple[tuple[int, float, float, float, float | None], ...] = (
    (25, 0.0273, 0.0337, 0.140, 0.019),
    (32, 0.0360, 0.0424, 0.160, 0.019),
    (40, 0.0419, 0.0483, 0.160, 0.019),
    (50, 0.0539, 0.0603, 0.200, 0.020),
    (65, 0.0697, 0.0761, 0.225, 0.020),
    (80, 0.0825, 0.0889, 0.250, 0.025),
    (100, 0.1071, 0.1143, 0.315, 0.025),
    (125, 0.1325, 0.1397, 0.400, 0.030),
    (150, 0.1603, 0.1683, 0.450, 0.040),
    (200, 0.2101, 0.2191, 0.560, 0.045),
    (250, 0.2630, 0.2730, 0.400, None),
    (300, 0.3127, 0.3239, 0.450, None),
    (350, 0.3444, 0.3556, 0.500, None),
    (400, 0.3938, 0.4064, 0.560, None),
    (450, 0.4444, 0.4570, 0.630, None),
    (500, 0.4954, 0.5080, 0.670, None),
)


@dataclass(frozen=True)
class PipeSize:
    """One nominal diameter of the catalogue.

    Attributes
    ----------
    dn : int
        Nominal diameter [mm].
    capacity_mw : float
        Thermal capacity at the design flow and return temperatures [MW].
    cost_gbp_per_m : float
        Installed cost per trench metre, flow and return pipe together [GBP/m, 2010 prices].
    heat_loss_w_per_m : float
        Heat lost by the pair of pipes per trench metre at the design temperatures with the
        ground at 10 degC [W/m].
    """

    dn: int
    capacity_mw: float
    cost_gbp_per_m: float
    heat_loss_w_per_m: float


@dataclass(frozen=True)
class LinearPipeCost:
    """Linear pipe cost and loss for an LP: ``cost = length * (fixed + slope * capacity)``.

    Attributes
    ----------
    cost_gbp_per_mw_per_km : float
        Cost per MW of capacity per km of route [GBP/(MW km)].
    fixed_cost_gbp_per_km : float
        Cost per km of route paid once a pipe is built, whatever its size [GBP/km].
    loss_fraction_per_km : float
        Share of the heat carried at design flow that is lost per km of route [1/km].
    """

    cost_gbp_per_mw_per_km: float
    fixed_cost_gbp_per_km: float
    loss_fraction_per_km: float


def _friction_factor(velocity_m_per_s: float, diameter_m: float) -> float:
    """Darcy friction factor: Swamee-Jain explicit fit to Colebrook (turbulent flow)."""
    reynolds = velocity_m_per_s * diameter_m / WATER_KINEMATIC_VISCOSITY_M2_PER_S
    term = WALL_ROUGHNESS_M / (3.7 * diameter_m) + 5.74 / reynolds**0.9
    return 0.25 / math.log10(term) ** 2


def design_velocity_m_per_s(inner_diameter_m: float) -> float:
    """Velocity at which friction loses the design gradient, capped at the maximum.

    Parameters
    ----------
    inner_diameter_m : float
        Inner diameter of the medium pipe [m].

    Returns
    -------
    float
        Design velocity [m/s]: the solution of
        ``dp/dx = f(v) * rho * v**2 / (2 * D)`` for ``dp/dx`` = 100 Pa/m, at most 3 m/s.
    """
    velocity = 1.0
    for _ in range(50):  # fixed-point iteration on the friction factor; converges in < 10
        f = _friction_factor(velocity, inner_diameter_m)
        new = math.sqrt(2.0 * inner_diameter_m * PRESSURE_GRADIENT_PA_PER_M
                        / (f * WATER_DENSITY_KG_PER_M3))
        if abs(new - velocity) < 1e-9:
            break
        velocity = new
    return min(velocity, MAX_VELOCITY_M_PER_S)


def _twin_pipe_loss_w_per_m(outer_m: float, casing_m: float, gap_m: float,
                            mean_excess_k: float) -> float:
    """Wallentén's first-order symmetric heat loss of a buried twin pipe, both pipes [W/m]."""
    lam_i, lam_g = INSULATION_CONDUCTIVITY_W_PER_M_K, SOIL_CONDUCTIVITY_W_PER_M_K
    r_o = outer_m / 2.0                  # medium pipe outer radius
    r_c = casing_m / 2.0                 # casing radius
    d = (outer_m + gap_m) / 2.0          # half the centre-to-centre distance
    depth = COVER_DEPTH_M + r_c          # depth of the casing axis
    sigma = (lam_i - lam_g) / (lam_i + lam_g)
    rc4_d4 = r_c**4 - d**4
    correction_num = (r_o / (2 * d) - sigma * 2 * r_o * d**3 / rc4_d4) ** 2
    correction_den = 1 + (r_o / (2 * d)) ** 2 + sigma * (2 * r_o * r_c**2 * d / rc4_d4) ** 2
    inverse_h_s = (2 * lam_i / lam_g * math.log(2 * depth / r_c)
                   + math.log(r_c**2 / (2 * d * r_o))
                   + sigma * math.log(r_c**4 / rc4_d4)
                   - correction_num / correction_den)
    per_pipe = 2 * math.pi * lam_i * mean_excess_k / inverse_h_s
    return 2 * per_pipe


def _single_pair_loss_w_per_m(outer_m: float, casing_m: float, mean_excess_k: float) -> float:
    """Heat loss of two buried single pre-insulated pipes side by side, both pipes [W/m]."""
    r_insulation = math.log(casing_m / outer_m) / (2 * math.pi * INSULATION_CONDUCTIVITY_W_PER_M_K)
    depth = COVER_DEPTH_M + casing_m / 2
    r_soil = math.log(4 * depth / casing_m) / (2 * math.pi * SOIL_CONDUCTIVITY_W_PER_M_K)
    spacing = casing_m + SINGLE_PIPE_GAP_M     # centre-to-centre distance
    r_mutual = (math.log(math.sqrt(1 + (2 * depth / spacing) ** 2))
                / (2 * math.pi * SOIL_CONDUCTIVITY_W_PER_M_K))
    # Symmetric problem: each pipe at the mean temperature sees r_ins + r_soil + r_mutual.
    return 2 * mean_excess_k / (r_insulation + r_soil + r_mutual)


def pipe_catalogue(flow_temp_c: float = 70.0, return_temp_c: float = 40.0) -> list[PipeSize]:
    """Pre-insulated steel pipe sizes DN 25 to DN 500 at the given design temperatures.

    Parameters
    ----------
    flow_temp_c : float, default 70
        Design flow temperature [degC].
    return_temp_c : float, default 40
        Design return temperature [degC]; below ``flow_temp_c``.

    Returns
    -------
    list of PipeSize
        Sizes in increasing DN. Capacity and cost rise with DN; heat loss never falls (it is
        the running maximum of the computed loss over the sizes up to each DN, since uneven
        casing steps make a few sizes lose slightly less than the one below). Rules and
        sources are in the module docstring of :mod:`networks.catalogue`.

    Raises
    ------
    ValueError
        When the return temperature is not below the flow temperature.
    """
    if not return_temp_c < flow_temp_c:
        raise ValueError(f"return_temp_c ({return_temp_c}) must be below flow_temp_c "
                         f"({flow_temp_c}); set the design temperatures of the network")
    delta_t_k = flow_temp_c - return_temp_c
    mean_excess_k = (flow_temp_c + return_temp_c) / 2 - GROUND_TEMP_C
    dn_min, dn_max = _DIMENSIONS[0][0], _DIMENSIONS[-1][0]
    sizes = []
    for dn, inner_m, outer_m, casing_m, gap_m in _DIMENSIONS:
        velocity = design_velocity_m_per_s(inner_m)
        flow_m3_per_s = math.pi * inner_m**2 / 4 * velocity
        mass_flow_kg_per_s = flow_m3_per_s * WATER_DENSITY_KG_PER_M3
        capacity_mw = mass_flow_kg_per_s * WATER_CP_J_PER_KG_K * delta_t_k / 1e6
        cost = COST_SMALLEST_GBP_PER_M + (COST_LARGEST_GBP_PER_M - COST_SMALLEST_GBP_PER_M) * (
            dn - dn_min) / (dn_max - dn_min)
        if gap_m is None:
            loss = _single_pair_loss_w_per_m(outer_m, casing_m, mean_excess_k)
        else:
            loss = _twin_pipe_loss_w_per_m(outer_m, casing_m, gap_m, mean_excess_k)
        # Casing sizes step unevenly, so a size can lose slightly less than the one below it
        # (DN 50 v DN 40, DN 125 v DN 100; van der Heijde et al.'s resistances show the same).
        # Take the running maximum so that loss never falls as DN rises (conservative).
        loss = max(loss, sizes[-1].heat_loss_w_per_m if sizes else 0.0)
        sizes.append(PipeSize(dn=dn, capacity_mw=capacity_mw, cost_gbp_per_m=cost,
                              heat_loss_w_per_m=loss))
    return sizes


def _within(catalogue: list[PipeSize], min_capacity_mw: float | None,
            max_capacity_mw: float | None) -> list[PipeSize]:
    chosen = [s for s in catalogue
              if (max_capacity_mw is None or s.capacity_mw <= max_capacity_mw)
              and (min_capacity_mw is None or s.capacity_mw >= min_capacity_mw)]
    if len(chosen) < 2:
        raise ValueError(
            f"linearise_catalogue needs at least two sizes between {min_capacity_mw} and "
            f"{max_capacity_mw} MW, found {len(chosen)}; widen the capacity range")
    return chosen


def linearise_catalogue(catalogue: list[PipeSize], max_capacity_mw: float | None = None, *,
                        min_capacity_mw: float | None = None) -> LinearPipeCost:
    """Fit ``cost_per_km = fixed + slope * capacity`` to the catalogue for a linear model.

    Parameters
    ----------
    catalogue : list of PipeSize
        Sizes, e.g. from :func:`pipe_catalogue`.
    max_capacity_mw : float, optional
        Use only sizes with capacity up to this [MW] (all when None).
    min_capacity_mw : float, optional
        Use only sizes with capacity from this [MW] (all when None); trunk routes can leave
        out the smallest service pipes, whose relative losses are large.

    Returns
    -------
    LinearPipeCost
        ``fixed_cost_gbp_per_km`` and ``cost_gbp_per_mw_per_km`` from an ordinary
        least-squares fit of ``1000 * cost_gbp_per_m`` [GBP/km] on ``capacity_mw`` over the
        chosen sizes (a negative intercept is set to zero and the slope refitted through the
        origin). ``loss_fraction_per_km`` is the unweighted mean over the chosen sizes of
        ``heat_loss_w_per_m * 1000 / (capacity_mw * 1e6)``: the share of the heat carried at
        design flow lost per km. Small pipes lose a larger share, so the mean over the full
        catalogue at 70/40 degC (about 0.045/km, DN 25 alone 0.29/km) is far above the mean
        over sizes of 1 MW and more (about 0.004/km); pass ``min_capacity_mw`` to fit trunk
        routes only.

    Raises
    ------
    ValueError
        When fewer than two sizes fall in the range.
    """
    chosen = _within(catalogue, min_capacity_mw, max_capacity_mw)
    capacity = np.array([s.capacity_mw for s in chosen])
    cost_per_km = np.array([s.cost_gbp_per_m * 1000.0 for s in chosen])
    slope, fixed = np.polyfit(capacity, cost_per_km, 1)
    if fixed < 0:
        fixed = 0.0
        slope = float(capacity @ cost_per_km / (capacity @ capacity))
    loss = np.mean([s.heat_loss_w_per_m * 1000.0 / (s.capacity_mw * 1e6) for s in chosen])
    return LinearPipeCost(cost_gbp_per_mw_per_km=float(slope), fixed_cost_gbp_per_km=float(fixed),
                          loss_fraction_per_km=float(loss))


def pipe_size_for(capacity_mw: float, catalogue: list[PipeSize]) -> PipeSize | None:
    """The smallest size that carries a capacity.

    Parameters
    ----------
    capacity_mw : float
        Capacity to carry [MW].
    catalogue : list of PipeSize
        Sizes, e.g. from :func:`pipe_catalogue` (any order).

    Returns
    -------
    PipeSize or None
        The smallest DN whose capacity is at least ``capacity_mw``; None when the capacity
        is zero or negative, or larger than every size (parallel pipes would be needed).
    """
    if capacity_mw <= 0:
        return None
    fitting = [s for s in catalogue if s.capacity_mw >= capacity_mw]
    return min(fitting, key=lambda s: s.dn) if fitting else None
