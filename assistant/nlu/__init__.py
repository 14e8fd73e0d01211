"""The trained understanding layer: intent classification with calibrated confidence.

- ``load_intents()`` — the label set (``data/intents.yaml``).
- ``load_training()`` — the labelled training rows (``data/train/*.jsonl``).
- ``IntentClassifier.load()`` — the shipped model (``data/model.npz``); ``predict(text, vector)``.
- ``python -m assistant.nlu.train`` — retrains the model from the training rows.
"""

from assistant.nlu.classifier import IntentClassifier, Prediction
from assistant.nlu.corpus import Example, load_training
from assistant.nlu.labels import Intents, load_intents

__all__ = ["Example", "IntentClassifier", "Intents", "Prediction", "load_intents", "load_training"]
