"""Building the model: the garbage collector is paused during the build and restored."""

import gc

import pytest
from systems import make_inputs, make_scenario

from energy_model.build import build_model, paused_gc


def test_the_collector_is_restored_after_a_build_and_after_an_error():
    assert gc.isenabled()
    build_model(make_scenario(), make_inputs(2))
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused_gc():
        assert not gc.isenabled()
        raise RuntimeError("a component failed")
    assert gc.isenabled()
    # a caller who paused it themselves finds it still paused
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
