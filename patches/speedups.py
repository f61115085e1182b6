"""The patches themselves: Rasa 3.6's hottest avoidable costs, found with
`py-spy record` on the Rasa server under `make bench`'s load. Each one is
checked against Rasa's own code path by tests/integration/test_patches.py.
patches/__init__.py installs them (or not); nothing here runs on import.

The figures are from `make bench` on the development machine (2 cores), p50
latency at 1 sender unless said otherwise; the targets are p50 and p95 within
1.3x of a `rasa init` bot. With none of them, ours was at 1.57x, 1.76x, 2.13x
and 1.37x of the baseline on the four latency rows.

1. validator_built_once (rasa): Rasa checks every reply of the action server
   with `jsonschema.validate`, which first validates the schema itself against
   the meta-schema on every call: 40% of the CPU. A validator built once
   reports the same errors. p50 62 -> 39 ms.
2. event_class_table (rasa): each stored event's class was found by walking
   every subclass of `Event`; a table built from the same walk gives the same
   class. Small (under 1 ms a message); kept because it is public API only.
3. graph_cut_kept (rasa): every run of the model graph worked out anew which
   nodes the targets need. Kept per graph and per set of targets: about 1 ms a
   message.
4. (removed) prediction_graph_called_directly called TensorFlow's private
   `ConcreteFunction._call_flat` to skip `tf.function`'s input matching.
   `scripts/bench.py --without prediction_graph_called_directly` (2026-11-25):
   p50 19.9 ms vs 20.4 ms with it at 1 sender, 169.5 vs 164.9 ms at 10
   senders: no measurable gain, so the private call is gone.
5. dialogue_states_kept (rasa): the rule, memoization and TED policies each
   replayed the conversation into dialogue states; they are kept until the
   next event. 1.8 -> 0.8 ms a message.
6. certain_rules_decide (rasa): every prediction ran TED (2-3 ms) though a
   rule or form decides each step of this assistant with full confidence,
   which TED and memoization cannot outrank; such a decision is taken without
   running them, anything else runs all policies. Reads the graph runner's
   private nodes, kept because a target needs it: with it left out, p50 at 10
   senders was 257 ms, 1.34x the baseline (target 1.3x); with it 165 ms, 0.86x
   (`scripts/bench.py --without certain_rules_decide`, 2026-11-25).
7. gc_freeze_after_start (python): full garbage collections walked the loaded
   models' 840,000 objects, 200-450 ms each, every few hundred messages; the
   objects alive at start-up are frozen. Server CPU 24.5 -> 22.1 ms a message.
"""

from __future__ import annotations

import gc
import logging
from typing import Any, Dict, Text

logger = logging.getLogger(__name__)

_frozen = False
# Rasa's own functions, before a patch replaced them (the tests compare).
_ORIGINALS: Dict[Text, Any] = {}


def _build_validator_once() -> None:
    from jsonschema import exceptions, validators
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)  # once, instead of on every reply
    validator = validator_class(schema)

    def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        error = exceptions.best_match(validator.iter_errors(result))
        if error is not None:
            error.message += (
                ". Failed to validate Action server response from API, "
                "make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise error
        return True

    RemoteAction._validate_action_result = _validate_action_result


def _cache_event_classes() -> None:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    original = Event.resolve_by_type
    classes: Dict[Text, Any] = {}

    def resolve_by_type(type_name: Text, default: Any = None) -> Any:
        if type_name not in classes:
            for cls in all_subclasses(Event):  # first match wins, as in Rasa
                classes.setdefault(cls.type_name, cls)
        found = classes.get(type_name)
        return found if found is not None else original(type_name, default)

    Event.resolve_by_type = staticmethod(resolve_by_type)


def uncached_minimal_graph_schema(schema: Any, targets: Any = None) -> Any:
    """Rasa's own walk (for the tests, which compare)."""
    from rasa.engine.graph import GraphSchema

    return _ORIGINALS.get("minimal_graph_schema", GraphSchema.minimal_graph_schema)(schema, targets)


def _cache_minimal_schemas() -> None:
    from rasa.engine.graph import GraphSchema

    original = _ORIGINALS["minimal_graph_schema"] = GraphSchema.minimal_graph_schema

    def minimal_graph_schema(self: GraphSchema, targets: Any = None) -> GraphSchema:
        # The key holds everything the walk reads: the targets, and each node
        # (by identity) with its inputs.
        shape = tuple((name, id(node), tuple(node.needs.items())) for name, node in self.nodes.items())
        cached = self.__dict__.get("_minimal_schemas")
        if cached is None or cached[0] != shape:  # only the current shape is kept
            cached = self.__dict__["_minimal_schemas"] = (shape, {})
        key = tuple(targets) if targets else None
        if key not in cached[1]:
            cached[1][key] = original(self, targets)
        return cached[1][key]

    GraphSchema.minimal_graph_schema = minimal_graph_schema


def all_policies_predict(processor: Any, tracker: Any) -> Any:
    """Rasa's own prediction step, every policy run (for the tests, which compare)."""
    from rasa.core.processor import MessageProcessor

    return _ORIGINALS.get("predict_next", MessageProcessor._predict_next_with_tracker)(processor, tracker)


def freeze_after_start(blueprint: Any) -> None:
    """Runs `freeze_loaded_objects` once the server has started, if that patch
    is installed. Rasa loads the model before the server starts, so by then the
    models exist. The project's channels register this on their blueprints."""

    from patches import installed

    @blueprint.listener("after_server_start")
    async def freeze(_app: Any, _loop: Any) -> None:
        if "gc_freeze_after_start" in installed():
            freeze_loaded_objects()


def freeze_loaded_objects() -> int:
    """Collects garbage once, then exempts every object alive now from later
    collections. Returns how many were frozen (0 when it already ran)."""
    global _frozen
    if _frozen:
        return 0
    gc.collect()
    gc.freeze()
    _frozen = True
    count = gc.get_freeze_count()
    logger.info("Moved %d objects loaded at start-up out of the garbage collector's way", count)
    return count


def _cache_past_states() -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    original = _ORIGINALS["past_states"] = DialogueStateTracker.past_states

    def past_states(
        self: DialogueStateTracker,
        domain: Any,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: Any = None,
    ) -> Any:
        events = self.events
        # Rasa only ever appends events: their number and the last one mark the state.
        mark = (len(events), id(events[-1]) if events else None, id(domain))
        cached = self.__dict__.get("_past_states")
        if cached is None or cached[0] != mark:
            cached = self.__dict__["_past_states"] = (mark, {})
        key = (omit_unset_slots, ignore_rule_only_turns, _frozen_settings(rule_only_data))
        if key not in cached[1]:
            cached[1][key] = original(self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        # A state is {part: {feature: str or tuple}}; featurizers edit parts in place.
        return [{part: dict(features) for part, features in state.items()} for state in cached[1][key]]

    DialogueStateTracker.past_states = past_states


def uncached_past_states(tracker: Any, domain: Any, *args: Any, **kwargs: Any) -> Any:
    """Rasa's own replay (for the tests, which compare)."""
    from rasa.shared.core.trackers import DialogueStateTracker

    return _ORIGINALS.get("past_states", DialogueStateTracker.past_states)(tracker, domain, *args, **kwargs)


def _frozen_settings(rule_only_data: Any) -> Any:
    if not rule_only_data:
        return None
    return tuple(sorted((name, tuple(values)) for name, values in rule_only_data.items()))


def _let_certain_rules_decide() -> None:
    from rasa.core.processor import MessageProcessor
    from rasa.engine.constants import PLACEHOLDER_TRACKER

    original = _ORIGINALS["predict_next"] = MessageProcessor._predict_next_with_tracker

    def _predict_next_with_tracker(self: MessageProcessor, tracker: Any) -> Any:
        shortcut = rule_shortcut(self)
        if tracker.followup_action or shortcut is None:
            return original(self, tracker)
        rule_node, ensemble = shortcut
        rule = self.graph_runner.run(inputs={PLACEHOLDER_TRACKER: tracker}, targets=[rule_node])[rule_node]
        decided = ensemble.combine_predictions([rule], tracker, self.domain)
        if decided.policy_name == rule.policy_name and decided.max_confidence >= 1.0:
            return decided
        return original(self, tracker)

    MessageProcessor._predict_next_with_tracker = _predict_next_with_tracker


def rule_shortcut(processor: Any) -> Any:
    """(the rule policy's node, the ensemble) when a certain rule prediction is
    sure to win the ensemble, else None. Worked out once per loaded model."""
    runner = processor.graph_runner
    if "_rule_shortcut" not in runner.__dict__:  # kept with the runner, gone with it
        runner.__dict__["_rule_shortcut"] = _find_rule_shortcut(runner, processor.model_metadata.core_target)
    return runner.__dict__["_rule_shortcut"]


def _find_rule_shortcut(runner: Any, core_target: Any) -> Any:
    from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
    from rasa.core.policies.memoization import MemoizationPolicy
    from rasa.core.policies.policy import Policy
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.core.policies.ted_policy import TEDPolicy
    from rasa.shared.nlu.constants import TEXT

    nodes = getattr(runner, "_instantiated_nodes", None)
    if not nodes or core_target not in nodes:
        return None
    components = {name: getattr(node, "_component", None) for name, node in nodes.items()}
    ensemble = components[core_target]
    policies = {name: c for name, c in components.items() if isinstance(c, Policy)}
    rules = [name for name, c in policies.items() if type(c) is RulePolicy]
    if type(ensemble) is not DefaultPolicyPredictionEnsemble or len(rules) != 1:
        return None
    rule = policies[rules[0]]
    for name, policy in policies.items():
        if name == rules[0]:
            continue
        harmless = isinstance(policy, MemoizationPolicy) or (
            type(policy) is TEDPolicy and TEXT not in getattr(policy, "fake_features", {TEXT: None})
        )
        if not harmless or policy.priority >= rule.priority:
            return None
    return rules[0], ensemble
