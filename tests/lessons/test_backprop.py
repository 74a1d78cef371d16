"""Tests for mnist_core.backprop: Matt Mazur's worked example, figure by figure."""
import dataclasses

import pytest

from mnist_core.lessons import backprop
from mnist_core.lessons.backprop import TUTORIAL_WEIGHTS, backprop_example, exact, train_steps

TOLERANCE = 1e-8


def test_backprop_forward_pass_and_error():
    result = backprop_example()
    assert result.out["h1"] == pytest.approx(0.593269992, abs=TOLERANCE)
    assert result.out["h2"] == pytest.approx(0.596884378, abs=TOLERANCE)
    assert result.net["o1"] == pytest.approx(1.105905967, abs=TOLERANCE)
    assert result.out["o1"] == pytest.approx(0.75136507, abs=TOLERANCE)
    assert result.out["o2"] == pytest.approx(0.772928465, abs=TOLERANCE)
    assert result.error["o1"] == pytest.approx(0.274811083, abs=TOLERANCE)
    assert result.error["o2"] == pytest.approx(0.023560026, abs=TOLERANCE)
    assert result.total_error == pytest.approx(0.298371109, abs=TOLERANCE)


def test_backprop_chain_rule_for_w5():
    result = backprop_example()
    assert result.error_by_out["o1"] == pytest.approx(0.74136507, abs=TOLERANCE)
    assert result.slope["o1"] == pytest.approx(0.186815602, abs=TOLERANCE)
    assert result.delta["o1"] == pytest.approx(0.138498562, abs=TOLERANCE)
    product = result.error_by_out["o1"] * result.slope["o1"] * result.out["h1"]
    assert result.gradients["w5"] == pytest.approx(product, abs=1e-15)
    assert result.gradients["w5"] == pytest.approx(0.082167041, abs=TOLERANCE)
    assert result.new_weights["w5"] == pytest.approx(0.35891648, abs=TOLERANCE)


def test_backprop_chain_rule_for_w1():
    result = backprop_example()
    # The tutorial's dE_total/dout_h1 = 0.055399425 + -0.019049119 and dout_h1/dnet_h1.
    assert result.error_by_out["h1"] == pytest.approx(0.036350306, abs=TOLERANCE)
    assert result.slope["h1"] == pytest.approx(0.241300709, abs=TOLERANCE)
    product = result.error_by_out["h1"] * result.slope["h1"] * backprop.INPUTS[0]
    assert result.gradients["w1"] == pytest.approx(product, abs=1e-15)
    assert result.gradients["w1"] == pytest.approx(0.000438568, abs=TOLERANCE)


@pytest.mark.parametrize("name, expected", [
    ("w1", 0.149780716), ("w2", 0.19956143), ("w3", 0.24975114), ("w4", 0.29950229),
    ("w5", 0.35891648), ("w6", 0.408666186), ("w7", 0.511301270), ("w8", 0.561370121),
])
def test_backprop_updated_weights_match_tutorial(name, expected):
    assert backprop_example(learning_rate=0.5).new_weights[name] == pytest.approx(
        expected, abs=TOLERANCE)


def test_backprop_fields_and_biases_unchanged():
    result = backprop_example()
    assert list(result.gradients) == [f"w{n}" for n in range(1, 9)]
    for field in ("net", "out", "slope", "error_by_out", "delta"):
        assert set(getattr(result, field)) == {"h1", "h2", "o1", "o2"}, field
    assert set(result.error) == {"o1", "o2"}
    assert result.weights == TUTORIAL_WEIGHTS
    assert result.new_weights["b1"] == 0.35 and result.new_weights["b2"] == 0.60
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.total_error = 0.0


def test_backprop_weight_override_and_learning_rate():
    assert backprop_example(weights={"w5": 0.40}).total_error == backprop_example().total_error
    changed = backprop_example(weights={"b2": 0.0})
    assert changed.net["o1"] == pytest.approx(1.105905967 - 0.60, abs=TOLERANCE)
    result = backprop_example(learning_rate=0.1)
    assert result.new_weights["w5"] == pytest.approx(0.40 - 0.1 * result.gradients["w5"],
                                                     abs=1e-15)


def test_backprop_gradients_match_finite_differences():
    result, step = backprop_example(), 1e-6
    for name in result.gradients:
        plus = backprop_example(weights={name: TUTORIAL_WEIGHTS[name] + step})
        minus = backprop_example(weights={name: TUTORIAL_WEIGHTS[name] - step})
        numeric = (plus.total_error - minus.total_error) / (2 * step)
        assert result.gradients[name] == pytest.approx(numeric, abs=1e-9), name


def test_backprop_rejects_unknown_weight_names():
    with pytest.raises(ValueError, match="w9"):
        backprop_example(weights={"w9": 1.0})


def test_train_steps_error_falls_to_near_zero():
    errors = train_steps(10_000, learning_rate=0.5)
    assert len(errors) == 10_000
    # The tutorial reports 0.291027924 after one round; exact arithmetic gives 0.2910277737.
    assert errors[0] == pytest.approx(0.291027924, abs=1e-6)
    assert errors[0] == pytest.approx(backprop_example(
        weights=backprop_example().new_weights).total_error, abs=1e-15)
    assert all(later < earlier for earlier, later in zip(errors, errors[1:]))
    # The tutorial reports 0.0000351085 after 10,000 rounds; we get 0.0000351019.
    assert errors[-1] == pytest.approx(0.0000351085, rel=1e-3)
    assert train_steps(1000) == errors[:1000]


def test_train_steps_rejects_negative_steps():
    with pytest.raises(ValueError, match="steps"):
        train_steps(-1)
    assert train_steps(0) == []


@pytest.mark.parametrize("value, written", [
    (0.593269992107, "0.593269992"), (0.5, "0.5"), (2.0, "2"), (0.000438568, "0.000438568")])
def test_exact_writes_numbers_as_the_tutorial_does(value, written):
    assert exact(value) == written


def test_backprop_module_does_not_import_heavy_frameworks():
    source = open(backprop.__file__, encoding="utf-8").read()
    for name in ("keras", "tensorflow", "streamlit"):
        assert f"import {name}" not in source and f"from {name}" not in source
