"""One module per constraint family; :func:`energy_model.build.build_model` calls them in order.

Every ``add_*`` function takes the model, the scenario and the inputs, adds its variables,
constraints and expressions to the model, and records its share of the objective in
``m.cost_terms`` (annual GBP), of the city's emissions in ``m.co2_terms`` (annual t, the
footprint), of the emissions the objective values in ``m.valued_co2_terms`` (annual t,
grid electricity at its marginal factor) and of overnight capital spending by technology
in ``m.capex_terms`` (GBP), so that the objective and the targets are sums over what the
components declared.
"""

# Penalty on every slack of an elastic model (GBP per MWh, t or GBP): far above any real
# cost of energy, carbon or money, so that slack is used only where nothing else can help.
PENALTY_GBP_PER_UNIT = 10_000.0


def elastic_slack(m, name: str):
    """A slack variable ``m.<name>`` penalised in the objective in an elastic model, else 0.

    Every target and cap takes one, so that ``--elastic`` can miss any of them and say by
    how much (:func:`energy_model.diagnose.elastic_report`).
    """
    if not m.elastic:
        return 0.0
    import pyomo.environ as pyo

    var = pyo.Var(within=pyo.NonNegativeReals)
    m.add_component(name, var)
    m.cost_terms[f"{name}_penalty"] = PENALTY_GBP_PER_UNIT * var
    return var
