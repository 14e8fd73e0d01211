"""Rebuilds the public-data part of the NLU training corpus and of the understanding eval.

`python -m assistant.nlu.sources.build --clinc DIR --hwu DIR` reads the raw public datasets, maps
their labels onto our intents with `mapping.yaml` and writes the training rows, the held-out
cases and the dev cases. See README.md beside this file and assistant/nlu/data/SOURCES.md.
"""
