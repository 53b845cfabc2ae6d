"""Scenario files: the pydantic schema, ``extends:`` merging and loading with clear errors.

A scenario is a YAML mapping. Every physical quantity carries its unit in its key
(``capacity_mw``, ``capex_gbp_per_kw``); dimensionless numbers say what they are
(``efficiency``, ``fraction``, ``share``). A technology that is absent is not available
to the plan. A scenario may ``extends:`` one or more files (relative to itself, or the
names of built-in scenarios), which are merged in order, mappings key by key, before the
scenario's own keys go on top; only the merged result is validated.
"""

from __future__ import annotations

import copy
import difflib
import functools
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

import networks as nw
from energy_model import technologies as registry
from energy_model.errors import ScenarioError
from energy_model.outputs import safe_folder_name
from energy_model.uncertainty.ranges import (
    Range,
    checked_ranges,
    priced_ranges,
    ranges_into_data,
    split_ranges,
)
from energy_model.years import FIRST_YEAR, LAST_YEAR
from weather.errors import file_problem

# A sanity limit on every figure: no city's demand, capacity, price or cost comes near a
# trillion of its unit, and figures near the float limit break the solver.
MAX_FIGURE = 1e12
NonNegative = Annotated[float, Field(ge=0, le=MAX_FIGURE)]
Positive = Annotated[float, Field(gt=0, le=MAX_FIGURE)]
Efficiency = Annotated[float, Field(gt=0, le=1)]
Fraction = Annotated[float, Field(ge=0, le=1)]
Lifetime = Annotated[int, Field(gt=0, le=200)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
Households = Annotated[int, Field(ge=0, le=100_000_000)]
# Names the results folder (results/<name>): one safe path component.
FolderName = Annotated[str, AfterValidator(safe_folder_name)]

HOURS_PER_YEAR = 8760.0


def _registered(kind: str, names: callable):
    """A validator: the value must be one of ``names()`` (read from the technology registry
    when validating, so that a technology registered later is accepted too)."""

    def check(value: str) -> str:
        allowed = names()
        if value not in allowed:
            hint = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.5)
            raise ValueError(f"{value!r} is not {kind}"
                             + (f"; did you mean '{hint[0]}'?" if hint else "")
                             + f" (one of {', '.join(allowed)})")
        return value

    return AfterValidator(check)


# A technology sized at city level (m.capacity), one that the plan pays capital for, and
# what a renewable target may count: all from the technology registry.
CityAsset = Annotated[str, _registered("a technology sized at city level",
                                      registry.city_assets)]
PaidFor = Annotated[str, _registered("an item the plan pays capital for", registry.paid_for)]
CountItem = Annotated[str, _registered(
    "a renewable technology", lambda: tuple(dict.fromkeys(
        registry.counts("electricity") + registry.counts("heat"))))]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class _Deliverable(_Strict):
    """When a technology can first be built, and the evidence for its build rate.

    The rate itself is a key of each technology in its own unit
    (``build_rate_mw_per_year``, ``build_rate_mwh_per_year`` or
    ``build_rate_homes_per_year``; ``null``: no limit). A single-year plan adds at most
    rate x (``plan_years.plan_year`` - ``plan_years.base_year``), counting only the years
    from ``earliest_build_year`` on; a pathway applies it per period, scaled by the
    period's length (:mod:`energy_model.components.build_rates`).
    """

    earliest_build_year: Year | None = None
    build_rate_source: str = ""


class _Investable(_Deliverable):
    """Cost and lifetime shared by every technology the plan may build."""

    lifetime_years: Lifetime
    fixed_om_fraction_per_year: Fraction = 0.0
    source: str = ""

    def _check_potential(self, existing: float, potential: float | None) -> None:
        if potential is not None and potential < existing:
            raise ValueError(
                f"potential {potential} is below the existing capacity {existing}; "
                "raise the potential or lower the existing capacity"
            )


class PV(_Investable):
    """Rooftop or ground-mounted PV, sized in MW of DC (peak) capacity."""

    capex_gbp_per_kw: NonNegative
    variable_om_gbp_per_mwh: NonNegative = 0.0
    existing_capacity_mw: NonNegative = 0.0
    potential_mw: NonNegative | None = None
    build_rate_mw_per_year: NonNegative | None = None
    tilt_deg: Annotated[float, Field(ge=0, le=90)] = 35.0
    azimuth_deg: Annotated[float, Field(ge=0, lt=360)] = 180.0
    mounting: Literal["open_rack", "roof"] = "open_rack"
    system_loss_fraction: Annotated[float, Field(ge=0, lt=1)] = 0.14

    @model_validator(mode="after")
    def _potential(self) -> PV:
        self._check_potential(self.existing_capacity_mw, self.potential_mw)
        return self


class Wind(_Investable):
    """Onshore wind turbines, sized in MW."""

    capex_gbp_per_kw: NonNegative
    variable_om_gbp_per_mwh: NonNegative = 0.0
    existing_capacity_mw: NonNegative = 0.0
    potential_mw: NonNegative | None = None
    build_rate_mw_per_year: NonNegative | None = None
    hub_height_m: Positive = 100.0
    turbine_type: str = "E-126/4200"
    roughness_length_m: Positive = 0.1

    @model_validator(mode="after")
    def _potential(self) -> Wind:
        self._check_potential(self.existing_capacity_mw, self.potential_mw)
        return self


class Battery(_Deliverable):
    """A battery whose power (MW) and energy (MWh) are sized separately."""

    energy_capex_gbp_per_kwh: NonNegative
    power_capex_gbp_per_kw: NonNegative
    energy_lifetime_years: Lifetime
    power_lifetime_years: Lifetime
    fixed_om_fraction_per_year: Fraction = 0.0
    charge_efficiency: Efficiency = 1.0
    discharge_efficiency: Efficiency = 1.0
    existing_power_mw: NonNegative = 0.0
    existing_energy_mwh: NonNegative = 0.0
    max_power_mw: NonNegative | None = None
    max_energy_mwh: NonNegative | None = None
    build_rate_mw_per_year: NonNegative | None = None
    build_rate_mwh_per_year: NonNegative | None = None
    source: str = ""


class EnergyFromWaste(_Strict):
    """An existing energy-from-waste plant: electricity, and heat offtake to the network.

    Heat taken off for the network lowers the electric output by
    ``power_loss_per_heat`` MW per MW of heat (a steam-extraction plant).
    """

    capacity_mw: NonNegative
    availability_fraction: Fraction = 1.0
    biogenic_fraction: Fraction
    heat_offtake_capacity_mw: NonNegative = 0.0
    power_loss_per_heat: Annotated[float, Field(ge=0, le=1)] = 0.0
    variable_om_gbp_per_mwh: NonNegative = 0.0
    # The plant runs until its contract ends (the last day it runs) and not after, unless
    # after_contract is "replaced": a bridging contract or a replacement plant keeps the
    # same output going.
    contract_end_date: date | None = None
    after_contract: Literal["closed", "replaced"] = "closed"
    source: str = ""


class CityTechnology(_Investable):
    """A technology sized at city level in MW: the keys every such technology has (a
    technology registered from outside the package may extend it)."""

    capex_gbp_per_kw: NonNegative
    variable_om_gbp_per_mwh: NonNegative = 0.0
    existing_capacity_mw: NonNegative = 0.0
    potential_mw: NonNegative | None = None
    build_rate_mw_per_year: NonNegative | None = None

    @model_validator(mode="after")
    def _potential(self) -> CityTechnology:
        self._check_potential(self.existing_capacity_mw, self.potential_mw)
        return self


class HeatSource(CityTechnology):
    """A central heat source of the heat network (gas boiler, heat pump, geothermal), MW heat."""


class GasBoiler(HeatSource):
    """A gas boiler; efficiency is heat out per unit of gas in on the gas price's basis."""

    efficiency: Efficiency


class HeatPump(HeatSource):
    """A heat pump whose COP follows the weather (When2Heat fits)."""

    heat_source: Literal["air", "ground", "water"] = "air"
    # A source at a steady temperature (mine water, data-centre waste heat) instead of the
    # weather's air or ground temperature.
    source_temp_c: Annotated[float, Field(ge=-20, le=80)] | None = None
    supply_temp_c: Annotated[float, Field(ge=20, le=120)] = 70.0
    cop_correction_factor: Annotated[float, Field(gt=0, le=1)] = 0.85


class ThermalStore(_Investable):
    """A hot-water store of the heat network, sized in MWh."""

    capex_gbp_per_kwh: NonNegative
    existing_energy_mwh: NonNegative = 0.0
    max_energy_mwh: NonNegative | None = None
    build_rate_mwh_per_year: NonNegative | None = None
    standing_loss_fraction_per_hour: Fraction = 0.0


# How a city-wide rate of homes per year limits the zones: ``city`` limits their sum (the
# plan chooses where); ``each_zone_by_households`` gives each zone the rate x its share of
# the city's households.
RateScope = Literal["city", "each_zone_by_households"]


class _RollOut(_Deliverable):
    """A zone-level intervention counted in homes (heat pumps, connections, retrofits)."""

    build_rate_homes_per_year: NonNegative | None = None
    build_rate_scope: RateScope = "city"


class IndividualHeating(_Investable, _RollOut):
    """A building-level heating system (heat pump or gas boiler), sized on each zone's peak.

    ``capex_gbp_per_kw`` prices the system per kW of peak heat (and its fixed O&M); where
    ``installed_cost_gbp_per_household`` is given, a home's installation costs that instead
    and only non-domestic buildings are priced per kW. ``grant_gbp_per_household`` is a
    transfer from the state to the household: it lowers what a household pays (household
    view) but not what the system costs. ``seasonal_performance_factor`` rescales a heat
    pump's hourly COP so that its heat-weighted mean over the year is this figure.
    """

    capex_gbp_per_kw: NonNegative
    installed_cost_gbp_per_household: NonNegative | None = None
    grant_gbp_per_household: NonNegative = 0.0
    efficiency: Efficiency | None = None
    seasonal_performance_factor: Annotated[float, Field(gt=1, le=8)] | None = None
    supply_temp_c: Annotated[float, Field(ge=20, le=120)] = 50.0
    cop_correction_factor: Annotated[float, Field(gt=0, le=1)] = 0.85


class HeatNetwork(_Investable, _RollOut):
    """Connecting homes to the heat network: what it costs and what it loses."""

    connection_capex_gbp_per_household: NonNegative = 0.0
    network_capex_gbp_per_mwh_per_year: NonNegative = 0.0
    loss_fraction_of_delivered: Fraction = 0.0


class Retrofit(_RollOut):
    """Fabric retrofit of homes below band C (insulation, glazing), per household."""

    capex_gbp_per_household: NonNegative
    heat_saving_fraction: Fraction
    lifetime_years: Lifetime
    source: str = ""


class Technologies(_Strict):
    # GBP of which year the technologies' costs are in (a technology may state its own)
    price_year: PriceYear | None = None
    rooftop_pv: PV | None = None
    ground_pv: PV | None = None
    wind: Wind | None = None
    battery: Battery | None = None
    energy_from_waste: EnergyFromWaste | None = None
    central_gas_boiler: GasBoiler | None = None
    central_heat_pump: HeatPump | None = None
    geothermal: HeatSource | None = None
    thermal_store: ThermalStore | None = None
    individual_heat_pump: IndividualHeating | None = None
    individual_gas_boiler: IndividualHeating | None = None
    heat_network: HeatNetwork | None = None
    retrofit: Retrofit | None = None
    waste_heat_pump: HeatPump | None = None
    mine_water_heat_pump: HeatPump | None = None

    # Sections of technologies registered from outside the package
    # (energy_model.technologies.register) are validated against their own models.
    model_config = ConfigDict(extra="allow", frozen=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _registered_sections(self) -> Technologies:
        extensions = registry.extension_sections()
        for key, value in list((self.__pydantic_extra__ or {}).items()):
            if key not in extensions:
                allowed = [*type(self).model_fields, *extensions]
                hint = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
                raise ValueError(f"{key}: unknown technology"
                                 + (f"; did you mean '{hint[0]}'?" if hint
                                    else f"; allowed here: {', '.join(allowed)}"))
            spec = extensions[key].spec
            if value is not None and not isinstance(value, spec):
                self.__pydantic_extra__[key] = spec.model_validate(value)
        return self

    def section(self, name: str):
        """The section of a technology (``registry.REGISTRY[name].section``), or None."""
        return getattr(self, registry.REGISTRY[name].section, None)

    @model_validator(mode="after")
    def _network_needs(self) -> Technologies:
        boiler = self.individual_gas_boiler
        if boiler is not None and boiler.efficiency is None:
            raise ValueError("individual_gas_boiler needs an efficiency")
        if boiler is not None and boiler.build_rate_homes_per_year is not None:
            raise ValueError("individual_gas_boiler: build_rate_homes_per_year does not apply "
                             "(boilers heat whatever the other systems do not); remove it")
        return self


class Zone(_Strict):
    """A demand zone (a town): its households, annual demands and heating mix."""

    households: Households
    domestic_electricity_mwh_per_year: NonNegative
    non_domestic_electricity_mwh_per_year: NonNegative = 0.0
    domestic_heat_mwh_per_year: NonNegative
    non_domestic_heat_mwh_per_year: NonNegative = 0.0
    existing_heat_pump_share: Fraction = 0.0
    existing_heat_network_share: Fraction = 0.0
    max_heat_pump_share: Fraction = 1.0
    max_heat_network_share: Fraction = 1.0
    # Fuel poverty (Low Income Low Energy Efficiency) and the housing stock
    fuel_poor_households: Households = 0
    below_band_c_share: Fraction = 1.0
    social_housing_share: Fraction = 0.0
    max_retrofit_share: Fraction = 0.0
    note: str = ""

    @model_validator(mode="after")
    def _shares(self) -> Zone:
        problems = []
        if self.existing_heat_pump_share > self.max_heat_pump_share:
            problems.append("existing_heat_pump_share is above max_heat_pump_share")
        if self.existing_heat_network_share > self.max_heat_network_share:
            problems.append("existing_heat_network_share is above max_heat_network_share")
        if self.existing_heat_pump_share + self.existing_heat_network_share > 1:
            problems.append("existing heat pump and heat network shares add up to more than 1")
        if self.fuel_poor_households > self.households:
            problems.append(f"fuel_poor_households ({self.fuel_poor_households}) is more than "
                            f"households ({self.households})")
        if self.max_retrofit_share > self.below_band_c_share:
            problems.append("max_retrofit_share is above below_band_c_share: only homes below "
                            "band C are retrofitted")
        if problems:
            raise ValueError("; ".join(problems))
        return self


PriceYear = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]


class DistributionBands(_Strict):
    """Distribution use-of-system unit rates by time band: the network cost that load at
    that time causes.

    Bands are read in local time (``timezone``); ``red_hours`` and ``amber_hours`` list
    ``[start, end)`` spans in hours (7.5 is 07:30) on weekdays, and every other hour
    (weekends and holidays all day) is green.
    """

    red_gbp_per_mwh: NonNegative
    amber_gbp_per_mwh: NonNegative
    green_gbp_per_mwh: NonNegative
    red_hours: list[tuple[float, float]] = [(16.0, 19.0)]
    amber_hours: list[tuple[float, float]] = [(7.5, 16.0), (19.0, 21.0)]
    weekdays_only: bool = True
    timezone: str = "Europe/London"
    price_year: PriceYear | None = None
    source: str = ""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(v)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{v}'; use an IANA name such as "
                             "Europe/London") from None
        return v

    @model_validator(mode="after")
    def _spans(self) -> DistributionBands:
        for span in (*self.red_hours, *self.amber_hours):
            if not 0 <= span[0] < span[1] <= 24:
                raise ValueError(f"band span {list(span)} must be [start, end) hours with "
                                 "0 <= start < end <= 24")
        return self


class ResidualLoadShape(_Strict):
    """How the built-in hourly shape of the energy value is made (see
    :func:`energy_model.prices.residual_load_shape`): national demand less national wind
    and solar, each from the weather year, as shares of annual demand."""

    wind_share_of_demand: Fraction = 0.0
    solar_share_of_demand: Fraction = 0.0
    floor_fraction_of_mean: Fraction = 0.1
    source: str = ""


class Grid(_Strict):
    """The connection to the national grid: what a MWh bought or sold is worth to the system.

    Either a flat ``import_price_gbp_per_mwh`` (and ``export_price_gbp_per_mwh``), or the
    system value in parts: ``energy_value_gbp_per_mwh`` (annual mean of an hourly energy
    value, shaped by ``energy_value_shape``) plus ``distribution`` time-band rates on
    import; export earns the energy value less ``spill_margin_gbp_per_mwh``.
    ``co2_t_per_mwh`` is the average emissions of grid electricity (the city's footprint);
    ``marginal_co2_t_per_mwh`` (default: the same) values a change in import or export.
    """

    import_price_gbp_per_mwh: NonNegative | None = None
    export_price_gbp_per_mwh: NonNegative | None = None
    energy_value_gbp_per_mwh: NonNegative | None = None
    energy_value_shape: Literal["flat", "residual_load"] = "flat"
    residual_load: ResidualLoadShape = ResidualLoadShape()
    spill_margin_gbp_per_mwh: NonNegative = 0.0
    distribution: DistributionBands | None = None
    import_limit_mw: NonNegative | None = None
    export_limit_mw: NonNegative | None = None
    co2_t_per_mwh: NonNegative = 0.0
    marginal_co2_t_per_mwh: NonNegative | None = None
    price_year: PriceYear | None = None
    source: str = ""

    @model_validator(mode="after")
    def _one_basis(self) -> Grid:
        flat = self.import_price_gbp_per_mwh is not None
        parts = self.energy_value_gbp_per_mwh is not None
        if flat == parts:
            raise ValueError("give either import_price_gbp_per_mwh (a flat price) or "
                             "energy_value_gbp_per_mwh (the system value in parts), not both "
                             "and not neither")
        if parts and self.export_price_gbp_per_mwh is not None:
            raise ValueError("export_price_gbp_per_mwh goes with a flat import price; with "
                             "energy_value_gbp_per_mwh, export earns the energy value less "
                             "spill_margin_gbp_per_mwh")
        if flat and self.distribution is not None:
            raise ValueError("distribution time bands go with energy_value_gbp_per_mwh; a flat "
                             "import_price_gbp_per_mwh already includes the network")
        return self

    @property
    def marginal_co2(self) -> float:
        """Long-run marginal emissions of grid electricity [t/MWh]."""
        return self.co2_t_per_mwh if self.marginal_co2_t_per_mwh is None \
            else self.marginal_co2_t_per_mwh


class Gas(_Strict):
    """Gas bought by the city's boilers: its price to the system and its emissions."""

    price_gbp_per_mwh: NonNegative
    co2_t_per_mwh: NonNegative = 0.0
    price_year: PriceYear | None = None
    source: str = ""


class Carbon(_Strict):
    """The value of a tonne of CO2 in the objective (appraisal, not a market price)."""

    co2_value_gbp_per_t: NonNegative = 0.0
    price_year: PriceYear | None = None
    source: str = ""


# What a renewable target may count, by measure (registry.counts). Electricity: generated
# in the city, as DESNZ's "Renewable electricity by local authority" statistics count it
# (energy from waste: its biogenic share). Heat: geothermal heat, the ambient share
# (1 - 1/COP) of heat pumps' heat, and the biogenic share of energy-from-waste heat.
# By default a target counts the weather-driven generators.
DEFAULT_COUNTS = registry.technologies(profile="capacity_factor", renewable_electricity=True)


class RenewableTarget(_Strict):
    """Annual local renewable generation of at least baseline x multiplier.

    Give the baseline in exactly one unit. ``measure`` says what the baseline measures:
    ``electricity`` (the default) or ``heat``; ``counts`` lists what counts, and must be
    of that measure. ``electricity_and_heat`` adds heat to an electricity-style total on
    purpose: the report then says so. Storage losses are taken off what is counted, so
    burning surplus through a battery or a store cannot meet a target.
    """

    baseline_mwh_per_year: NonNegative | None = None
    baseline_gwh_per_year: NonNegative | None = None
    multiplier: Positive = 1.0
    measure: Literal["electricity", "heat", "electricity_and_heat"] = "electricity"
    counts: list[CountItem] = Field(default_factory=lambda: list(DEFAULT_COUNTS))
    note: str = ""

    @model_validator(mode="after")
    def _one_unit(self) -> RenewableTarget:
        given = [self.baseline_mwh_per_year, self.baseline_gwh_per_year]
        if sum(v is not None for v in given) != 1:
            raise ValueError("give exactly one of baseline_mwh_per_year or baseline_gwh_per_year")
        allowed = registry.counts(self.measure) if self.measure != "electricity_and_heat" \
            else None
        wrong = [k for k in self.counts if allowed is not None and k not in allowed]
        if wrong:
            kind = "heat" if self.measure == "electricity" else "electricity"
            fix = ("targets.renewable_heat" if kind == "heat" else "targets.renewable_generation")
            raise ValueError(
                f"counts: {', '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} {kind}, but "
                f"the target's measure is {self.measure}"
                + (" (DESNZ's local-authority statistics count renewable electricity only)"
                   if self.measure == "electricity" else "")
                + f"; remove {'it' if len(wrong) == 1 else 'them'}, count {kind} under {fix}, "
                "or set measure: electricity_and_heat to add them on purpose (the report "
                "will say so)")
        return self

    @property
    def baseline_mwh(self) -> float:
        """The baseline in MWh per year, whichever unit it was given in."""
        if self.baseline_mwh_per_year is not None:
            return self.baseline_mwh_per_year
        return self.baseline_gwh_per_year * 1000.0

    @property
    def target_mwh_per_year(self) -> float:
        """The target in MWh per year: baseline x multiplier."""
        return self.baseline_mwh * self.multiplier


class DataCentre(_Strict):
    """A server centre: its electric load and the waste heat it offers the heat network.

    Electric load = IT load x utilisation x PUE. Waste heat = recoverable fraction x IT
    load x utilisation, at ``waste_heat_temp_c``, upgraded by ``waste_heat_pump``. A
    flexible share of the load may move within each day.
    """

    it_load_mw: NonNegative
    pue: Annotated[float, Field(ge=1, le=3)] = 1.3
    utilisation_fraction: Fraction = 1.0
    utilisation_csv: str | None = None
    flexible_share: Fraction = 0.0
    waste_heat_recoverable_fraction: Fraction = 0.0
    waste_heat_temp_c: Annotated[float, Field(ge=10, le=80)] = 30.0
    count_in_city_demand: bool = True
    note: str = ""


class MineWater(_Strict):
    """Mine water as a low-temperature heat source: what a heat pump may draw from it."""

    max_heat_mw: NonNegative
    temp_c: Annotated[float, Field(ge=0, le=40)] = 12.0
    note: str = ""


class Tariffs(_Strict):
    """What a household pays: unit rates and standing charges."""

    electricity_gbp_per_mwh: NonNegative
    electricity_standing_gbp_per_day: NonNegative = 0.0
    gas_gbp_per_mwh: NonNegative
    gas_standing_gbp_per_day: NonNegative = 0.0
    heat_gbp_per_mwh: NonNegative
    heat_standing_gbp_per_day: NonNegative = 0.0
    price_year: PriceYear | None = None
    source: str = ""


class LiftShares(_Strict):
    """Share of the fuel-poor homes an intervention reaches that it lifts to band C or above."""

    retrofit: Fraction = 0.0
    heat_network: Fraction = 0.0
    heat_pump: Fraction = 0.0


class FuelPoverty(_Strict):
    """How interventions reach fuel-poor households, and what they pay.

    Of the homes an intervention treats, ``targeting_rate`` are chosen because they are
    fuel poor; the rest reach fuel-poor homes at the zone's fuel-poverty rate. An
    intervention that would raise a household's bill lifts nobody.
    """

    targeting_rate: Fraction
    lift_share: LiftShares
    tariffs: Tariffs
    note: str = ""


class FuelPovertyTarget(_Strict):
    """Fuel-poverty goals of the plan, each optional."""

    min_households_lifted: Households | None = None
    max_fuel_poverty_rate: Fraction | None = None
    min_private_homes_improved: Households | None = None
    social_value_gbp_per_household_lifted_per_year: NonNegative = 0.0


class Targets(_Strict):
    renewable_generation: RenewableTarget | None = None
    renewable_heat: RenewableTarget | None = None
    fuel_poverty: FuelPovertyTarget | None = None
    co2_cap_t_per_year: NonNegative | None = None
    capex_budget_gbp: NonNegative | None = None

    @field_validator("renewable_heat", mode="before")
    @classmethod
    def _heat_measure(cls, v: Any) -> Any:
        if isinstance(v, dict) and "measure" not in v:
            return {**v, "measure": "heat", "counts": v.get("counts", ["geothermal"])}
        return v

    @model_validator(mode="after")
    def _measures(self) -> Targets:
        if self.renewable_heat is not None and self.renewable_heat.measure != "heat":
            raise ValueError("renewable_heat.measure: a renewable heat target measures heat; "
                             "drop the key or set it to heat")
        return self


class PlanYears(_Strict):
    """The year a single-year plan is for, and the year whose assets it starts from.

    ``existing_*`` capacities stand at the end of ``base_year``; build rates allow
    rate x (``plan_year`` - ``base_year``) of new capacity.
    """

    base_year: Year
    plan_year: Year

    @model_validator(mode="after")
    def _order(self) -> PlanYears:
        if self.plan_year <= self.base_year:
            raise ValueError(f"plan_year {self.plan_year} must be after base_year "
                             f"{self.base_year}: build rates allow rate x (plan_year - "
                             "base_year)")
        return self


class Finance(_Strict):
    """Discounting and the price year every cost is expressed in.

    A section that states its own ``price_year`` is converted to ``price_year`` here by
    ``deflators`` (GBP of ``price_year`` per GBP of the section's year) before the
    scenario is validated; a year without a deflator is refused.
    """

    discount_rate: Annotated[float, Field(ge=0, lt=1)] = 0.035
    price_year: PriceYear | None = None
    deflators: dict[PriceYear, Positive] = Field(default_factory=dict)
    source: str = ""


class Payers(_Strict):
    """Who pays a technology's capital: shares that add up to 1."""

    public: Fraction = 0.0
    households: Fraction = 0.0
    businesses: Fraction = 0.0
    note: str = ""

    @model_validator(mode="after")
    def _whole(self) -> Payers:
        total = self.public + self.households + self.businesses
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"public + households + businesses must add up to 1, got {total:g}")
        return self


class WeatherSpec(_Strict):
    """Which weather year drives the profiles: ``builtin:stoke`` or a file path."""

    source: str = "builtin:stoke"
    year: Annotated[int, Field(ge=1900, le=2200)] = 2030
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    altitude_m: Annotated[float, Field(ge=-500, le=9000)] | None = None


class TimeSpec(_Strict):
    """The modelled horizon and resolution (hours per time step)."""

    resolution_h: Annotated[int, Field(ge=1, le=24)] = 1
    start_hour: Annotated[int, Field(ge=0, lt=8760)] = 0
    horizon_hours: Annotated[int, Field(ge=1, le=8784)] | None = None
    # Typical days (tsam) standing for the whole year; storage still links the days in
    # calendar order, so thermal stores can shift heat between seasons. The days of peak
    # heat and peak electricity demand are kept whole on top of these (up to two more).
    representative_days: Annotated[int, Field(ge=1, le=366)] | None = None

    @field_validator("resolution_h")
    @classmethod
    def _divides_day(cls, v: int) -> int:
        if 24 % v:
            raise ValueError(f"resolution_h must divide 24 (1, 2, 3, 4, 6, 8, 12 or 24), got {v}")
        return v


class TimeSeriesFiles(_Strict):
    """Hourly CSV files that replace derived profiles (paths relative to the scenario).

    Each CSV has a ``time`` column (ISO 8601 with UTC offset) and value columns: zone
    names for demands, technology names for capacity factors, and one column named
    like the key for prices and carbon intensity.
    """

    electricity_demand_mw: str | None = None
    heat_demand_mw: str | None = None
    capacity_factor: str | None = None
    import_price_gbp_per_mwh: str | None = None
    export_price_gbp_per_mwh: str | None = None
    # the hourly shape of the grid's energy value, scaled to grid.energy_value_gbp_per_mwh
    energy_value_gbp_per_mwh: str | None = None
    grid_co2_t_per_mwh: str | None = None


class NetworkSpec(BaseModel):
    """The heat network's graph (``nodes`` and ``pipes``, or ``geojson``) and how to build it.

    The graph's own keys (``nodes``, ``pipes``, ``geojson``, ``flow_temp_c``,
    ``return_temp_c``) are checked by :func:`networks.network_from_dict`.
    """

    model_config = ConfigDict(extra="allow", frozen=True, allow_inf_nan=False)

    build_decisions: Literal["continuous", "binary"] = "continuous"
    min_build_capacity_mw: NonNegative = 0.0
    # Replace the linearised pipe catalogue's figures where given.
    pipe_cost_gbp_per_mw_per_km: NonNegative | None = None
    pipe_fixed_cost_gbp_per_km: NonNegative | None = None
    pipe_loss_fraction_per_km: Fraction | None = None
    # GBP of which year the pipe catalogue's costs are in (networks.catalogue: 2010), and
    # the factor that brings them to finance.price_year (set when the scenario is loaded)
    price_year: PriceYear | None = None
    catalogue_cost_factor: Positive = 1.0
    note: str = ""

    def graph_data(self) -> dict[str, Any]:
        """The keys that describe the graph itself, for :func:`networks.network_from_dict`."""
        return self.model_dump(exclude=set(NetworkSpec.model_fields))


# A pathway's growth items (energy_model.pathway.spec scales the scenario keys of each).
GROWTH_ITEMS = ("electricity_demand", "heat_demand", "import_price", "export_price",
                "gas_price", "grid_co2", "energy_value", "grid_marginal_co2", "carbon_value")
Rate = Annotated[float, Field(gt=-1, lt=1)]


class PathwaySpec(_Strict):
    """The ``pathway:`` section: investment periods to the target year and how each period's
    scenario differs (see :mod:`energy_model.pathway.spec`)."""

    periods: list[Year] = Field(min_length=1)
    weights_years: list[Annotated[int, Field(ge=1, le=50)]] | None = None
    base_year: Year | None = None
    capex_reference_year: Year | None = None
    capex_decline_per_year: dict[str, Rate] = Field(default_factory=dict)
    values_reference_year: Year | None = None
    growth_per_year: dict[Literal[GROWTH_ITEMS], Rate] = Field(default_factory=dict)
    values_csv: str | None = None
    retire: dict[str, Year] = Field(default_factory=dict)
    earliest_build_year: dict[str, Year] = Field(default_factory=dict)
    renewable_milestones: Literal["straight_line", "final_only"] = "straight_line"
    renewable_milestones_mwh_per_year: dict[Year, NonNegative] = Field(default_factory=dict)
    baseline_year: Year | None = None
    target_year: Year | None = None
    households_lifted_milestones: dict[Year, Annotated[int, Field(ge=0)]] = Field(
        default_factory=dict)
    capex_budget_gbp_per_year: NonNegative | dict[Year, NonNegative] | None = None
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> PathwaySpec:
        problems = []
        if any(b <= a for a, b in zip(self.periods, self.periods[1:], strict=False)):
            problems.append(f"periods must increase year by year, got {self.periods}")
        if self.weights_years is not None and len(self.weights_years) != len(self.periods):
            problems.append(f"weights_years has {len(self.weights_years)} entries for "
                            f"{len(self.periods)} periods; give one per period")
        if self.base_year is not None and self.base_year > self.periods[0]:
            problems.append(f"base_year {self.base_year} is after the first period "
                            f"{self.periods[0]}; discount to a year at or before it")
        for key in ("renewable_milestones_mwh_per_year", "households_lifted_milestones"):
            stray = sorted(set(getattr(self, key)) - set(self.periods))
            if stray:
                problems.append(f"{key}: years {stray} are not periods {self.periods}")
        if isinstance(self.capex_budget_gbp_per_year, dict):
            stray = sorted(set(self.capex_budget_gbp_per_year) - set(self.periods))
            if stray:
                problems.append(f"capex_budget_gbp_per_year: years {stray} are not periods")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    @property
    def weights(self) -> list[int]:
        """Years each period stands for: given, or the gap to the next period (1 for the last)."""
        if self.weights_years is not None:
            return list(self.weights_years)
        gaps = [b - a for a, b in zip(self.periods, self.periods[1:], strict=False)]
        return [*gaps, 1]

    @property
    def first_year(self) -> int:
        """The year costs are discounted to (``base_year``, default the first period)."""
        return self.base_year if self.base_year is not None else self.periods[0]

    @property
    def end_year(self) -> int:
        """The first year after the horizon: last period plus its weight."""
        return self.periods[-1] + self.weights[-1]


class Scenario(_Strict):
    """A complete, validated scenario."""

    name: FolderName
    description: str = ""
    weather: WeatherSpec = WeatherSpec()
    time: TimeSpec = TimeSpec()
    finance: Finance = Finance()
    grid: Grid
    gas: Gas | None = None
    carbon: Carbon = Carbon()
    zones: dict[str, Zone]
    technologies: Technologies
    targets: Targets = Targets()
    timeseries: TimeSeriesFiles = TimeSeriesFiles()
    network: NetworkSpec | None = None
    fuel_poverty: FuelPoverty | None = None
    data_centre: DataCentre | None = None
    mine_water: MineWater | None = None
    # Investment periods of a pathway to the target year (energy_model.pathway).
    pathway: PathwaySpec | None = None
    # Capacities fixed by the user instead of chosen by the plan (MW, or MWh for
    # battery_energy and thermal_store): test a given design.
    fixed_capacity: dict[CityAsset, NonNegative] = Field(default_factory=dict)
    # The plan year and its base year: what build rates are multiplied by.
    plan_years: PlanYears | None = None
    # Who pays each technology's capital (reported; the objective counts every cost once)
    payers: dict[PaidFor, Payers] = Field(default_factory=dict)
    base_dir: str = Field(default=".", exclude=True)
    # Ranges written next to values ({value, low, high, ...}), by dotted path; the values
    # above are their ``value`` (energy_model.uncertainty.ranges).
    ranges: dict[str, Range] = Field(default_factory=dict, exclude=True)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        tech = self.technologies
        problems = []
        gas_users = [n for n in registry.technologies(carrier_in="gas")
                     if tech.section(n) is not None]
        if gas_users and self.gas is None:
            problems.append(f"{', '.join(gas_users)} need a 'gas' section with price_gbp_per_mwh")
        has_heat = any(
            z.domestic_heat_mwh_per_year + z.non_domestic_heat_mwh_per_year > 0
            for z in self.zones.values()
        )
        if has_heat and tech.individual_gas_boiler is None and tech.individual_heat_pump is None \
                and tech.heat_network is None:
            problems.append(
                "zones have heat demand but no way to meet it: add individual_gas_boiler, "
                "individual_heat_pump or heat_network under technologies"
            )
        for name, z in self.zones.items():
            reach = (z.max_heat_pump_share if tech.individual_heat_pump else 0.0) + (
                z.max_heat_network_share if tech.heat_network else 0.0)
            heat = z.domestic_heat_mwh_per_year + z.non_domestic_heat_mwh_per_year
            if heat > 0 and tech.individual_gas_boiler is None and reach < 1:
                problems.append(f"zones.{name}: without individual_gas_boiler the heat pump and "
                                f"heat network shares must reach 1, but their maxima add up "
                                f"to {reach:g}")
            if z.existing_heat_pump_share > 0 and tech.individual_heat_pump is None:
                problems.append(f"zones.{name} has heat pumps but technologies has no "
                                "individual_heat_pump")
            if z.existing_heat_network_share > 0 and tech.heat_network is None:
                problems.append(f"zones.{name} is on the heat network but technologies has no "
                                "heat_network")
        if self.targets.fuel_poverty is not None and self.fuel_poverty is None:
            problems.append("targets.fuel_poverty needs a 'fuel_poverty' section (targeting_rate, "
                            "lift_share, tariffs)")
        if any(z.max_retrofit_share > 0 for z in self.zones.values()) and (
                tech.retrofit is None or tech.individual_gas_boiler is None):
            problems.append("zones allow retrofit (max_retrofit_share) but technologies lacks "
                            "retrofit or individual_gas_boiler (retrofit lowers boilers' gas use)")
        problems += self._network_problems()
        problems += self._delivery_problems()
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _delivery_problems(self) -> list[str]:
        """Build rates and earliest years need the plan's years (or a pathway)."""
        if self.plan_years is not None or self.pathway:
            return []
        return [f"technologies.{name}.{key}: needs plan_years (base_year, plan_year) to say "
                "over how many years the plan builds; add it, or remove the key"
                for name, key in delivery_keys(self.technologies)]

    @property
    def households(self) -> int:
        """Households in all zones."""
        return sum(z.households for z in self.zones.values())

    @property
    def fuel_poor_households(self) -> int:
        """Fuel-poor households in all zones, before the plan."""
        return sum(z.fuel_poor_households for z in self.zones.values())

    @property
    def modelled_year(self) -> int:
        """The calendar year the plan is for: ``plan_years.plan_year``, else the weather's."""
        return self.plan_years.plan_year if self.plan_years else self.weather.year

    def _network_problems(self) -> list[str]:
        if self.network is None:
            return []
        try:
            graph = self.heat_network_graph()
        except nw.NetworkError as err:
            return [f"network: {p}" for p in err.problems]
        tech = self.technologies
        problems = []
        sited = {k for n in graph.nodes.values() for k in n.technologies}
        for name in registry.technologies(network_sited=True):
            if tech.section(name) is not None and name not in sited:
                problems.append(f"network: technologies.{name} is not sited at any node; list it "
                                "under a node's technologies")
        for name, z in self.zones.items():
            if z.existing_heat_network_share > 0 and name not in graph.nodes:
                problems.append(f"network: zone {name} is on the heat network but has no node "
                                "of that name")
        return problems

    def heat_network_graph(self) -> nw.HeatNetwork | None:
        """The heat network graph, or None when the scenario has no ``network`` section."""
        if self.network is None:
            return None
        return nw.network_from_dict(
            self.network.graph_data(), source="network", base_dir=self.base_dir,
            zones=list(self.zones), technologies=registry.technologies(network_sited=True))

    def resolved_dict(self) -> dict[str, Any]:
        """The whole scenario after ``extends:``, with file paths made absolute.

        Written next to results, it runs again from anywhere and reproduces the plan.
        """
        data = ranges_into_data(self.model_dump(mode="json", exclude_none=True), self.ranges)
        if not self.weather.source.startswith("builtin:"):
            data["weather"]["source"] = str(self.resolve_path(self.weather.source).resolve())
        for key, value in data.get("timeseries", {}).items():
            data["timeseries"][key] = str(self.resolve_path(value).resolve())
        if data.get("network", {}).get("geojson"):
            data["network"]["geojson"] = str(self.resolve_path(data["network"]["geojson"])
                                             .resolve())
        return data

    def resolved_yaml(self) -> str:
        """:meth:`resolved_dict` as YAML text."""
        return yaml.safe_dump(self.resolved_dict(), sort_keys=False, allow_unicode=True)

    def resolve_path(self, relative: str) -> Path:
        """A path given in the scenario, resolved against the scenario file's folder."""
        p = Path(relative)
        return p if p.is_absolute() else Path(self.base_dir) / p

    def with_updates(self, updates: dict[str, Any]) -> Scenario:
        """A copy with some keys replaced (dotted paths), validated again.

        Parameters
        ----------
        updates : dict
            ``{"time.resolution_h": 3, "technologies.wind.capex_gbp_per_kw": 900}``.
        """
        # A range stays unless its key (or a section above it) is replaced.
        kept = {p: r for p, r in self.ranges.items()
                if not any(p == u or p.startswith(f"{u}.") for u in updates)}
        data = ranges_into_data(self.model_dump(mode="json", exclude_none=True), kept)
        for path, value in updates.items():
            _set_path(data, path, value)
        return scenario_from_dict(data, source=f"{self.name} (updated)", base_dir=self.base_dir)


def delivery_keys(technologies: Technologies) -> list[tuple[str, str]]:
    """(technology, key) of every build rate and earliest year the technologies set."""
    out = []
    for name in Technologies.model_fields:
        spec = getattr(technologies, name)
        for key in type(spec).model_fields if isinstance(spec, BaseModel) else ():
            if (key.startswith("build_rate_") and key not in ("build_rate_scope",
                                                              "build_rate_source")
                    or key == "earliest_build_year") and getattr(spec, key) is not None:
                out.append((name, key))
    return out


def _set_path(data: dict, path: str, value: Any) -> None:
    keys = path.split(".")
    node = data
    for k in keys[:-1]:
        node = node.setdefault(k, {})
    node[keys[-1]] = value


def deep_merge(base: dict, override: dict) -> dict:
    """Merge ``override`` into a copy of ``base``: mappings key by key, anything else replaced."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


# Limits on what a scenario (or sweep) file may ask of the loader: no real scenario comes
# near them, and beyond them a file could exhaust memory or time.
MAX_YAML_BYTES = 5_000_000
MAX_YAML_DEPTH = 50
MAX_YAML_VALUES = 200_000  # after aliases are expanded ("billion laughs")
MAX_EXTENDS_FILES = 50  # files read through extends:, all levels together


class _LimitedLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses duplicate keys and nesting beyond MAX_YAML_DEPTH."""

    def __init__(self, stream):
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent, index):
        self.depth += 1
        if self.depth > MAX_YAML_DEPTH:
            raise yaml.constructor.ConstructorError(
                None, None, f"nested more than {MAX_YAML_DEPTH} levels deep",
                self.peek_event().start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(
                        key_node, yaml.ScalarNode):
                    continue
                key = self.construct_object(key_node)
                line = key_node.start_mark.line + 1
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key '{key}' appears twice (lines {seen[key]} and {line}); "
                        "the second would silently replace the first, so keep one",
                        key_node.start_mark)
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


def _expanded_size(node, sizes: dict[int, int], open_: set[int]) -> int:
    """How many values ``node`` stands for once its aliases are copied out."""
    if id(node) in sizes:
        return sizes[id(node)]
    if id(node) in open_:
        raise yaml.constructor.ConstructorError(None, None, "an alias refers to a value that "
                                                "contains it", node.start_mark)
    open_.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        children = node.value
    elif isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    else:
        children = []
    total = 1
    for child in children:
        total += _expanded_size(child, sizes, open_)
        if total > MAX_YAML_VALUES:
            raise yaml.constructor.ConstructorError(
                None, None, f"expands to more than {MAX_YAML_VALUES:,} values through "
                "aliases (*name); write the values out or use fewer aliases", node.start_mark)
    open_.discard(id(node))
    sizes[id(node)] = total
    return total


def parse_yaml(text: str) -> Any:
    """Parse YAML safely within the limits above (depth, expanded size, duplicate keys).

    Raises
    ------
    yaml.YAMLError
        With ``problem`` and ``problem_mark`` (line and column) for any refusal.
    """
    loader = _LimitedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node, {}, set())
        return loader.construct_document(node)
    finally:
        loader.dispose()


def yaml_problem(err: yaml.YAMLError) -> str:
    """One line about a YAML error: where it is and what is wrong."""
    mark = getattr(err, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    return f"malformed YAML{where}: {getattr(err, 'problem', None) or err}"


def _read_yaml(path: Path) -> dict:
    problem = file_problem(path, MAX_YAML_BYTES)
    if problem:
        raise ScenarioError(str(path), [problem])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioError(str(path), [f"the file is not UTF-8 text ({err.reason}); "
                                        "save it as UTF-8"]) from None
    except OSError as err:
        raise ScenarioError(str(path), [f"the file cannot be read: {err.strerror}"]) from None
    try:
        data = parse_yaml(text)
    except yaml.YAMLError as err:
        raise ScenarioError(str(path), [f"{yaml_problem(err)}; fix it there"]) from None
    if data is None:
        raise ScenarioError(str(path), ["the file is empty; a scenario is a YAML mapping"])
    if not isinstance(data, dict):
        raise ScenarioError(str(path), [f"the top level is a {type(data).__name__}, "
                                        "expected a mapping of keys such as name, zones, grid"])
    return data


def _absolute_paths(data: dict, folder: Path) -> dict:
    """File paths of one YAML file made absolute against its own folder.

    A scenario may extend a file in another folder; paths mean what they meant where they
    were written.
    """

    def fix(value):
        return str(folder / value) if isinstance(value, str) and not Path(value).is_absolute() \
            else value

    out = dict(data)
    weather = out.get("weather")
    if isinstance(weather, dict) and isinstance(weather.get("source"), str) \
            and not weather["source"].startswith("builtin:"):
        out["weather"] = {**weather, "source": fix(weather["source"])}
    if isinstance(out.get("timeseries"), dict):
        out["timeseries"] = {k: fix(v) for k, v in out["timeseries"].items()}
    if isinstance(out.get("network"), dict) and "geojson" in out["network"]:
        out["network"] = {**out["network"], "geojson": fix(out["network"]["geojson"])}
    return out


def _load_merged(path: Path, seen: tuple[Path, ...] = (), files: list[Path] | None = None
                 ) -> dict:
    path = path.resolve()
    if path in seen:
        chain = " -> ".join(p.name for p in (*seen, path))
        raise ScenarioError(str(path), [f"extends: forms a cycle ({chain})"])
    files = [] if files is None else files
    files.append(path)
    if len(files) > MAX_EXTENDS_FILES:
        raise ScenarioError(str(seen[0] if seen else path), [
            f"extends: reads more than {MAX_EXTENDS_FILES} files in all (a file listed many "
            "times?); list each parent once"])
    data = _absolute_paths(_read_yaml(path), path.parent)
    parents = data.pop("extends", None)
    if parents is None:
        return data
    if isinstance(parents, str):
        parents = [parents]
    if not isinstance(parents, list) or not all(isinstance(p, str) for p in parents):
        raise ScenarioError(str(path), ["extends: expected a file name or a list of file names"])
    merged: dict = {}
    for parent in parents:
        merged = deep_merge(merged, _load_merged(_parent_path(path, parent), (*seen, path),
                                                 files))
    return deep_merge(merged, data)


def _parent_path(path: Path, parent: str) -> Path:
    """Where ``extends: parent`` in ``path`` points: a file beside it, or a built-in name.

    A file beside the scenario wins; ``stoke-2030`` or ``stoke-2030.yaml`` with no file of
    that name beside it means the built-in scenario, as on the command line.
    """
    beside = path.parent / parent
    if beside.exists() or Path(parent).parent != Path("."):
        return beside
    for name in (parent, f"{parent}.yaml"):
        builtin = builtin_scenario_dir() / name
        if builtin.is_file():
            return builtin
    raise ScenarioError(str(path), [
        f"extends: '{parent}' is neither a file beside this one ({beside}) nor a built-in "
        "scenario; give a path relative to this file, or a name from `energy-model "
        "scenarios`"])


def _field_names(model: type[BaseModel], loc: tuple) -> list[str]:
    """The allowed keys at ``loc`` (best effort), for 'did you mean' hints."""
    current: Any = model
    for part in loc:
        fields = getattr(current, "model_fields", None)
        if fields is None or part not in fields:
            if current is Scenario.model_fields["zones"].annotation:
                current = Zone
            continue
        ann = fields[part].annotation
        args = [a for a in getattr(ann, "__args__", ()) if isinstance(a, type)]
        candidates = [a for a in (ann, *args) if isinstance(a, type) and issubclass(a, BaseModel)]
        if part == "zones":
            current = Zone
        elif candidates:
            current = candidates[0]
        else:
            return []
    return list(getattr(current, "model_fields", {}).keys())


def _describe(err: dict) -> str:
    loc = tuple(err["loc"])
    path = ".".join(str(p) for p in loc) or "(top level)"
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = [f for f in _field_names(Scenario, loc[:-1])
                   if f not in ("base_dir", "ranges")]
        hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.5)
        msg = f"{path}: unknown key"
        if hint:
            msg += f"; did you mean '{hint[0]}'? (keys carry their unit, e.g. capacity_mw)"
        elif allowed:
            msg += f"; allowed here: {', '.join(allowed)}"
        return msg
    if kind == "missing":
        return f"{path}: required key is missing"
    msg = err["msg"].removeprefix("Value error, ")
    if not loc:
        return msg
    return f"{path}: {msg}{shown_input(err.get('input'), msg)}"


def shown_input(got: Any, msg: str) -> str:
    """`` (got 5)`` after a validation message, unless the message already says it."""
    if isinstance(got, dict | list) or f"got {got}" in msg or f"got {got!r}" in msg:
        return ""
    return f" (got {got!r})"


# Sections whose money figures may be in their own price year (dotted paths).
PRICED_SECTIONS = ("grid", "grid.distribution", "gas", "carbon", "fuel_poverty.tariffs",
                   "network")


def to_price_year(data: dict) -> tuple[dict, list[str]]:
    """Express every money figure in ``finance.price_year``, converting each section that
    states another ``price_year`` by ``finance.deflators``.

    Sections: ``grid``, ``gas``, ``carbon``, ``fuel_poverty.tariffs``, ``network`` (whose
    pipe catalogue costs get ``catalogue_cost_factor``) and each technology (whose year
    defaults to ``technologies.price_year``). Every number under a key holding
    ``gbp`` is multiplied by the deflator, the section's ``source`` says so, and its
    ``price_year`` becomes the scenario's, so converting twice changes nothing.

    Returns
    -------
    data : dict
        A converted copy (the input when nothing is converted).
    problems : list of str
        A year without a deflator, or years that differ with no ``finance.price_year``.
    """
    sections = []  # (dotted path, price year or None)
    for path in PRICED_SECTIONS:
        node = data
        for key in path.split("."):
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            sections.append((path, node.get("price_year")))
    techs = data.get("technologies")
    if isinstance(techs, dict):
        default = techs.get("price_year")
        for name, spec in techs.items():
            if isinstance(spec, dict):
                sections.append((f"technologies.{name}", spec.get("price_year", default)))
    finance = data.get("finance") if isinstance(data.get("finance"), dict) else {}
    base = finance.get("price_year")
    bad = [f"{path}.price_year: {year!r} is not a year; write it like 2026"
           for path, year in [*sections, ("finance", base), ("technologies", techs.get(
               "price_year") if isinstance(techs, dict) else None)]
           if year is not None and (not isinstance(year, int) or isinstance(year, bool))]
    if bad:
        return data, bad
    given = finance.get("deflators") or {}
    if not isinstance(given, dict):
        return data, ["finance.deflators: expected a mapping of year to factor, such as "
                      "{2022: 1.16} (GBP of finance.price_year per GBP of that year)"]
    deflators = {int(k): v for k, v in given.items() if str(k).strip().isdigit()}
    stated = {year for _, year in sections if year is not None}
    if base is None:
        if len(stated) > 1:
            listed = ", ".join(f"{path} {year}" for path, year in sections if year)
            return data, [f"finance.price_year: the sections state different price years "
                          f"({listed}); set finance.price_year and give finance.deflators "
                          "for the other years"]
        return _pop_technology_years(data), []
    problems = []
    out = copy.deepcopy(data)
    for path, year in sections:
        if year is None or year == base:
            continue
        factor = deflators.get(year)
        if not isinstance(factor, int | float) or isinstance(factor, bool) or factor <= 0:
            problems.append(f"{path}.price_year: {year} differs from finance.price_year {base} "
                            f"and finance.deflators has no entry for {year}; add one (GBP of "
                            f"{base} per GBP of {year}) or state the figures in GBP of {base}")
            continue
        target = _find(out, path)
        _scale_money(target, factor)
        note = f"converted from GBP of {year} to GBP of {base} (x {factor:g})"
        if path == "network":  # the pipe catalogue's costs are not in the file
            target["catalogue_cost_factor"] = target.get("catalogue_cost_factor", 1.0) * factor
            target["note"] = f"{target.get('note', '')} [{note}]".strip()
        else:
            target["source"] = f"{target.get('source', '')} [{note}]".strip()
        if "price_year" in target or path in PRICED_SECTIONS:
            target["price_year"] = base
    if isinstance(out.get("technologies"), dict) and "price_year" in out["technologies"]:
        out["technologies"]["price_year"] = base
    return _pop_technology_years(out), problems


def _find(data: dict, path: str) -> dict:
    node = data
    for key in path.split("."):
        node = node[key]
    return node


def _scale_money(node: dict, factor: float) -> None:
    """Multiply every number under a key holding ``gbp`` in place, in nested mappings too
    unless they state their own ``price_year``."""
    for key, value in node.items():
        if isinstance(value, dict):
            if "price_year" not in value:
                _scale_money(value, factor)
        elif "gbp" in str(key) and isinstance(value, int | float) \
                and not isinstance(value, bool):
            node[key] = value * factor


def _pop_technology_years(data: dict) -> dict:
    """Technologies' own ``price_year`` keys, once applied, are dropped (the schema keeps
    one year for all technologies)."""
    techs = data.get("technologies")
    if not isinstance(techs, dict) or not any(
            isinstance(v, dict) and "price_year" in v for v in techs.values()):
        return data
    out = dict(data)
    out["technologies"] = {k: ({kk: vv for kk, vv in v.items() if kk != "price_year"}
                               if isinstance(v, dict) else v) for k, v in techs.items()}
    return out


def scenario_from_dict(data: dict, source: str = "<dict>", base_dir: str | Path = ".") -> Scenario:
    """Validate a scenario given as a mapping.

    Parameters
    ----------
    data : dict
        The merged scenario (no ``extends``). A number may be written as a range,
        ``{value, low, high, ...}`` (:mod:`energy_model.uncertainty.ranges`).
    source : str
        Named in error messages.
    base_dir : str or Path
        Folder that relative paths in the scenario are resolved against.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Listing every problem with its key path.
    """
    data, ranges = split_ranges(data, source)
    if ranges:
        ranges = priced_ranges(data, ranges, to_price_year)
    data, problems = to_price_year(data)
    if problems:
        raise ScenarioError(source, problems)
    try:
        scenario = Scenario.model_validate({**data, "base_dir": str(base_dir)})
    except ValidationError as err:
        problems = [line for e in err.errors() for line in _describe(e).splitlines()]
        raise ScenarioError(source, problems) from None
    if not ranges:
        return scenario
    typed = checked_ranges(scenario.model_dump(mode="json"), ranges, source)
    return scenario.model_copy(update={"ranges": typed})


def stored_scenario(results: Any) -> Scenario | None:
    """The scenario a results dataset (or anything with its ``attrs``) was solved from.

    Every run stores its resolved scenario (``attrs["scenario_yaml"]``); this reads it back
    as a validated :class:`Scenario`, so that reports and summaries use the same typed
    figures as the model. None when the dataset carries no scenario.

    Raises
    ------
    ScenarioError
        When the stored scenario no longer validates (results of an older version).
    """
    text = getattr(results, "attrs", {}).get("scenario_yaml")
    return _scenario_from_yaml(text) if text else None


@functools.lru_cache(maxsize=8)
def _scenario_from_yaml(text: str) -> Scenario:
    return scenario_from_dict(parse_yaml(text), source="the scenario stored with the results")


def load_scenario(path: str | Path) -> Scenario:
    """Read, merge (``extends:``) and validate a scenario YAML file.

    Parameters
    ----------
    path : str or Path
        The scenario file, or the name of a built-in scenario (``stoke-2030``).

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Naming the file, each key path and what was expected; all problems at once.
    """
    path = find_scenario(path)
    data = _load_merged(path)
    return scenario_from_dict(data, source=str(path), base_dir=path.parent)


def builtin_scenario_dir() -> Path:
    """The folder of the scenarios shipped with the package."""
    import scenarios

    return Path(scenarios.__file__).parent


def find_scenario(name_or_path: str | Path) -> Path:
    """A scenario path from a path or a built-in scenario's name."""
    p = Path(name_or_path)
    try:
        if p.exists():
            return p
        for candidate in (builtin_scenario_dir() / p, builtin_scenario_dir() / f"{p}.yaml"):
            if candidate.exists():
                return candidate
    except (OSError, ValueError) as err:  # a name too long, or with a NUL byte
        raise ScenarioError(str(p)[:200], [f"not a usable file name ({err})"]) from None
    raise ScenarioError(str(p), ["no such file, and no built-in scenario of that name; "
                                 "`energy-model scenarios` lists them"])


def list_scenarios(folder: str | Path | None = None) -> list[tuple[str, str]]:
    """The complete scenarios in a folder (files with a ``name``), with their descriptions."""
    folder = Path(folder) if folder else builtin_scenario_dir()
    out = []
    for f in sorted(folder.glob("*.yaml")):
        try:
            data = _read_yaml(f)
        except ScenarioError:
            continue
        if "name" in data:
            desc = str(data.get("description", "")).strip()
            out.append((f.stem, desc.splitlines()[0] if desc else ""))
    return out
