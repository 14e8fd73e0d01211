"""The shipped intent model: in step with its training data, reproducible, robust to bad files."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.errors import UsageError
from assistant.nlu import IntentClassifier, load_intents, load_training
from assistant.nlu.classifier import fingerprint, model_path
from assistant.nlu.train import WEIGHTS, augment, encode, fit


@pytest.fixture(scope="module")
def model() -> IntentClassifier:
    return IntentClassifier.load()


def test_model_was_trained_on_the_current_training_rows(model):
    # Editing a training file without `python -m assistant.nlu.train` fails here.
    assert model.trained_on == fingerprint(load_training(), WEIGHTS)


def test_model_knows_every_intent_and_nothing_else(model):
    assert set(model.classes) == set(load_intents().names)


def test_probabilities_are_a_distribution(model):
    texts = ["what's my bill", "asdfgh", "¿cuánto cuesta la tarifa ilimitada?"]
    probs = model.probabilities(texts, np.asarray(encode(texts)))
    assert probs.shape == (3, len(model.classes))
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert (probs >= 0).all()


@pytest.mark.slow
def test_retraining_reproduces_the_shipped_weights(model):
    rows = load_training()
    again = fit(rows, encode([r.text for r in rows + augment(rows)]))
    assert again.classes == model.classes
    # Shipped as float16: equal to that precision, so the solver is deterministic.
    assert np.allclose(again.coef, model.coef, atol=2e-2 * float(np.abs(model.coef).max()))


def test_a_damaged_model_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "model.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(UsageError, match="rebuild it with"):
        IntentClassifier.load(bad)


def test_a_model_for_other_vectors_is_refused(tmp_path, model):
    other = tmp_path / "model.npz"
    model.save(other)
    data = dict(np.load(other, allow_pickle=False))
    data["meta"] = np.array(str(data["meta"]).replace("all-MiniLM-L6-v2", "other-model"))
    np.savez(other, **data)
    with pytest.raises(UsageError, match="expected 2 for"):
        IntentClassifier.load(other)


def test_shipped_model_path_exists():
    assert model_path().is_file()
