"""Fixes for Rasa 3.6's hottest avoidable costs, found with py-spy (README, "Benchmark").

1. Rasa checks every reply of the action server with `jsonschema.validate(reply,
   schema)`, which first validates the *schema itself* against the JSON Schema
   meta-schema, on every call: 40% of the Rasa server's CPU time per message in
   the symptom check. A validator built once for the same schema reports the
   same errors (jsonschema's best match, with Rasa's hint appended).
2. Loading a conversation turns each stored event into its class with
   `Event.resolve_by_type`, which walks every subclass of `Event` (with an
   `inspect.isabstract` check each) for every event. A table built from the
   same walk gives the same class; an unknown name still goes the old way.
3. Every run of the model graph (the NLU parse, then each action prediction)
   first works out which nodes the targets need, walking every path through
   the graph anew. The answer only depends on the graph's nodes and their
   inputs, so it is kept per graph and per set of targets; a changed graph
   (training prunes a copy in place) is walked again.
4. Each prediction of DIET, the ResponseSelector and TED goes through
   `tf.function`, which matches the inputs against the function's signature
   anew on every call before running the one graph it has: 0.3-0.5 ms a call,
   four or five calls a message. Rasa fixes the signature when it first
   predicts, so the graph is looked up once and then called directly, with the
   same conversion and the same compatibility check of each input; anything
   unusual goes the usual way.
5. Each prediction step runs the rule, memoization and TED policies, and each
   replays the whole conversation to list its dialogue states (the same list
   for the same settings). The list is kept with the conversation until its
   next event, keyed by those settings; every caller gets its own copy.
6. Every prediction runs all policies, then keeps the most confident one, the
   rule policy winning ties (it has the highest priority). When a rule or a
   form decides, with full confidence (most steps of this assistant), nothing
   can beat it, yet TED ran for 2-3 ms. The rule policy now runs first; if the
   ensemble, given its prediction, picks it with full confidence, that is the
   answer; otherwise all policies run as before. Only for the policies whose
   predictions are known not to overrule a rule (memoization, TED without
   end-to-end text); any other configuration runs everything.
7. Python's cycle collector walks every live object in a full collection: with
   the models loaded that is some 840,000 objects and 200-450 ms, every couple
   of hundred messages, stalling every conversation in progress. Once the
   server has started, the objects alive then (the models, mostly) are moved
   out of its way (`gc.freeze`); they live as long as the process anyway.
"""
from __future__ import annotations

import gc
import logging
import weakref
from typing import Any, Dict, Text

logger = logging.getLogger(__name__)

_installed = False
_frozen = False
# Rasa's own functions, before `install` replaced them (the tests compare).
_ORIGINALS: Dict[Text, Any] = {}


def install() -> None:
    global _installed
    if _installed:
        return
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
    _cache_event_classes()
    _cache_minimal_schemas()
    _call_prediction_graphs_directly()
    _cache_past_states()
    _let_certain_rules_decide()
    _installed = True


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


def uncached_rasa_predict(model: Any, batch_in: Any) -> Any:
    """Rasa's own prediction call (for the tests, which compare)."""
    from rasa.utils.tensorflow.models import RasaModel

    return _ORIGINALS.get("predict", RasaModel._rasa_predict)(model, batch_in)


def _call_prediction_graphs_directly() -> None:
    from keras.utils import tf_utils
    from rasa.shared.constants import DIAGNOSTIC_DATA
    from rasa.utils.tensorflow.models import RasaModel
    import tensorflow as tf

    original = _ORIGINALS["predict"] = RasaModel._rasa_predict
    # A model's tf.function -> (its graph, its input specs); gone with the model.
    graphs: "weakref.WeakKeyDictionary[Any, Any]" = weakref.WeakKeyDictionary()

    def _rasa_predict(self: RasaModel, batch_in: Any) -> Dict[Text, Any]:
        step = self._tf_predict_step
        if step is None or self._run_eagerly or not self.prepared_for_prediction:
            return original(self, batch_in)  # the first call builds the function
        if step not in graphs:
            graphs[step] = (step.get_concrete_function(), tf.nest.flatten(step.input_signature))
        graph, specs = graphs[step]
        if len(batch_in) != len(specs):
            return original(self, batch_in)
        tensors = [tf.convert_to_tensor(value, dtype_hint=spec.dtype)
                   for value, spec in zip(batch_in, specs, strict=True)]
        if not all(spec.is_compatible_with(tensor) for spec, tensor in zip(specs, tensors, strict=True)):
            return original(self, batch_in)  # which raises TensorFlow's own error
        self._training = False
        outputs = tf_utils.sync_to_numpy_or_python_type(graph._call_flat(tensors, graph.captured_inputs))
        if DIAGNOSTIC_DATA in outputs:
            outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
        return outputs

    RasaModel._rasa_predict = _rasa_predict


def freeze_after_start(blueprint: Any) -> None:
    """Runs `freeze_loaded_objects` once the server has started.

    Rasa loads the model before the server starts, so by then the models exist.
    The project's channels register this on their blueprints."""

    @blueprint.listener("after_server_start")
    async def freeze(_app: Any, _loop: Any) -> None:
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

    def past_states(self: DialogueStateTracker, domain: Any, omit_unset_slots: bool = False,
                    ignore_rule_only_turns: bool = False, rule_only_data: Any = None) -> Any:
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
        harmless = (isinstance(policy, MemoizationPolicy)
                    or (type(policy) is TEDPolicy and TEXT not in getattr(policy, "fake_features", {TEXT: None})))
        if not harmless or policy.priority >= rule.priority:
            return None
    return rules[0], ensemble
