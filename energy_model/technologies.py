"""The technology registry: one declaration per technology, and every list derived from it.

Each :class:`Technology` says what it converts (carrier in and out), what its capacity
measures and in which unit, where its data sit in a scenario, whether its output counts as
renewable electricity or heat, and how the report shows it. The schema's checks, the
model's capacity set, the profiles the inputs prepare, the results' names, the report's
labels and colours and the sweep and pathway tables all read these declarations, so a new
technology is declared here (or with :func:`register`, from outside the package) and its
model component written; nothing else lists it.

To add a technology:

1. Declare it: a :class:`Technology` in ``_BUILT_IN`` below (its scenario section's
   pydantic model goes in :mod:`energy_model.scenario`, as a field of ``Technologies``),
   or, from outside the package, ``register(Technology(..., spec=..., component=...))``.
   A city-level technology (``level="city"``) is sized in ``m.capacity`` and costed by
   :mod:`energy_model.components.capacity` from the keys its declaration names.
2. Write its component: a function ``(m, scenario, inputs)`` that adds its variables and
   constraints and declares its flows, costs and outputs in ``m.terms``
   (:mod:`energy_model.components.terms`); built-in ones are listed in
   :data:`energy_model.build.STEPS`. Balances, the objective, the results' flows and the
   report's energy balance and capacity chart follow from the declarations.

``tests/energy_model/electrolyser.py`` is a whole example: a constant-efficiency
electrolyser meeting a hydrogen demand, declared and modelled in one file.

This module imports neither Pyomo nor the scenario schema: the schema reads it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Level = Literal["city", "zone", "plant", "network"]
Profile = Literal["capacity_factor", "cop"]


@dataclass(frozen=True)
class Technology:
    """One technology as the model, the schema and the report know it.

    Attributes
    ----------
    name : str
        The name used in results (``capacity``'s ``technology`` coordinate, cost items).
    section : str
        Its key under ``technologies`` in a scenario (``battery`` holds both battery
        items); ``network`` for the pipes.
    carrier_in, carrier_out : str or None
        What it takes and gives: ``electricity``, ``heat``, ``gas``, ``ambient`` (sun, wind,
        the ground or air a heat pump draws from), ``waste``; None for a store or a measure.
    capacity : str
        What its capacity measures, in words (``electric output``, ``stored energy``).
    unit : str
        The unit of its capacity: ``MW``, ``MWh`` or ``homes`` (a roll-out); ``""`` for a
        plant of fixed size.
    level : {'city', 'zone', 'plant', 'network'}
        ``city``: one capacity sized by the plan (``m.capacity``); ``zone``: a share of
        each zone's buildings; ``plant``: a plant of given size; ``network``: the pipes.
    renewable_electricity, renewable_heat : bool
        Whether a renewable target may count its output as electricity or heat
        (DESNZ's local-authority statistics count electricity only).
    display : str
        The name a reader sees.
    colour : str
        Its colour in charts (hex).
    profile : {'capacity_factor', 'cop'} or None
        The hourly profile the inputs prepare for it.
    resource : str
        What its output follows (``sun``, ``wind``), for the weather model of its profile.
    network_sited : bool
        Feeds the heat network, so it is sited at a node of the network.
    storage : bool
        A store (its capacity is energy or the power that fills it).
    existing_key, maximum_key, capex_key, lifetime_key, build_rate_key : str
        Keys of its section holding its existing capacity, its potential, its overnight
        cost (per kW or kWh: multiplied by 1,000 to the capacity's unit), its lifetime and
        its build rate; empty where they do not apply.
    intervention : str
        The fuel-poverty intervention it is (``heat_pump``), if any.
    share : str, existing_share_key : str
        For a zone-level roll-out: the model's share variable and the zone key holding
        its level before the plan (empty: starts from 0).
    spec : type or None
        For a technology registered from outside the package: the pydantic model of its
        scenario section (validated under ``technologies.<section>``).
    component : callable or None
        For a technology registered from outside the package: its model component,
        ``component(m, scenario, inputs)``, run with the built-in ones.
    """

    name: str
    section: str
    carrier_in: str | None
    carrier_out: str | None
    capacity: str
    unit: str
    level: Level
    display: str
    colour: str
    renewable_electricity: bool = False
    renewable_heat: bool = False
    profile: Profile | None = None
    resource: str = ""
    network_sited: bool = False
    storage: bool = False
    existing_key: str = "existing_capacity_mw"
    maximum_key: str = "potential_mw"
    capex_key: str = "capex_gbp_per_kw"
    lifetime_key: str = "lifetime_years"
    build_rate_key: str = "build_rate_mw_per_year"
    intervention: str = ""
    share: str = ""
    existing_share_key: str = ""
    spec: Any = None
    component: Callable | None = None


def _generator(name, display, colour, resource):
    return Technology(name, name, "ambient", "electricity", "electric output (peak)", "MW",
                      "city", display, colour, renewable_electricity=True,
                      profile="capacity_factor", resource=resource)


def _heat_pump(name, display, colour, renewable):
    return Technology(name, name, "electricity", "heat", "heat output", "MW", "city", display,
                      colour, renewable_heat=renewable, profile="cop", network_sited=True)


_BUILT_IN = (
    _generator("rooftop_pv", "rooftop PV", "#f2b701", "sun"),
    _generator("ground_pv", "ground PV", "#e68310", "sun"),
    _generator("wind", "wind", "#3969ac", "wind"),
    Technology("energy_from_waste", "energy_from_waste", "waste", "electricity",
               "electric output", "", "plant", "energy from waste", "#7f3c8d",
               renewable_electricity=True, renewable_heat=True, network_sited=True),
    Technology("central_gas_boiler", "central_gas_boiler", "gas", "heat", "heat output", "MW",
               "city", "central gas boiler", "#80ba5a", network_sited=True),
    _heat_pump("central_heat_pump", "central heat pump", "#008695", True),
    Technology("geothermal", "geothermal", "ambient", "heat", "heat output", "MW", "city",
               "geothermal", "#e73f74", renewable_heat=True, network_sited=True),
    # waste heat is the server centre's, not ambient: not counted as renewable heat
    _heat_pump("waste_heat_pump", "waste heat pump", "#4b4b8f", False),
    _heat_pump("mine_water_heat_pump", "mine water heat pump", "#1d6996", True),
    Technology("thermal_store", "thermal_store", None, None, "stored heat", "MWh", "city",
               "thermal store", "#cc503e", network_sited=True, storage=True,
               existing_key="existing_energy_mwh", maximum_key="max_energy_mwh",
               capex_key="capex_gbp_per_kwh", build_rate_key="build_rate_mwh_per_year"),
    Technology("battery_power", "battery", None, None, "charge and discharge power", "MW",
               "city", "battery power", "#11a579", storage=True,
               existing_key="existing_power_mw", maximum_key="max_power_mw",
               capex_key="power_capex_gbp_per_kw", lifetime_key="power_lifetime_years"),
    Technology("battery_energy", "battery", None, None, "stored electricity", "MWh", "city",
               "battery energy", "#11a579", storage=True, existing_key="existing_energy_mwh",
               maximum_key="max_energy_mwh", capex_key="energy_capex_gbp_per_kwh",
               lifetime_key="energy_lifetime_years", build_rate_key="build_rate_mwh_per_year"),
    Technology("individual_heat_pump", "individual_heat_pump", "electricity", "heat",
               "share of each zone's buildings", "homes", "zone", "individual heat pump",
               "#5ab4ac", renewable_heat=True, profile="cop", intervention="heat_pump",
               share="heat_pump_share", existing_share_key="existing_heat_pump_share",
               build_rate_key="build_rate_homes_per_year"),
    Technology("individual_gas_boiler", "individual_gas_boiler", "gas", "heat",
               "share of each zone's buildings", "homes", "zone", "individual gas boiler",
               "#c9db74", build_rate_key=""),
    Technology("heat_network", "heat_network", "heat", "heat",
               "share of each zone's buildings connected", "homes", "zone",
               "heat network", "#e17c05", intervention="heat_network",
               share="heat_network_share", existing_share_key="existing_heat_network_share",
               build_rate_key="build_rate_homes_per_year"),
    Technology("retrofit", "retrofit", None, None, "share of each zone's homes retrofitted",
               "homes", "zone", "retrofit", "#94346e", intervention="retrofit",
               share="retrofit_share", build_rate_key="build_rate_homes_per_year"),
    Technology("pipes", "network", "heat", "heat", "pipe capacity", "MW", "network",
               "pipes", "#6f4070", build_rate_key=""),
)

REGISTRY: dict[str, Technology] = {t.name: t for t in _BUILT_IN}

# Flows of the energy balance that are not technologies, with their colours.
FLOW_COLOURS = {"grid_import": "#a5aa99", "grid_export": "#a5aa99",
                "battery_discharge": "#11a579", "battery_charge": "#11a579",
                "store_discharge": "#cc503e",
                "thermal_store": "#cc503e", "buildings": "#666666"}


def register(technology: Technology) -> Technology:
    """Add a technology from outside the package (with its ``spec`` and ``component``).

    Raises
    ------
    ValueError
        If the name is taken, or it lacks the scenario section's model or its component.
    """
    if technology.name in REGISTRY:
        raise ValueError(f"technology {technology.name!r} is declared already")
    if technology.spec is None or technology.component is None:
        raise ValueError(f"technology {technology.name!r}: a technology registered from "
                         "outside the package needs its scenario section's model (spec) and "
                         "its model component (component)")
    REGISTRY[technology.name] = technology
    return technology


def unregister(name: str) -> None:
    """Remove a technology registered with :func:`register` (tests clean up with it)."""
    if REGISTRY.get(name) is not None and REGISTRY[name].spec is None:
        raise ValueError(f"technology {name!r} is built in")
    REGISTRY.pop(name, None)


def technologies(**where: Any) -> tuple[str, ...]:
    """Names of the registered technologies whose attributes equal ``where``, in order.

    ``technologies(level="city")`` is the capacity set; ``technologies(profile="cop")``
    the heat pumps.
    """
    return tuple(t.name for t in REGISTRY.values()
                 if all(getattr(t, k) == v for k, v in where.items()))


def city_assets() -> tuple[str, ...]:
    """The technologies sized at city level (``m.capacity``), in MW or MWh."""
    return technologies(level="city")


def paid_for() -> tuple[str, ...]:
    """Everything the plan pays capital for: city assets, zone roll-outs and pipes."""
    return tuple(t.name for t in REGISTRY.values()
                 if t.level in ("city", "network") or t.share)


def extension_sections() -> dict[str, Technology]:
    """Scenario sections of technologies registered from outside the package."""
    return {t.section: t for t in REGISTRY.values() if t.spec is not None}


def extension_components() -> tuple[Callable, ...]:
    """Model components of technologies registered from outside the package."""
    return tuple(dict.fromkeys(t.component for t in REGISTRY.values()
                               if t.component is not None))


def counts(measure: str) -> tuple[str, ...]:
    """What a renewable target of ``electricity`` or ``heat`` may count."""
    return technologies(**{f"renewable_{measure}": True})


def label(name: str) -> str:
    """The name a reader sees: the registry's, else the name with spaces."""
    t = REGISTRY.get(name)
    if t is not None:
        return t.display
    text = name.replace("_", " ")
    return text.replace(" pv", " PV").replace("co2", "CO2")


def colour(name: str) -> str | None:
    """A technology's or a flow's chart colour (None: the chart's own)."""
    t = REGISTRY.get(name)
    return t.colour if t is not None else FLOW_COLOURS.get(name)


def words(text: str) -> str:
    """Technology names in a limit's name or sentence as words (``build rate of
    ground_pv`` reads "build rate of ground PV"); scenario keys in brackets stay."""
    return re.sub(r"(?<![.\w])([a-z]+(?:_[a-z]+)+)(?![.\w])",
                  lambda m: label(m.group(1)), text)
