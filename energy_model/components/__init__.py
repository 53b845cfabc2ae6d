"""One module per constraint family; :func:`energy_model.build.build_model` calls them in order.

Every ``add_*`` function takes the model, the scenario and the inputs, adds its variables,
constraints and expressions to the model, and declares what it adds in the model's typed
registry ``m.terms`` (:mod:`energy_model.components.terms`): its flows of each carrier at
each node, its capital apart from its operating costs, its emissions and gas use, its
targets' slacks and its output series. The balances and the objective are built from
those declarations once every component has declared.
"""

# Penalty on every slack of an elastic model (GBP per MWh, t or GBP): far above any real
# cost of energy, carbon or money, so that slack is used only where nothing else can help.
PENALTY_GBP_PER_UNIT = 10_000.0

