"""Pathways: what to build in which year, from investment periods to the target year.

A pathway is one LP holding one block per investment period :math:`p` (year
:math:`y_p`, weight :math:`w_p` years), each the whole single-year model of that period's
scenario (:func:`energy_model.build.populate_model`: its demand, prices, carbon,
milestones and retirements, see :func:`pathway_plan`), linked at the top:

.. math::

    P^{new}_{p,k} = \\sum_{q \\le p,\\; y_p < y_q + n_k} B_{q,k}
    \\qquad x_{p,i} \\ge x_{p-1,i}, \\quad \\Delta x_{p,i} = x_{p,i} - x_{p-1,i}
    \\quad (x_{0,i} = \\bar x_i)

    \\min \\sum_p \\Big[ D_p \\, O_p
      + \\sum_k c_{k,p} \\, \\mathrm{CRF}(r, n_k) \\, A_{p,k} \\, B_{p,k}
      + \\sum_i c_{i,p} \\, \\mathrm{CRF}(r, n_i) \\, A_{p,i} \\, \\Delta x_{p,i} \\Big]

    D_p = \\sum_{y = y_p}^{y_p + w_p - 1} (1 + r)^{-(y - y_0)}, \\qquad
    A_{p,k} = \\sum_{q \\ge p,\\; y_q < y_p + n_k} D_q, \\qquad
    c_{k,p} = c_k (1 - d_k)^{y_p - y^{ref}}

    \\sum_k c_{k,p} B_{p,k} + \\sum_i c_{i,p} \\Delta x_{p,i} \\le w_p \\, \\bar C_p

    B_{p,k} \\le \\rho_k \\, n_{p,k}, \\qquad
    \\sum_z N_z \\Delta x_{p,z,i} \\le \\rho_i \\, n_{p,i}

with :math:`\\rho` the build rates (MW, MWh or homes a year) and :math:`n_{p,k}` the years
of period :math:`p` from the technology's earliest build year on
(:mod:`energy_model.components.build_rates`; the period blocks' own single-year rate
limits are switched off).

City-level assets :math:`k` (``city_assets``) are built in vintages :math:`B_{p,k}` that
serve from their period for their lifetime :math:`n_k`. Roll-outs :math:`i` (each zone's
heat-pump, heat-network and retrofit shares; each pipe's new capacity and build share)
only grow, and are paid for by increment in the period they grow; within the horizon
they do not retire. :math:`O_p` is the period block's annual cost without capital
(the operating costs its components declared, kept apart from their capital): O&M,
fuel, grid, carbon price. Capital is annualised over each technology's life and counted
for the discounted years :math:`A` the horizon sees it in service: the same as overnight
cost less the value left at the horizon's end (salvage) when annuities are discounted at :math:`r`.
Capex falls by :math:`d_k` a year from the reference year (``capex_decline_per_year``;
negative: rises). Costs are discounted to 1 January of the base year :math:`y_0`.

Perfect foresight solves all periods at once; ``myopic=True`` solves period by period,
each seeing only its own operation, milestones and budget and the cost of what it builds,
with what earlier periods built fixed.

========================  ======================================  ===============
symbol                    Pyomo name                              unit
========================  ======================================  ===============
:math:`B_{p,k}`           ``m.build[y, k]``                       MW (MWh stores)
:math:`P^{new}_{p,k}`     ``m.period[y].new_capacity[k]``         MW (MWh stores)
(vintage link)            ``m.vintage_link[y, k]``                MW
:math:`x_{p,i}`           ``m.period[y].heat_pump_share[z]``, ...  share, MW
(roll-outs grow)          ``m.rollout_grows[y, i]``               share, MW
(build rates)             ``m.period_build_rate[y, k]``,
                          ``m.period_rollout_rate[y, i, s]``      MW (MWh), homes
:math:`w_p \\bar C_p`      ``m.period_capex_budget[y]``            GBP
(objective)               ``m.total_cost``                        GBP (year y0)
========================  ======================================  ===============
"""

from weather.lazy import lazy_exports

# Public names and their modules, imported on first use (PEP 562).
_LAZY = {
    **dict.fromkeys(("PathwayModel", "build_pathway"), "model"),
    **dict.fromkeys(("pathway_dataset", "run_pathway", "write_pathway"), "results"),
    **dict.fromkeys(("PathwaySolution", "solve_pathway"), "solve"),
    **dict.fromkeys(("PathwayPlan", "PathwaySpec", "Period", "pathway_plan"), "spec"),
}

__all__ = ["PathwayModel", "PathwayPlan", "PathwaySolution", "PathwaySpec", "Period",
           "build_pathway", "pathway_dataset", "pathway_plan",
           "run_pathway", "solve_pathway", "write_pathway"]


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
