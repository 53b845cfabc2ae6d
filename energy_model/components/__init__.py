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
