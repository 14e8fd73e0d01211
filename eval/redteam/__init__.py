"""The red-team suite: a case table expanded over the tool registry, an adversarial model
that plays each case, and the break checks (docs/eval.md "Red team")."""
