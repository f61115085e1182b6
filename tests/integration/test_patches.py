"""patches/: each changes how fast Rasa does a thing, never what it gives; installed only when asked, and only on the versions it was written for."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

import patches
from patches import speedups

VALID = {
    "events": [{"event": "slot", "name": "triage_level", "value": "routine"}],
    "responses": [{"response": "utter_greet"}],
}


def test_action_replies_are_checked_against_the_same_schema():
    patches.install(environ={})
    action = RemoteAction("action_give_triage_result", None)
    assert action._validate_action_result(VALID) is True
    assert action._validate_action_result({}) is True
    for invalid in (
        {"events": "not a list"},
        {"events": [{"name": "no event type"}]},
        {"responses": "x"},
        {"events": [{"event": 3}]},
    ):
        with pytest.raises(jsonschema.ValidationError) as patched:
            action._validate_action_result(invalid)
        with pytest.raises(jsonschema.ValidationError) as stock:
            jsonschema.validate(invalid, RemoteAction.action_response_format_spec())
        assert patched.value.message.startswith(stock.value.message)
        assert "Failed to validate Action server response" in patched.value.message


def test_event_classes_resolve_as_before():
    patches.install(environ={})
    names = {cls.type_name for cls in all_subclasses(Event)}
    for name in names:
        expected = next(cls for cls in all_subclasses(Event) if cls.type_name == name)
        assert Event.resolve_by_type(name) is expected
    assert Event.resolve_by_type("no-such-event", default=Event) is Event
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no-such-event")


def test_the_graph_is_cut_to_its_targets_as_before(model_path, tmp_path):
    """Every target set of the trained model's prediction graph, cached and walked anew."""
    import copy

    from rasa.engine.graph import SchemaNode
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    patches.install(environ={})
    _, metadata = LocalModelStorage.from_model_archive(tmp_path, model_path)
    schema = metadata.predict_schema
    walk = speedups.uncached_minimal_graph_schema
    policies = [name for name in schema.nodes if "policy" in name.lower()]
    target_sets = [None, schema.target_names[:1], policies, sorted(schema.nodes)[:3]]
    assert len(walk(schema, policies).nodes) < len(schema.nodes)  # the cut is not trivial
    for _ in range(2):  # the second round is answered from the cache
        for targets in target_sets:
            assert schema.minimal_graph_schema(targets) == walk(schema, targets)
    # Training prunes a copy of the graph in place: a node loses its inputs.
    pruned = copy.deepcopy(schema)
    schema.minimal_graph_schema(policies)
    name = next(name for name in walk(pruned, policies).nodes if pruned.nodes[name].needs)
    node = pruned.nodes[name]
    pruned.nodes[name] = SchemaNode(
        needs={}, uses=node.uses, constructor_name=node.constructor_name, fn=node.fn, config=node.config
    )
    for targets in target_sets:
        assert pruned.minimal_graph_schema(targets) == walk(pruned, targets)
    assert pruned.minimal_graph_schema(policies) != schema.minimal_graph_schema(policies)


@pytest.fixture(scope="module")
def conversation(model_path, servers):
    """A conversation with the trained model (in this process, with the test
    servers' action server), the patches installed."""
    import asyncio

    from rasa.core.agent import Agent
    from rasa.core.utils import read_endpoints_from_path

    patches.install(environ={})
    agent = Agent.load(str(model_path), action_endpoint=read_endpoints_from_path(servers["endpoints"]).action)

    async def talk():
        for text in ("hello", "can coffee cause twitching?", "my calf twitches", "no", "what is bfs?"):
            await agent.handle_text(text, sender_id="speedups")
        return await agent.tracker_store.retrieve("speedups")

    tracker = asyncio.run(talk())
    return agent, tracker, {}


def test_the_server_moves_its_loaded_models_out_of_the_collectors_way(servers):
    import gc
    import re

    from support import say

    assert say(servers, "collector", "hello")
    moved = re.search(r"Moved (\d+) objects loaded at start-up", servers["logs"]["rasa"].read_text())
    assert moved and int(moved.group(1)) > 100_000  # the models: hundreds of thousands of objects
    before = gc.get_freeze_count()
    try:
        assert speedups.freeze_loaded_objects() > before and gc.get_freeze_count() > before
        assert speedups.freeze_loaded_objects() == 0  # once per process
    finally:
        gc.unfreeze()  # the test process goes on collecting as before


def test_dialogue_states_are_the_same_when_kept_with_the_conversation(conversation):
    from rasa.shared.core.events import ActionExecuted, SlotSet

    agent, tracker, _ = conversation
    domain = agent.domain
    assert tracker.past_states.__name__ == "past_states" and len(tracker.events) > 20
    settings = [
        dict(),
        dict(omit_unset_slots=True),
        dict(ignore_rule_only_turns=True),
        dict(ignore_rule_only_turns=True, rule_only_data={"slots": ["requested_slot"], "loops": []}),
    ]
    for _ in range(2):  # the second round comes from the cache
        for kwargs in settings:
            assert tracker.past_states(domain, **kwargs) == speedups.uncached_past_states(tracker, domain, **kwargs)
    # Callers get copies: a featurizer editing its states changes nothing for the next one.
    edited = tracker.past_states(domain)
    edited[-1].clear()
    edited[-2]["prev_action"] = {"action_name": "edited"}
    assert tracker.past_states(domain) == speedups.uncached_past_states(tracker, domain)
    # A new event is seen at once.
    before = tracker.past_states(domain)
    for event in (SlotSet("triage_level", "routine"), ActionExecuted("utter_greet")):
        tracker.update(event)
        for kwargs in settings:
            assert tracker.past_states(domain, **kwargs) == speedups.uncached_past_states(tracker, domain, **kwargs)
    assert tracker.past_states(domain) != before


def test_a_certain_rule_decides_exactly_as_all_policies_would(conversation):
    """Every prediction step of varied conversations, both ways."""
    import asyncio

    from rasa.core.processor import MessageProcessor

    agent, _, _ = conversation
    processor = agent.processor
    assert speedups.rule_shortcut(processor) is not None  # our policies qualify
    shortcut = MessageProcessor._predict_next_with_tracker
    steps = []

    def both(self, tracker):
        if tracker.followup_action:
            return shortcut(self, tracker)
        expected = speedups.all_policies_predict(self, tracker)
        got = shortcut(self, tracker)
        steps.append((tracker.latest_action_name, got, expected))
        return got

    conversations = {
        "check": [
            "hi",
            "my left calf has twitched for 3 weeks",
            "no",
            "what is bfs?",
            "no, none of these",
            "gradually over a few weeks",
            "coffee makes it worse",
            "none",
            "no",
            "thanks",
        ],
        "leave": ["my eyelid keeps twitching", "stop", "asdf qwerty zxcv", "can stress cause twitching?", "bye"],
        "urgent": ["my arm twitches", "my arm is getting weaker and I can't lift it", "I can't breathe"],
        "forget": ["how is BFS different from ALS?", "forget me", "no", "please delete my data", "yes"],
    }
    MessageProcessor._predict_next_with_tracker = both
    try:

        async def talk():
            for sender, texts in conversations.items():
                for text in texts:
                    await agent.handle_text(text, sender_id=f"rules-{sender}")

        asyncio.run(talk())
    finally:
        MessageProcessor._predict_next_with_tracker = shortcut
    for latest_action, got, expected in steps:
        assert got == expected, (latest_action, got, expected)
        assert got.action_metadata == expected.action_metadata
    assert len(steps) > 40
    # Here rules and forms decide every step. Where no rule does (an intent no
    # rule knows), the rule policy's fallback is not certain: every policy runs.
    from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    unknown = DialogueStateTracker.from_events(
        "rules-unknown",
        [
            ActionExecuted("action_session_start"),
            SessionStarted(),
            ActionExecuted("action_listen"),
            UserUttered("?", {"name": "no_such_intent", "confidence": 1.0}),
        ],
        agent.domain.slots,
    )
    expected = speedups.all_policies_predict(processor, unknown)
    assert expected.max_confidence < 1.0 and shortcut(processor, unknown) == expected


def test_rules_decide_alone_only_with_policies_that_cannot_overrule_them():
    from types import SimpleNamespace

    from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
    from rasa.core.policies.memoization import MemoizationPolicy
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.core.policies.ted_policy import TEDPolicy
    from rasa.core.policies.unexpected_intent_policy import UnexpecTEDIntentPolicy

    def policy(cls, priority, **attributes):
        made = object.__new__(cls)  # only the type and the attributes read matter here
        made.priority = priority
        made.__dict__.update(attributes)
        return made

    def shortcut(**policies):
        nodes = {name: SimpleNamespace(_component=c) for name, c in policies.items()}
        nodes["ensemble"] = SimpleNamespace(_component=object.__new__(DefaultPolicyPredictionEnsemble))
        return speedups._find_rule_shortcut(SimpleNamespace(_instantiated_nodes=nodes), "ensemble")

    rule, memo = policy(RulePolicy, 6), policy(MemoizationPolicy, 3)
    ted = policy(TEDPolicy, 1, fake_features={"intent": []})
    assert shortcut(rules=rule, memo=memo, ted=ted)[0] == "rules"
    assert shortcut(rules=rule, memo=memo, ted=ted, unlikely=policy(UnexpecTEDIntentPolicy, 2)) is None
    assert shortcut(rules=rule, ted=policy(TEDPolicy, 1, fake_features={"text": []})) is None  # end-to-end
    assert shortcut(rules=rule, memo=policy(MemoizationPolicy, 7)) is None  # would win a tie
    assert shortcut(rules=rule, other_rules=policy(RulePolicy, 6)) is None
    assert shortcut(memo=memo, ted=ted) is None
